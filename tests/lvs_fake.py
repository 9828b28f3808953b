"""A local HTTP endpoint that answers like a UWLR 2.2 LVS: the one test double of the result exchange.

It speaks the real protocol: every request is validated against the UWLR 2.2 schemas kept in
services/results/schemas (an invalid one gets Client.OngeldigBericht and is remembered as such),
every answer it gives is itself schema-valid, and the faults are the UWLR FaultType codes:
a wrong klantnaam/klantcode and a key bound to another school get
Client.OngeldigeKlantIdentificatie, an unknown key Client.AutorisatieOngeldig, a bad record
Client.LeerlingOngeldig / ScoreOngeldig / ToetsNormeringOngeldig naming the record's key.
On request it is temporarily unavailable: Server.TijdelijkNietBeschikbaar, HTTP 503, or no
answer at all (so the client's timeout fires), for a number of requests or until told.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web
from lxml import etree

SCHEMAS = Path(__file__).parent.parent / "services" / "results" / "schemas"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
AUT = "http://www.edustandaard.nl/leerresultaten/2/autorisatie"
LEER = "http://www.edustandaard.nl/leerresultaten/2/leerlinggegevens"
LR = "http://www.edustandaard.nl/leerresultaten/2/leerresultaten"
GOOD_KEY = "Pk77881FG-HJ99777737="  # the example key of the standard: OBS De Regenboog
KOMPAS_KEY = "Kp55123XY-ZW00112233="  # CBS Het Kompas
KLANTCODE = "89TY55661==866FFFG"
KLANTNAAM = "Malmberg"
MAX_SCORE = 1000  # a score above this is refused with Client.ScoreOngeldig

GEEN_WIJZIGINGEN = f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Body>
<le:leerlinggegevens_antwoord xmlns:le="{LEER}"><le:geenwijzigingen/></le:leerlinggegevens_antwoord>
</soapenv:Body></soapenv:Envelope>"""

BEVESTIGING = f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Body>
<lr:leerresultaten_bevestiging xmlns:lr="{LR}"/>
</soapenv:Body></soapenv:Envelope>"""

FAULT = f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Body><soapenv:Fault>
<faultcode>{{code}}</faultcode><faultstring>{{text}}</faultstring>
</soapenv:Fault></soapenv:Body></soapenv:Envelope>"""


@cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def leerresultaten_schema() -> etree.XMLSchema:
    return schema("uwlr_leerresultaten_soap.xsd")


def leerlinggegevens_schema() -> etree.XMLSchema:
    return schema("uwlr_leerlinggegevens_soap.xsd")


class _Fault(Exception):
    def __init__(self, code: str, text: str) -> None:
        super().__init__(code)
        self.code, self.text = code, text


@dataclass
class FakeLvs:
    """State of the fake LVS; tests read `requests` and `received`, and set `mode`."""

    url: str = ""  # the leerlinggegevens service (key check by pupil data)
    results_url: str = ""  # the leerresultaten service
    mode: str = "normal"  # 'normal' | 'hang' | 'down' (HTTP 503) | 'busy' (Server fault)
    unavailable_for: int | None = None  # with a mode: that many requests, then 'normal'
    keys: dict[str, tuple[str, str]] = field(default_factory=lambda: {
        GOOD_KEY: ("12AB", "00"), KOMPAS_KEY: ("34CD", "01")})
    bad_pupils: set[str] = field(default_factory=set)  # leerlingid → Client.LeerlingOngeldig
    bad_norms: set[str] = field(default_factory=set)  # toetscode → Client.ToetsNormeringOngeldig
    refuse_all: str = ""  # a fault code every valid request is answered with
    name_records: bool = True  # False: a record fault does not say which record it was
    delay: float = 0.0  # seconds before each answer: a slow LVS, so that workers overlap
    requests: list[dict] = field(default_factory=list)  # every request it could read
    unavailable_requests: int = 0  # requests answered while unavailable
    received: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # school → keys
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.mode != "normal":
            mode = self.mode
            if self.unavailable_for is not None:
                self.unavailable_for -= 1
                if self.unavailable_for <= 0:
                    self.mode, self.unavailable_for = "normal", None
            self.unavailable_requests += 1
            if mode == "hang":
                await self._release.wait()  # answer only when the test ends
            if mode in ("hang", "down"):
                return web.Response(status=503, text="Service Unavailable")
            return _fault("Server.TijdelijkNietBeschikbaar", "Server is tijdelijk niet beschikbaar")
        try:
            seen = self._read(request, body)
        except _Fault as fault:
            return _fault(fault.code, fault.text)
        if self.refuse_all:
            return _fault(self.refuse_all, "Inhoud van het bericht is ongeldig")
        try:
            self._authorise(seen)
            if seen["action"] == "HaalLeerlinggegevens":
                return _xml(GEEN_WIJZIGINGEN, leerlinggegevens_schema())
            self._check_records(seen)
        except _Fault as fault:
            return _fault(fault.code, fault.text)
        school = (seen["brincode"], seen["dependancecode"])
        self.received.setdefault(school, []).extend(seen["results"])
        return _xml(BEVESTIGING, leerresultaten_schema())

    def release(self) -> None:
        self._release.set()

    def accepted_keys(self) -> list[str]:
        return [key for keys in self.received.values() for key in keys]

    def _read(self, request: web.Request, body: bytes) -> dict:
        action = _action(request)
        seen: dict = {"action": action, "valid": False, "body": body}
        self.requests.append(seen)
        if action not in ("HaalLeerlinggegevens", "BrengLeerresultaten"):
            raise _Fault("Client.OngeldigBericht", "Onbekende SOAPAction")
        if request.content_type != "text/xml":
            raise _Fault("Client.OngeldigBericht", "Geen text/xml")
        checker = (leerlinggegevens_schema() if action == "HaalLeerlinggegevens"
                   else leerresultaten_schema())
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            root = etree.fromstring(body, parser)
        except etree.XMLSyntaxError:
            raise _Fault("Client.OngeldigBericht", "Bericht is geen geldige xml") from None
        if not checker.validate(root):
            seen["errors"] = [e.message for e in checker.error_log]
            raise _Fault("Client.OngeldigBericht", "Bericht voldoet niet aan het schema")
        seen["valid"] = True
        header = root.find(f"{{{SOAP}}}Header/{{{AUT}}}autorisatie")
        if header is None:
            raise _Fault("Client.AutorisatieOngeldig", "Autorisatie ontbreekt")
        seen.update({name: header.findtext(f"{{{AUT}}}{name}") or ""
                     for name in ("autorisatiesleutel", "klantcode", "klantnaam")})
        if action == "HaalLeerlinggegevens":
            verzoek = root.find(f"{{{SOAP}}}Body/{{{LEER}}}leerlinggegevens_verzoek")
            seen.update({name: verzoek.findtext(f"{{{LEER}}}{name}") or ""
                         for name in ("schooljaar", "brincode", "dependancecode", "schoolkey",
                                      "xsdversie", "laatstontvangengegevens")})
            return seen
        verzoek = root.find(f"{{{SOAP}}}Body/{{{LR}}}leerresultaten_verzoek")
        school = verzoek.find(f"{{{LR}}}school")
        seen.update({name: school.findtext(f"{{{LR}}}{name}") or ""
                     for name in ("schooljaar", "brincode", "dependancecode", "schoolkey",
                                  "xsdversie")})
        if not seen["dependancecode"] and seen["brincode"]:
            seen["dependancecode"] = "00"
        seen["records"] = [
            {"key": res.get("key"),
             "leerlingid": afname.findtext(f"{{{LR}}}leerlingid"),
             "eckid": afname.findtext(f"{{{LR}}}eckid"),
             "toetscode": res.findtext(f"{{{LR}}}toetscode"),
             "afnamedatum": res.findtext(f"{{{LR}}}afnamedatum"),
             "score": res.findtext(f"{{{LR}}}score")}
            for afname in verzoek.iter(f"{{{LR}}}toetsafname")
            for res in afname.iter(f"{{{LR}}}resultaat")]
        seen["results"] = [r["key"] for r in seen["records"]]
        seen["norms"] = {
            toets.findtext(f"{{{LR}}}toetscode"): [
                {child.tag.rpartition("}")[2]: child.text for child in norm}
                for norm in toets.iter(f"{{{LR}}}norm")]
            for toets in verzoek.iter(f"{{{LR}}}toets")}
        return seen

    def _authorise(self, seen: dict) -> None:
        if seen["klantcode"] != KLANTCODE or seen["klantnaam"] != KLANTNAAM:
            raise _Fault("Client.OngeldigeKlantIdentificatie",
                         "De klantnaam en/of klantcode is ongeldig")
        school = self.keys.get(seen["autorisatiesleutel"])
        if school is None:
            raise _Fault("Client.AutorisatieOngeldig", "Autorisatiesleutel is ongeldig of geeft "
                         "geen toegang tot de gevraagde school")
        if school != (seen["brincode"], seen["dependancecode"] or "00"):
            raise _Fault("Client.OngeldigeKlantIdentificatie",
                         "De gegevens van de opgevraagde school zijn ongeldig")

    def _check_records(self, seen: dict) -> None:
        try:
            self._check_each(seen)
        except _Fault as fault:
            if not self.name_records:
                fault.text = fault.text.split(" in resultaat")[0].split(" bij resultaat")[0]
            raise

    def _check_each(self, seen: dict) -> None:
        for record in seen["records"]:
            if record["leerlingid"] in self.bad_pupils:
                raise _Fault("Client.LeerlingOngeldig",
                             f"Leerling ongeldig in resultaat {record['key']}")
            if record["score"] is not None and int(record["score"]) > MAX_SCORE:
                raise _Fault("Client.ScoreOngeldig", f"Score ongeldig in resultaat {record['key']}")
            if record["toetscode"] in self.bad_norms and seen["norms"].get(record["toetscode"]):
                raise _Fault("Client.ToetsNormeringOngeldig",
                             f"Toetsnormering ongeldig bij resultaat {record['key']}")


def _action(request: web.Request) -> str:
    return request.headers.get("SOAPAction", "").strip().strip('"')


def _xml(text: str, checker: etree.XMLSchema) -> web.Response:
    assert checker.validate(etree.fromstring(text.encode())), checker.error_log
    return web.Response(text=text, content_type="text/xml", charset="utf-8")


def _fault(code: str, text: str) -> web.Response:
    document = FAULT.format(code=code, text=escape(text))
    assert leerresultaten_schema().validate(etree.fromstring(document.encode()))
    return web.Response(status=500, text=document, content_type="text/xml", charset="utf-8")


async def start_fake_lvs(aiohttp_server) -> FakeLvs:
    """Serve a fake LVS; the fixture using it must call `release()` when the test ends."""
    fake = FakeLvs()
    app = web.Application(client_max_size=50_000_000)
    app.router.add_post("/uwlr/leerlinggegevens", fake.handle)
    app.router.add_post("/uwlr/leerresultaten", fake.handle)
    server = await aiohttp_server(app)
    fake.url = str(server.make_url("/uwlr/leerlinggegevens"))
    fake.results_url = str(server.make_url("/uwlr/leerresultaten"))
    return fake
