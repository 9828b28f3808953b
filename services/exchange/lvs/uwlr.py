"""A UWLR (Edustandaard) SOAP client that checks an autorisatiesleutel by HaalLeerlinggegevens,
only for an LVS that agreed to that; see docs/uwlr.md."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import UTC
from xml.etree.ElementTree import ParseError, XMLPullParser
from xml.sax.saxutils import escape

import aiohttp

from services.exchange.lvs.base import (
    ACTIVE,
    CONNECT,
    INVALID_RESPONSE,
    PENDING,
    REJECTED,
    TIMEOUT,
    UNREACHABLE,
    SchoolIdentity,
    Verification,
)

log = logging.getLogger(__name__)

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
NS_AUTORISATIE = "http://www.edustandaard.nl/leerresultaten/2/autorisatie"
NS_LEERLINGGEGEVENS = "http://www.edustandaard.nl/leerresultaten/2/leerlinggegevens"
SOAP_ACTION = "HaalLeerlinggegevens"
XSD_VERSION = "2.2"  # the default; a setting per LVS (LVS_XSDVERSIE_<SYSTEM>)

# UWLR fault codes (SOAP 1.1 dotted faultcode, e.g. 'Client.AutorisatieOngeldig').
FAULT_KEY_REJECTED = "Client.AutorisatieOngeldig"
# The LVS does not know this klant, or the school under this key (the BRIN or vestiging it
# knows may differ from ours): for the coördinator that is a refused key too.
FAULT_SCHOOL_UNKNOWN = "Client.OngeldigeKlantIdentificatie"
MAX_RESPONSE_BYTES = 1_000_000  # a fault is small; a success is recognised in the first bytes
_FORBIDDEN = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)  # SOAP forbids DTDs
_FAULT_CODE = re.compile(r"(Client|Server|Sender|Receiver)(\.[A-Za-z]{1,40})?")


def envelope(key: str, klantcode: str, klantnaam: str, school: SchoolIdentity,
             xsd_version: str = XSD_VERSION) -> bytes:
    """A UWLR leerlinggegevens_verzoek with the autorisatie header (SOAP 1.1).

    'laatstontvangengegevens' is now: we only want to know whether the key is accepted, not
    the school's pupils, so the LVS has (next to) nothing to send back.
    """
    as_of = school.as_of.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP11}" xmlns:aut="{NS_AUTORISATIE}"'
        f' xmlns:leer="{NS_LEERLINGGEGEVENS}">'
        "<soapenv:Header><aut:autorisatie>"
        f"<aut:autorisatiesleutel>{escape(key)}</aut:autorisatiesleutel>"
        f"<aut:klantcode>{escape(klantcode)}</aut:klantcode>"
        f"<aut:klantnaam>{escape(klantnaam)}</aut:klantnaam>"
        "</aut:autorisatie></soapenv:Header>"
        "<soapenv:Body><leer:leerlinggegevens_verzoek>"
        f"<leer:schooljaar>{escape(school.school_year)}</leer:schooljaar>"
        f"<leer:brincode>{escape(school.brin)}</leer:brincode>"
        f"<leer:dependancecode>{escape(school.vestiging)}</leer:dependancecode>"
        f"<leer:xsdversie>{escape(xsd_version)}</leer:xsdversie>"
        f"<leer:laatstontvangengegevens>{as_of}</leer:laatstontvangengegevens>"
        "</leer:leerlinggegevens_verzoek></soapenv:Body>"
        "</soapenv:Envelope>"
    ).encode()


@dataclass
class _Answer:
    """What the first element of the SOAP body says; None while still unknown."""

    kind: str | None = None  # 'antwoord' | 'fault' | 'other'
    fault_code: str = ""


class _ResponseReader:
    """Reads a SOAP response incrementally and stops as soon as the answer is known, so a
    successful answer's pupil data is never read, let alone kept."""

    def __init__(self) -> None:
        self._parser = XMLPullParser(events=("start", "end"))
        self._depth = 0
        self._in_body = False
        self._in_fault = False
        self._tail = b""
        self.answer = _Answer()
        self.done = False

    def feed(self, chunk: bytes) -> None:
        if _FORBIDDEN.search(self._tail + chunk):
            raise ParseError("DTD in SOAP response")
        self._tail = chunk[-16:]
        self._parser.feed(chunk)
        for event, element in self._parser.read_events():
            self._handle(event, element)
            if self.done:
                return

    def _handle(self, event: str, element) -> None:
        ns, _, local = element.tag.rpartition("}")
        ns = ns.lstrip("{")
        if event == "start":
            self._depth += 1
            if self._depth == 1 and (ns not in (SOAP11, SOAP12) or local != "Envelope"):
                self.answer.kind, self.done = "other", True
            elif self._depth == 2:
                self._in_body = ns in (SOAP11, SOAP12) and local == "Body"
            elif self._depth == 3 and self._in_body and self.answer.kind is None:
                if ns in (SOAP11, SOAP12) and local == "Fault":
                    self.answer.kind, self._in_fault = "fault", True
                elif ns == NS_LEERLINGGEGEVENS and local == "leerlinggegevens_antwoord":
                    self.answer.kind, self.done = "antwoord", True
                else:
                    self.answer.kind, self.done = "other", True
            return
        self._depth -= 1
        if self._in_fault and self._depth == 2:  # the Fault element ended
            self.answer.fault_code = _fault_code(element)
            self.done = True


def _fault_code(fault) -> str:
    """SOAP 1.1 <faultcode> ('Client.AutorisatieOngeldig', maybe with a prefix), or the
    innermost SOAP 1.2 Code/Subcode value."""
    code = fault.findtext("faultcode") or fault.findtext(f"{{{SOAP11}}}faultcode")
    if code is None:
        values = [v.text or "" for v in fault.iter(f"{{{SOAP12}}}Value")]
        code = values[-1] if values else ""
    code = code.strip()
    local = code.split(":", 1)[1] if ":" in code else code
    # Only the shape of a UWLR code is kept: no text an LVS chose (it could echo the key).
    return local if _FAULT_CODE.fullmatch(local) else "unknown"


def classify(status: int, answer: _Answer) -> Verification:
    """The coupling status for an HTTP status and the SOAP body's first element."""
    if answer.kind == "antwoord" and status == 200:
        return Verification(ACTIVE)
    if answer.kind == "fault":
        code = answer.fault_code
        detail = f"fault:{code}"
        if code.lower() in (FAULT_KEY_REJECTED.lower(), FAULT_SCHOOL_UNKNOWN.lower()):
            return Verification(REJECTED, detail)
        if code.lower().startswith(("client", "sender")):
            # Our request or our klantcode/klantnaam is wrong, not (provably) the school's key:
            # the coupling cannot be checked yet. The operator must fix the configuration.
            return Verification(PENDING, detail)
        return Verification(UNREACHABLE, detail)
    if status >= 400:
        return Verification(UNREACHABLE, f"http:{status}")
    return Verification(UNREACHABLE, INVALID_RESPONSE)


class UwlrClient:
    """One LVS that speaks UWLR over SOAP 1.1 at a configured endpoint."""

    def __init__(
        self,
        system: str,
        http: aiohttp.ClientSession,
        *,
        endpoint: str,
        klantcode: str,
        klantnaam: str,
        timeout: float,
        xsd_version: str = XSD_VERSION,
    ) -> None:
        self.system = system
        self._http = http
        self._endpoint = endpoint
        self._klantcode = klantcode
        self._klantnaam = klantnaam
        self._timeout = timeout
        self._xsd_version = xsd_version

    async def verify(self, key: str, school: SchoolIdentity) -> Verification:
        body = envelope(key, self._klantcode, self._klantnaam, school, self._xsd_version)
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{SOAP_ACTION}"'}
        try:
            async with asyncio.timeout(self._timeout):
                async with self._http.post(self._endpoint, data=body, headers=headers,
                                           allow_redirects=False) as response:
                    answer = await self._read(response)
                    result = classify(response.status, answer)
        except TimeoutError:
            result = Verification(UNREACHABLE, TIMEOUT)
        except aiohttp.ClientError as exc:
            log.warning("LVS %s niet bereikbaar: %s", self.system, type(exc).__name__)
            result = Verification(UNREACHABLE, CONNECT)
        if key in result.detail:  # an LVS that echoes the key in its fault code
            result = Verification(result.status, "fault:redacted")
        if result.status != ACTIVE:
            level = logging.ERROR if result.status == PENDING else logging.INFO
            log.log(level, "LVS-controle %s: %s (%s)", self.system, result.status, result.detail)
        return result

    @staticmethod
    async def _read(response: aiohttp.ClientResponse) -> _Answer:
        reader = _ResponseReader()
        read = 0
        try:
            async for chunk in response.content.iter_chunked(8192):
                read += len(chunk)
                reader.feed(chunk)
                if reader.done or read > MAX_RESPONSE_BYTES:
                    break
        except ParseError:  # not (well-formed) XML: an error page, a proxy, a DTD
            reader.answer = _Answer(kind="other")
        response.close()  # do not download the rest (pupil data) of a successful answer
        return reader.answer
