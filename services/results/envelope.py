"""The UWLR 2.2 BrengLeerresultaten message: built from queued results, checked against the
kept XSDs (services/results/schemas), and the LVS's answer read back (bevestiging or fault)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
NS_AUT = "http://www.edustandaard.nl/leerresultaten/2/autorisatie"
NS_LR = "http://www.edustandaard.nl/leerresultaten/2/leerresultaten"
NS_OSO = "http://www.edustandaard.nl/oso_gegevensset/1.2/dossier"
SOAP_ACTION = "BrengLeerresultaten"
DEFAULT_XSD_VERSION = "2.2"
AUTEUR = "Malmberg Resultatenmonitor"
MAX_ANSWER_BYTES = 1_000_000


@dataclass(frozen=True)
class Authorisation:
    key: str
    klantcode: str
    klantnaam: str


@dataclass(frozen=True)
class School:
    brin: str
    vestiging: str
    school_year: str


@dataclass(frozen=True)
class Record:
    """One queued result as it goes into the message."""

    id: int
    key: str
    pupil_key: str
    eck_id: str | None
    test_code: str
    test_name: str
    taken_on: date
    score: int | None
    ability: str | None
    norm: str  # JSON list of bands (documents.NormBand.as_json)


@cache
def schema() -> etree.XMLSchema:
    """SOAP 1.1 envelope + autorisatie + leerresultaten, strictly (see schemas/README.md)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "uwlr_leerresultaten_soap.xsd")))


def validation_errors(document: bytes) -> list[str]:
    """Empty when the envelope is valid; else the schema's complaints (no element text)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(document, parser)
    except etree.XMLSyntaxError as exc:
        return [f"geen XML: {exc.msg}"]
    checker = schema()
    if checker.validate(root):
        return []
    return [f"regel {e.line}: {e.message}" for e in checker.error_log][:20]


def _sub(parent, tag: str, text: object = None, **attrs):
    element = etree.SubElement(parent, tag, **attrs)
    if text is not None:
        element.text = str(text)
    return element


def build_request(auth: Authorisation, school: School, records: list[Record], *,
                  forward_grades: bool, xsd_version: str = DEFAULT_XSD_VERSION,
                  now: datetime | None = None) -> bytes:
    """One leerresultaten_verzoek for one school: every result under its pupil, every test
    once with its norm; school grades only when the school forwards them."""
    now = now or datetime.now(UTC)
    env = etree.Element(f"{{{SOAP11}}}Envelope", nsmap={"soapenv": SOAP11, "aut": NS_AUT,
                                                        "lr": NS_LR, "oso": NS_OSO})
    header = _sub(env, f"{{{SOAP11}}}Header")
    aut = _sub(header, f"{{{NS_AUT}}}autorisatie")
    _sub(aut, f"{{{NS_AUT}}}autorisatiesleutel", auth.key)
    _sub(aut, f"{{{NS_AUT}}}klantcode", auth.klantcode)
    _sub(aut, f"{{{NS_AUT}}}klantnaam", auth.klantnaam)
    body = _sub(env, f"{{{SOAP11}}}Body")
    verzoek = _sub(body, f"{{{NS_LR}}}leerresultaten_verzoek")
    sch = _sub(verzoek, f"{{{NS_LR}}}school")
    _sub(sch, f"{{{NS_LR}}}schooljaar", school.school_year)
    _sub(sch, f"{{{NS_LR}}}brincode", school.brin)
    _sub(sch, f"{{{NS_LR}}}dependancecode", school.vestiging)
    _sub(sch, f"{{{NS_LR}}}aanmaakdatum",
         now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    _sub(sch, f"{{{NS_LR}}}auteur", AUTEUR)
    _sub(sch, f"{{{NS_LR}}}xsdversie", xsd_version)

    afnames = _sub(verzoek, f"{{{NS_LR}}}toetsafnames")
    by_pupil: dict[tuple[str, str | None], list[Record]] = {}
    for record in records:
        by_pupil.setdefault((record.pupil_key, record.eck_id), []).append(record)
    for (pupil, eck), own in by_pupil.items():
        afname = _sub(afnames, f"{{{NS_LR}}}toetsafname")
        _sub(afname, f"{{{NS_LR}}}leerlingid", pupil)
        if eck:
            _sub(afname, f"{{{NS_LR}}}eckid", eck)
        resultaten = _sub(afname, f"{{{NS_LR}}}resultaten")
        for record in own:
            res = _sub(resultaten, f"{{{NS_LR}}}resultaat", key=record.key)
            _sub(res, f"{{{NS_LR}}}afnamedatum", record.taken_on.isoformat())
            _sub(res, f"{{{NS_LR}}}toetscode", record.test_code)
            if record.score is not None:
                _sub(res, f"{{{NS_LR}}}score", record.score)
            else:
                oso = _sub(res, f"{{{NS_LR}}}osoresultaat")
                toetsscore = _sub(oso, f"{{{NS_OSO}}}toetsscore")
                _sub(toetsscore, f"{{{NS_OSO}}}vaardigheidsscore", record.ability)

    toetsen = _sub(verzoek, f"{{{NS_LR}}}toetsen")
    tests: dict[str, Record] = {}
    for record in records:
        tests.setdefault(record.test_code, record)
    for code, record in tests.items():
        toets = _sub(toetsen, f"{{{NS_LR}}}toets")
        _sub(toets, f"{{{NS_LR}}}toetscode", code)
        if record.test_name:
            _sub(toets, f"{{{NS_LR}}}toetsnaam", record.test_name)
        bands = json.loads(record.norm or "[]")
        if bands and record.score is not None:
            normering = _sub(toets, f"{{{NS_LR}}}toetsnormering")
            for band in bands:
                norm = _sub(normering, f"{{{NS_LR}}}norm")
                _sub(norm, f"{{{NS_LR}}}term", band["term"])
                _sub(norm, f"{{{NS_LR}}}beginnormwaarde", band["van"])
                _sub(norm, f"{{{NS_LR}}}eindnormwaarde", band["tot"])
                if forward_grades and band.get("schoolcijfer_vanaf") is not None:
                    _sub(norm, f"{{{NS_LR}}}schoolcijfer_vanaf", band["schoolcijfer_vanaf"])
                    _sub(norm, f"{{{NS_LR}}}schoolcijfer_totenmet",
                         band["schoolcijfer_totenmet"])
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


@dataclass(frozen=True)
class Answer:
    """What the LVS said: 'accepted', 'fault' (with its code and text), or 'garbled'."""

    kind: str
    fault_code: str = ""
    fault_text: str = ""  # faultstring and detail: only searched for our own record keys


def read_answer(status: int, document: bytes, charset: str | None = None) -> Answer:
    """An HTTP answer of the LVS read strictly: only a schema-valid envelope counts.
    `charset` is the HTTP Content-Type's; it counts only when the XML declares none."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    if charset and b"encoding=" not in document[:100]:
        try:  # e.g. ISO-8859-1 said only in the HTTP header: XML would assume UTF-8
            document = document.decode(charset).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            return Answer("garbled")
    try:
        root = etree.fromstring(document, parser)
    except (etree.XMLSyntaxError, ValueError):
        return Answer("garbled")
    if root.tag != f"{{{SOAP11}}}Envelope":
        return Answer("garbled")
    first = root.find(f"{{{SOAP11}}}Body/*")
    if first is None:
        return Answer("garbled")
    if first.tag == f"{{{SOAP11}}}Fault":
        code = (_fault_part(first, "faultcode", "findtext") or "").strip()
        code = code.split(":", 1)[1] if ":" in code else code
        texts = [_fault_part(first, "faultstring", "findtext") or ""]
        detail = _fault_part(first, "detail", "find")
        if detail is not None:
            texts.append(" ".join(detail.itertext()))
        return Answer("fault", code[:60], " ".join(texts)[:4000])
    if (first.tag == f"{{{NS_LR}}}leerresultaten_bevestiging" and status == 200
            and schema().validate(root)):
        return Answer("accepted")
    return Answer("garbled")


def _fault_part(fault, name: str, how: str):
    """A Fault's child as SOAP 1.1 has it (unqualified), or as servers that write the envelope
    in a default namespace, or prefix every element, send it (in the envelope's namespace)."""
    found = getattr(fault, how)(name)
    return found if found is not None else getattr(fault, how)(f"{{{SOAP11}}}{name}")
