"""The UWLR client's key-check message and its reading of answers; the LVS settings."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree

import aiohttp
import pytest
from aiohttp import web

from bot.config import ConfigError, Settings
from services.exchange.lvs import LvsEndpoint, LvsSettings, SchoolIdentity, build_verifier
from services.exchange.lvs.uwlr import (
    NS_AUTORISATIE,
    NS_LEERLINGGEGEVENS,
    SOAP11,
    SOAP12,
    UwlrClient,
    _ResponseReader,
    classify,
    envelope,
)

SCHOOL = SchoolIdentity("12AB", "00", "2026-2027", datetime(2026, 11, 29, 10, 0, tzinfo=UTC))


def test_the_request_is_a_uwlr_leerlinggegevens_verzoek_with_the_autorisatie_header():
    key = "Pk77881FG-HJ<&>'\"="  # printable characters XML must escape
    root = ElementTree.fromstring(envelope(key, "89TY55661==866FFFG", "Malmberg", SCHOOL))
    assert root.tag == f"{{{SOAP11}}}Envelope"
    header = root.find(f"{{{SOAP11}}}Header/{{{NS_AUTORISATIE}}}autorisatie")
    assert [(child.tag.split("}")[1], child.text) for child in header] == [
        ("autorisatiesleutel", key), ("klantcode", "89TY55661==866FFFG"),
        ("klantnaam", "Malmberg")]
    body = root.find(f"{{{SOAP11}}}Body/{{{NS_LEERLINGGEGEVENS}}}leerlinggegevens_verzoek")
    assert [(child.tag.split("}")[1], child.text) for child in body] == [
        ("schooljaar", "2026-2027"), ("brincode", "12AB"), ("dependancecode", "00"),
        ("xsdversie", "2.2"), ("laatstontvangengegevens", "2026-11-29T10:00:00Z")]


def _answer(xml: str, chunk: int = 7):
    reader = _ResponseReader()
    data = xml.encode()
    for i in range(0, len(data), chunk):  # in small pieces, as a network would deliver it
        reader.feed(data[i:i + chunk])
        if reader.done:
            break
    return reader


FAULT11 = (f'<s:Envelope xmlns:s="{SOAP11}"><s:Header><x:autorisatie xmlns:x="urn:x"/>'
           "</s:Header><s:Body><s:Fault><faultcode>{code}</faultcode>"
           "<faultstring>Autorisatiesleutel Pk77881FG is ongeldig</faultstring></s:Fault>"
           "</s:Body></s:Envelope>")


@pytest.mark.parametrize(("code", "status", "detail"), [
    ("Client.AutorisatieOngeldig", "rejected", "fault:Client.AutorisatieOngeldig"),
    ("s:Client.AutorisatieOngeldig", "rejected", "fault:Client.AutorisatieOngeldig"),
    ("Client.OngeldigeKlantIdentificatie", "rejected", "fault:Client.OngeldigeKlantIdentificatie"),
    ("Server.TijdelijkNietBeschikbaar", "unreachable", "fault:Server.TijdelijkNietBeschikbaar"),
    ("Client.Pk77881FG-HJ99777737=", "unreachable", "fault:unknown"),  # keep no LVS text
    ("Sleutel Pk77881FG ongeldig", "unreachable", "fault:unknown"),
])
def test_faults_are_read_by_their_code_never_by_their_text(code, status, detail):
    reader = _answer(FAULT11.format(code=code))
    assert reader.done and reader.answer.kind == "fault"
    result = classify(500, reader.answer)
    assert (result.status, result.detail) == (status, detail)


def test_a_soap_1_2_fault_uses_its_innermost_code():
    xml = (f'<e:Envelope xmlns:e="{SOAP12}"><e:Body><e:Fault><e:Code><e:Value>e:Sender</e:Value>'
           "<e:Subcode><e:Value>Client.AutorisatieOngeldig</e:Value></e:Subcode></e:Code>"
           "</e:Fault></e:Body></e:Envelope>")
    assert classify(500, _answer(xml).answer).status == "rejected"


def test_success_is_known_from_the_first_element_and_the_rest_is_not_read():
    head = (f'<s:Envelope xmlns:s="{SOAP11}"><s:Body>'
            f'<le:leerlinggegevens_antwoord xmlns:le="{NS_LEERLINGGEGEVENS}">')
    reader = _answer(head + "<le:leerlingen>" + "<le:leerling/>" * 1000, chunk=64)
    assert reader.done and reader.answer.kind == "antwoord"
    assert classify(200, reader.answer).status == "active"
    assert classify(500, reader.answer).status == "unreachable"


@pytest.mark.parametrize("xml", [
    "<html><body>Bad gateway</body></html>",
    f'<s:Envelope xmlns:s="{SOAP11}"><s:Body><other xmlns="urn:x"/></s:Body></s:Envelope>',
])
def test_anything_else_is_not_an_lvs_answer(xml):
    answer = _answer(xml).answer
    assert answer.kind == "other"
    assert classify(200, answer).status == "unreachable"


def test_a_dtd_is_refused_before_it_is_parsed():
    with pytest.raises(ElementTree.ParseError):
        _answer(f'<!DOCTYPE x [<!ENTITY a "b">]><s:Envelope xmlns:s="{SOAP11}"/>')


async def test_client_reads_an_error_page_as_unreachable(aiohttp_server):
    app = web.Application()

    async def bad_gateway(request):
        return web.Response(status=502, text="<html>Bad gateway</html>", content_type="text/html")

    async def not_xml(request):
        return web.Response(text="<!DOCTYPE html><p>hallo</p>", content_type="text/html")

    app.router.add_post("/502", bad_gateway)
    app.router.add_post("/200", not_xml)
    server = await aiohttp_server(app)
    async with aiohttp.ClientSession() as http:
        for path, detail in (("/502", "http:502"), ("/200", "invalid-response")):
            client = UwlrClient("momento", http, endpoint=str(server.make_url(path)),
                                klantcode="c", klantnaam="Malmberg", timeout=2)
            result = await client.verify("Pk77881FG-HJ99777737=", SCHOOL)
            assert (result.status, result.detail) == ("unreachable", detail)


# -- settings -----------------------------------------------------------------------------------

def test_settings_from_the_environment():
    settings = LvsSettings.from_env({
        "LVS_ENDPOINT_MOMENTO": "https://momento.example/uwlr",
        "LVS_KLANTCODE_MOMENTO": "code-m",
        "LVS_ENDPOINT_PARNASSYS": "https://parnassys.example/uwlr",
        "LVS_KLANTCODE_PARNASSYS": "code-p",
        "LVS_KLANTNAAM_PARNASSYS": "Malmberg BV",
        "LVS_KEY_CHECK_PARNASSYS": "leerlinggegevens",
        "LVS_XSDVERSIE_MOMENTO": "2.3",
        "LVS_TIMEOUT_SECONDS": "3",
        "LVS_VERIFY_INTERVAL_SECONDS": "0",
    })
    assert dict(settings.endpoints) == {
        "parnassys": LvsEndpoint("https://parnassys.example/uwlr", "code-p", "Malmberg BV",
                                 pupil_check=True),
        "momento": LvsEndpoint("https://momento.example/uwlr", "code-m", "Malmberg",
                               xsd_version="2.3"),
    }
    assert (settings.timeout, settings.verify_interval) == (3.0, 0.0)
    assert "code-m" not in repr(settings)
    assert LvsSettings.from_env({}) == LvsSettings()
    # Only the LVS that agreed to it gets a key check by pupil data.
    assert set(build_verifier(settings, http=None).configured) == {"parnassys"}


@pytest.mark.parametrize(("env", "message"), [
    ({"LVS_ENDPOINT_MOMENTO": "https://m.example"}, "LVS_KLANTCODE_MOMENTO ontbreekt"),
    ({"LVS_ENDPOINT_EASYRAPPORT": "ftp://e.example", "LVS_KLANTCODE_EASYRAPPORT": "c"},
     "http(s)-adres"),
    ({"LVS_TIMEOUT_SECONDS": "30"}, "LVS_TIMEOUT_SECONDS"),
    ({"LVS_TIMEOUT_SECONDS": "snel"}, "een getal"),
    ({"LVS_VERIFY_INTERVAL_SECONDS": "1"}, "LVS_VERIFY_INTERVAL_SECONDS"),
])
def test_bad_lvs_settings_stop_start_up(env, message):
    with pytest.raises(ConfigError) as stopped:
        Settings.from_env(env)
    assert message in str(stopped.value)
