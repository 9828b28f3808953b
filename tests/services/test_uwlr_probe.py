"""A second, independent UWLR 2.2 leerresultaten double, speaking SOAP 1.1 the way real LVS
servers answer (prefixes, default namespaces, HTTP 500 faults, error pages, resets), and the
result exports in the shapes schools really make them (Dutch Excel CSV and friends)."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, date, datetime

import aiohttp
import pytest
from aiohttp import web
from lxml import etree
from sqlalchemy import select

from cards.exchange import overview_card
from cards.i18n import Texts
from services.actor import Actor
from services.models import ROLE_PUPIL, Person, Role
from services.registry import Services
from services.results.client import ResultsClient
from services.results.documents import parse_document
from services.results.envelope import (
    NS_LR,
    SCHEMAS,
    SOAP11,
    Authorisation,
    Record,
    School,
    build_request,
    validation_errors,
)
from services.results.service import KEY_FAULTS, RECORD_FAULTS
from services.secrets import SecretBox
from tests.cardcheck import card_texts, check_card
from tests.conftest import TEST_KEY, fixed_clock
from tests.lvs_fake import GOOD_KEY, KLANTCODE, KLANTNAAM

# The public Edustandaard files, as published in github.com/takirchjunger/uwlr-client-server
# (src/main/resources/nl/topicus/onderwijs/uwlr/v2/Schemas): the kept copies must not drift.
PUBLIC_SHA1 = {
    "UWLR_Leerresultaten_v2p2.xsd": "6f03a1d189",
    "UWLR_Autorisatie_v2p2.xsd": "772825cffa",
    "SOAP_Envelope.xsd": "dc7c25a1d2",
    "Overstapdossier_1.2_20150302.xsd": "001232b8f2",
}
OPERATOR = Actor.operator("probe")
XML = '<?xml version="1.0" encoding="{enc}"?>'


def fault(code: str, text: str = "Fout", *, prefix: str | None = "soap", detail: str = "",
          qualified: bool = False, enc: str = "UTF-8") -> str:
    """A SOAP 1.1 Fault as servers write it: with a prefix of their choosing or in a default
    namespace, and some of them (wrongly) qualify faultcode/faultstring too."""
    p = f"{prefix}:" if prefix else ""
    ns = f' xmlns:{prefix}="{SOAP11}"' if prefix else f' xmlns="{SOAP11}"'
    c = p if qualified else ""
    return (f'{XML.format(enc=enc)}<{p}Envelope{ns}><{p}Body><{p}Fault>'
            f"<{c}faultcode>{code}</{c}faultcode><{c}faultstring>{text}</{c}faultstring>"
            f"{detail}</{p}Fault></{p}Body></{p}Envelope>")


def confirmation(inner: str = "", ns: str = NS_LR) -> str:
    return (f'{XML.format(enc="utf-8")}<S:Envelope xmlns:S="{SOAP11}"><S:Header/><S:Body>'
            f'<leerresultaten_bevestiging xmlns="{ns}">{inner}</leerresultaten_bevestiging>'
            "</S:Body></S:Envelope>")


class ProbeLvs:
    """Answers every BrengLeerresultaten with the next planned (status, body, content type);
    keeps each request it got, with its headers."""

    def __init__(self) -> None:
        self.plan: list[tuple[int, bytes, str]] = []
        self.plans: dict[str, list[tuple[int, bytes, str]]] = {}  # per LVS path, else plan
        self.requests: list[tuple[dict, bytes]] = []
        self.by_path: dict[str, list[bytes]] = {}
        self.url = ""
        self.stall = 0.0
        self.reset = False

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.requests.append((dict(request.headers), body))
        self.by_path.setdefault(request.path, []).append(body)
        if self.stall:
            await asyncio.sleep(self.stall)
        if self.reset:
            request.transport.abort()  # the connection is reset under the client's feet
            await asyncio.sleep(0.2)
        status, body, ctype = self.plans.get(request.path, self.plan).pop(0)
        return web.Response(status=status, body=body, headers={"Content-Type": ctype})


@pytest.fixture
async def double(aiohttp_server):
    lvs = ProbeLvs()
    app = web.Application()
    app.router.add_post("/uwlr/leerresultaten", lvs.handle)
    app.router.add_post("/momento", lvs.handle)
    app.router.add_post("/parnassys", lvs.handle)
    server = await aiohttp_server(app)
    lvs.url = str(server.make_url("/"))
    async with aiohttp.ClientSession() as http:
        client = ResultsClient("parnassys", http, endpoint=str(server.make_url(
            "/uwlr/leerresultaten")), klantcode="MLB", klantnaam="Malmberg", xsd_version="2.2",
            timeout=0.5, attempts=1, backoff=0)
        yield lvs, client


def message() -> bytes:
    records = [Record(1, "r-1", "LAS-1", None, "PP-G5", "Taal", date(2026, 11, 20), 34, None,
                      '[{"term": "A", "van": 30, "tot": 40, "schoolcijfer_vanaf": "8.0",'
                      ' "schoolcijfer_totenmet": "10.0"}]'),
               Record(2, "r-2", "LAS-2", "https://id.school/LL_x", "VS-3", "", date(2026, 1, 5),
                      None, "-12.5", "[]")]
    return build_request(Authorisation("k" * 32, "MLB", "Malmberg"),
                         School("12AB", "00", "2026-2027"), records, forward_grades=True,
                         now=datetime(2026, 12, 3, tzinfo=UTC))


HTML = "text/html; charset=utf-8"
TXT = "text/xml; charset=utf-8"
ANSWERS = [
    # (name, status, body, content type, outcome, detail)
    ("ok", 200, confirmation().encode(), TXT, "accepted", ""),
    ("ok-bom", 200, b"\xef\xbb\xbf" + confirmation().encode(), TXT, "accepted", ""),
    ("soap-500", 500, fault("soap:Client.AutorisatieOngeldig").encode(), TXT, "fault",
     "fault:Client.AutorisatieOngeldig"),
    ("SOAP-ENV", 500, fault("SOAP-ENV:Client.OngeldigeKlantIdentificatie",
                            prefix="SOAP-ENV").encode(), TXT, "fault",
     "fault:Client.OngeldigeKlantIdentificatie"),
    ("no-prefix-code", 500, fault("Client.AutorisatieOngeldig").encode(), TXT, "fault",
     "fault:Client.AutorisatieOngeldig"),
    ("default-namespace", 500, fault("Client.AutorisatieOngeldig", prefix=None).encode(), TXT,
     "fault", "fault:Client.AutorisatieOngeldig"),
    ("qualified-children", 500, fault("soap:Client.OngeldigeKlantIdentificatie",
                                      qualified=True).encode(), TXT, "fault",
     "fault:Client.OngeldigeKlantIdentificatie"),
    ("temporary", 500, fault("soap:Server.TijdelijkNietBeschikbaar").encode(), TXT,
     "unreachable", "fault:Server.TijdelijkNietBeschikbaar"),
    ("latin-1", 500, fault("soap:Client.LeerlingOngeldig", "Leerling r-1 onbekend: é",
                           enc="ISO-8859-1").encode("latin-1"),
     "text/xml; charset=ISO-8859-1", "fault", "fault:Client.LeerlingOngeldig"),
    ("latin-1-in-http-header-only", 500, fault("soap:Client.LeerlingOngeldig", "Leerling r-1:"
                                                " é").split("?>", 1)[1].encode("latin-1"),
     "text/xml; charset=ISO-8859-1", "fault", "fault:Client.LeerlingOngeldig"),
    ("html-502", 502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", HTML,
     "unreachable", "http:502"),
    ("empty-200", 200, b"", TXT, "unreachable", "invalid-response"),
    ("non-empty-bevestiging", 200, confirmation("<x/>").encode(), TXT, "unreachable",
     "invalid-response"),
    ("wrong-namespace", 200, confirmation(ns="urn:elders").encode(), TXT, "unreachable",
     "invalid-response"),
]


@pytest.mark.parametrize(("status", "body", "ctype", "outcome", "detail"),
                         [a[1:] for a in ANSWERS], ids=[a[0] for a in ANSWERS])
async def test_every_answer_a_real_server_gives_is_read_as_it_was_meant(
        double, status, body, ctype, outcome, detail):
    lvs, client = double
    lvs.plan.append((status, body, ctype))
    delivery = await client.deliver(message())
    assert (delivery.outcome, delivery.detail) == (outcome, detail)
    headers, sent = lvs.requests[0]
    assert headers["SOAPAction"].strip('"') == "BrengLeerresultaten"
    assert headers["Content-Type"].startswith("text/xml")
    assert validation_errors(sent) == []


async def test_a_record_fault_keeps_the_record_it_names_in_its_detail(double):
    lvs, client = double
    detail = ('<detail><uwlr:fout xmlns:uwlr="urn:lvs"><uwlr:resultaat>r-2</uwlr:resultaat>'
              "</uwlr:fout></detail>")
    for code in ("Client.LeerlingOngeldig", "Client.ScoreOngeldig",
                 "Client.ToetsNormeringOngeldig"):
        lvs.plan.append((500, fault(f"soap:{code}", detail=detail, prefix="soapenv").encode(),
                         TXT))
        lvs.plan.append((500, fault(code, prefix=None).encode(), TXT))  # naming no record
        named, bare = await client.deliver(message()), await client.deliver(message())
        assert code in RECORD_FAULTS
        assert (named.outcome, named.detail) == ("fault", f"fault:{code}")
        assert "r-2" in named.fault_text
        assert (bare.outcome, bare.detail) == ("fault", f"fault:{code}")
    assert set(KEY_FAULTS) == {"Client.AutorisatieOngeldig", "Client.OngeldigeKlantIdentificatie"}


async def test_a_stalled_or_reset_connection_is_unreachable(double):
    lvs, client = double
    lvs.stall = 2.0
    lvs.plan.append((200, confirmation().encode(), TXT))
    assert (await client.deliver(message())).detail == "timeout"
    lvs.stall, lvs.reset = 0.0, True
    lvs.plan.append((200, confirmation().encode(), TXT))
    assert (await client.deliver(message())).detail == "connect"


def test_the_request_validates_against_the_public_leerresultaten_schema_on_its_own():
    for name, digest in PUBLIC_SHA1.items():
        assert hashlib.sha1((SCHEMAS / name).read_bytes()).hexdigest()[:10] == digest, name
    public = etree.XMLSchema(etree.parse(str(SCHEMAS / "UWLR_Leerresultaten_v2p2.xsd")))
    autorisatie = etree.XMLSchema(etree.parse(str(SCHEMAS / "UWLR_Autorisatie_v2p2.xsd")))
    envelope = etree.fromstring(message())
    body = envelope.find(f"{{{SOAP11}}}Body")[0]
    header = envelope.find(f"{{{SOAP11}}}Header")[0]
    assert public.validate(etree.ElementTree(body)), public.error_log
    assert autorisatie.validate(etree.ElementTree(header)), autorisatie.error_log


HEAD = "key;brin;vestiging;leerling;toetscode;afnamedatum;vaardigheidsscore"


@pytest.mark.parametrize(("data", "expected"), [
    (("\ufeff" + HEAD + '\r\nr1;12AB;00;"LAS 1";PP;20-11-2026;"12,5"\r\n\r\n').encode(),
     ("LAS 1", date(2026, 11, 20), "12.5")),
    (b"key,brin,leerling,toetscode,afnamedatum,vaardigheidsscore\n"
     b'r1,12AB,LAS1,PP,2026-11-20,"-3,25"\n', ("LAS1", date(2026, 11, 20), "-3.25")),
    (b"vaardigheidsscore;afnamedatum;toetscode;leerling;brin;key;klas;leerkracht\n"
     b"7;5-1-2026;PP;LAS9;12ab;r1;5a;Juf Anna\n", ("LAS9", date(2026, 1, 5), "7")),
], ids=["excel-semicolon-bom-crlf-dutch-date", "comma", "reordered-extra-columns"])
def test_exports_as_schools_make_them_are_read(data, expected):
    parsed = parse_document(data)
    assert parsed.bad == ()
    row = parsed.rows[0]
    assert (row.pupil_key, row.taken_on, row.ability) == expected


def test_export_edge_rows_are_named_or_kept():
    parsed = parse_document(
        b"key;brin;leerling;eckid;toetscode;afnamedatum;score;bingel_oefening\n"
        b"r1;12AB;LAS1;;PP;2026-11-20;34;nee\n"
        b"r1;12AB;LAS2;;PP;2026-11-20;30;nee\n"
        b"r2;12AB;;https://id.school/LL_y;PP;2026-11-20;31;\n"
        b"r3;12AB;LAS3;;BINGEL-1;31-02-2026;12;ja\n"
        b"r4;12AB;LAS3;;BINGEL-1;2026-02-27;12;ja\n")
    assert [(b.line, b.reason.split(" ")[0]) for b in parsed.bad] == [(3, "resultaat-key"),
                                                                     (5, "afnamedatum")]
    assert [r.key for r in parsed.rows] == ["r1", "r2", "r4"]
    assert parsed.rows[1].eck_id and parsed.rows[1].pupil_key is None
    assert parsed.rows[2].practice


def test_json_without_the_optional_fields_is_read():
    parsed = parse_document(b'{"resultaten": [{"key": "r1", "brin": "12AB", "leerling": "L1",'
                            b' "toetscode": "PP", "afnamedatum": "20-11-2026", "score": 3}]}')
    assert parsed.bad == ()
    row = parsed.rows[0]
    assert (row.vestiging, row.eck_id, row.test_name, row.norm, row.practice) == (
        "00", None, "", (), False)


async def test_the_coupling_card_says_what_each_lvs_answered(double, sessions, demo, alex):
    """One Dutch Excel export for two LVSs: the practice row only to Momento, unknown school and
    pupil named; ParnasSys refuses the key in a default-namespace fault, Momento accepts, and
    then Momento is briefly down; the card says each in words a teacher understands."""
    lvs, _ = double
    async with aiohttp.ClientSession() as http:
        services = Services.build(sessions, clock=fixed_clock, secrets=SecretBox(TEST_KEY),
                                  results_clients={s: ResultsClient(
                                      s, http, endpoint=lvs.url + s, klantcode=KLANTCODE,
                                      klantnaam=KLANTNAAM, xsd_version="2.2", timeout=1.0,
                                      attempts=2, backoff=0, sleep=_no_wait)
                                      for s in ("momento", "parnassys")})
        for system in ("parnassys", "momento"):
            await services.exchange.add_coupling(alex, 1, system, GOOD_KEY, replace=True)
        (p1, _), (_, eck2), _ = await _pupils(sessions)
        csv = ("\ufeffKlas;key;brin;vestiging;leerling;eckid;toetscode;afnamedatum;score;"
               "bingel_oefening\r\n"
               f"5a;R1;12AB;00;{p1};;PP-G5;20-11-2026;34;nee\r\n"
               f"5a;R2;12AB;00;;{eck2};PP-G5;2026-11-20;30;\r\n"
               f"5a;B1;12AB;00;{p1};;BINGEL-7;21-11-2026;7;ja\r\n"
               "\r\n"
               f"5a;X1;99ZZ;00;{p1};;PP-G5;20-11-2026;34;nee\r\n"
               "5a;X2;12AB;00;;https://id.school/LL_nobody;PP-G5;20-11-2026;34;nee\r\n")
        report = await services.results.import_document(OPERATOR, csv.encode(), kind="csv")
        assert [p.line for p in report.problems] == [6, 7]
        assert sorted(report.by_coupling) == [("12AB00", "momento", 3), ("12AB00", "parnassys", 2)]

        lvs.plans["/parnassys"] = [(500, fault("Client.AutorisatieOngeldig",
                                               prefix=None).encode(), TXT)]
        lvs.plans["/momento"] = [(200, b"\xef\xbb\xbf" + confirmation().encode(), TXT)]
        sent = await services.results.send_pending(OPERATOR)
        assert sorted((c.system, c.status, c.sent) for c in sent.couplings) == [
            ("momento", "active", 3), ("parnassys", "rejected", 0)]
        assert all(validation_errors(body) == [] for _, body in lvs.requests)
        momento = etree.fromstring(lvs.by_path["/momento"][0])
        parnassys = etree.fromstring(lvs.by_path["/parnassys"][0])
        keys = f".//{{{NS_LR}}}resultaat"
        assert sorted(r.get("key") for r in momento.iterfind(keys)) == ["B1", "R1", "R2"]
        assert sorted(r.get("key") for r in parnassys.iterfind(keys)) == ["R1", "R2"]
        shown = _card(await services.exchange.exchange_overview(alex, 1))
        assert "Sleutel geweigerd" in shown and "ParnasSys heeft de sleutel geweigerd" in shown
        assert "Actief" in shown and "heeft 3 resultaten van Malmberg aangenomen" in shown

        # Momento is briefly down (both tries): it says so, and nothing is lost.
        await services.results.import_document(OPERATOR, csv.replace("34;nee", "35;nee")
                                               .encode(), kind="csv")
        down = (500, fault("SOAP-ENV:Server.TijdelijkNietBeschikbaar",
                           prefix="SOAP-ENV").encode(), TXT)
        lvs.plans["/momento"] = [down, down]
        lvs.plans["/parnassys"] = [(502, b"<html>Bad Gateway</html>", HTML)] * 2
        sent = await services.results.send_pending(OPERATOR)
        assert sorted((c.system, c.status) for c in sent.couplings) == [
            ("momento", "unreachable"), ("parnassys", "unreachable")]
        shown = _card(await services.exchange.exchange_overview(alex, 1))
        assert "LVS niet bereikbaar" in shown and "Malmberg kon Momento nu niet bereiken" in shown


async def _no_wait(seconds: float) -> None:
    return None


async def _pupils(sessions):
    async with sessions() as session:
        rows = (await session.execute(
            select(Person.basispoort_key, Person.eck_id).join(Role, Role.person_id == Person.id)
            .where(Role.school_id == 1, Role.role == ROLE_PUPIL, Person.eck_id.is_not(None))
            .order_by(Person.id).limit(3))).all()
    return [tuple(r) for r in rows]


def _card(overview) -> str:
    card = overview_card(Texts(), overview)
    check_card(card)
    return "\n".join(card_texts(card))
