"""A local HTTP endpoint that answers like a UWLR 2.3 LVS: the one test double of the result exchange.

It accepts one autorisatiesleutel, refuses every other key with the standard's SOAP fault
(Client.AutorisatieOngeldig), refuses a wrong klantcode (Client.OngeldigeKlantIdentificatie),
and on request stops answering (so the client's timeout fires) or fails with HTTP 503.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from xml.etree import ElementTree

from aiohttp import web

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
AUT = "http://www.edustandaard.nl/leerresultaten/2/autorisatie"
LEER = "http://www.edustandaard.nl/leerresultaten/2/leerlinggegevens"
GOOD_KEY = "Pk77881FG-HJ99777737="  # the example key of the standard
KLANTCODE = "89TY55661==866FFFG"
KLANTNAAM = "Malmberg"

ANTWOORD = f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Header/><soapenv:Body>
<le:leerlinggegevens_antwoord xmlns:le="{LEER}"><le:leerlinggegevens><le:school>
<le:schooljaar>{{year}}</le:schooljaar><le:brincode>{{brin}}</le:brincode>
<le:dependancecode>{{vestiging}}</le:dependancecode><le:xsdversie>2.3</le:xsdversie>
</le:school><le:groepen/><le:leerlingen/></le:leerlinggegevens></le:leerlinggegevens_antwoord>
</soapenv:Body></soapenv:Envelope>"""

FAULT = f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Body><soapenv:Fault>
<faultcode>{{code}}</faultcode><faultstring>{{text}}</faultstring>
</soapenv:Fault></soapenv:Body></soapenv:Envelope>"""


@dataclass
class FakeLvs:
    """State of the fake LVS; tests read `requests` and set `mode`."""

    url: str = ""
    mode: str = "normal"  # 'normal' | 'hang' | 'down'
    delay: float = 0.0  # seconds each answer takes
    requests: list[dict] = field(default_factory=list)
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        await asyncio.sleep(self.delay)
        if self.mode == "hang":  # answer only when the test ends: past any client timeout
            await self._release.wait()
        if self.mode == "down":
            return web.Response(status=503, text="Service Unavailable")
        try:
            seen = _read_request(request, body)
        except (ValueError, ElementTree.ParseError) as exc:
            return _fault("Client.OngeldigBericht", str(exc))
        self.requests.append(seen)
        if seen["klantcode"] != KLANTCODE or seen["klantnaam"] != KLANTNAAM:
            return _fault("Client.OngeldigeKlantIdentificatie",
                          "De klantnaam en/of klantcode is ongeldig")
        if seen["autorisatiesleutel"] != GOOD_KEY:
            return _fault("Client.AutorisatieOngeldig", "Autorisatiesleutel is ongeldig of geeft "
                          "geen toegang tot de gevraagde school")
        text = ANTWOORD.format(year=seen["schooljaar"], brin=seen["brincode"],
                               vestiging=seen["dependancecode"])
        return web.Response(text=text, content_type="text/xml", charset="utf-8")

    def release(self) -> None:
        self._release.set()


def _read_request(request: web.Request, body: bytes) -> dict:
    if request.headers.get("SOAPAction", "").strip('"') != "HaalLeerlinggegevens":
        raise ValueError("unknown SOAPAction")
    if not request.content_type == "text/xml":
        raise ValueError("not text/xml")
    root = ElementTree.fromstring(body)
    header = root.find(f"{{{SOAP}}}Header/{{{AUT}}}autorisatie")
    verzoek = root.find(f"{{{SOAP}}}Body/{{{LEER}}}leerlinggegevens_verzoek")
    if root.tag != f"{{{SOAP}}}Envelope" or header is None or verzoek is None:
        raise ValueError("not a UWLR leerlinggegevens_verzoek")
    seen = {name: header.findtext(f"{{{AUT}}}{name}") or ""
            for name in ("autorisatiesleutel", "klantcode", "klantnaam")}
    seen.update({name: verzoek.findtext(f"{{{LEER}}}{name}") or ""
                 for name in ("schooljaar", "brincode", "dependancecode", "xsdversie",
                              "laatstontvangengegevens")})
    return seen


def _fault(code: str, text: str) -> web.Response:
    return web.Response(status=500, text=FAULT.format(code=code, text=text),
                        content_type="text/xml", charset="utf-8")


async def start_fake_lvs(aiohttp_server) -> FakeLvs:
    """Serve a fake LVS; the fixture using it must call `release()` when the test ends."""
    fake = FakeLvs()
    app = web.Application()
    app.router.add_post("/uwlr/leerlinggegevens", fake.handle)
    server = await aiohttp_server(app)
    fake.url = str(server.make_url("/uwlr/leerlinggegevens"))
    return fake
