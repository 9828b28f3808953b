"""GET /downloads/pincodes/<token> through the real app, and `beheerbot pincodes print`."""

from __future__ import annotations

import io
import json
import logging
import os
from datetime import timedelta

import pytest
from pypdf import PdfReader

from bot.app import RUNTIME, create_app
from bot.cli import main
from bot.downloads import RedactingAccessLogger
from services.pincodes.links import LinkClaim, issue, sign
from services.pincodes.service import credential_context
from services.secrets import SecretBox
from tests.conftest import TEST_KEY, TEST_KEY_TEXT, db_rows, fixed_clock, make_settings
from tests.pincode_support import PincodeChat

REGENBOOG, KOMPAS = 1, 2
LINK_KEY = SecretBox(TEST_KEY).derive_key("download-links")


class Clock:
    """A clock the test moves forward; no sleeping."""

    def __init__(self) -> None:
        self.now = fixed_clock()

    def __call__(self):
        return self.now


def _ids(db_url: str) -> dict[str, int]:
    people = dict(db_rows(db_url, "select basispoort_key, id from people where basispoort_key "
                                  "in ('coord-alex', 'coord-fatima', 'teacher-megan')"))
    groups = {f"{school}:{name}": gid for gid, school, name
              in db_rows(db_url, "select id, school_id, name from groups")}
    return {"alex": people["coord-alex"], "fatima": people["coord-fatima"],
            "megan": people["teacher-megan"], "groep4": groups[f"{REGENBOOG}:Groep 4"],
            "kompas5": groups[f"{KOMPAS}:Groep 5"]}


def _codes(db_url: str, group_id: int) -> dict[str, str]:
    box = SecretBox(TEST_KEY)
    rows = db_rows(
        db_url, "select p.id, p.first_name, p.tussenvoegsel, p.last_name, c.secret from people p "
        "join group_members m on m.person_id = p.id join pupil_credentials c "
        "on c.person_id = p.id where m.group_id = :group and m.role = 'pupil'", group=group_id)
    return {" ".join(x for x in (first, tv, last) if x):
            box.decrypt(secret, credential_context(pid))
            for pid, first, tv, last, secret in rows}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def client(aiohttp_client, migrated_demo_db, clock):
    return await aiohttp_client(create_app(make_settings(migrated_demo_db), clock=clock))


async def _link_from_the_chat(client) -> str:
    chat = PincodeChat(client)
    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")
    await chat.say("pincodes groep 4")
    await chat.click("Print pincodes")
    assert "De link werkt 10 minuten" in chat.texts()
    return chat.button("Open de PDF")["url"].removeprefix("http://127.0.0.1:3978")


async def test_a_fresh_link_gives_the_pdf_and_expires_after_ten_minutes(client, clock, migrated_demo_db):
    path = await _link_from_the_chat(client)
    response = await client.get(path)
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store, private"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(await response.read())).pages)
    codes = _codes(migrated_demo_db, _ids(migrated_demo_db)["groep4"])
    assert codes and all(name in text and code in text for name, code in codes.items())

    clock.now += timedelta(minutes=9, seconds=59)
    assert (await client.get(path)).status == 200
    clock.now += timedelta(seconds=1)
    expired = await client.get(path)
    assert expired.status == 410
    assert await expired.text() == "Deze link is verlopen. Vraag in de chat met de beheerbot " \
                                   "een nieuwe aan."
    assert expired.headers["Cache-Control"] == "no-store, private"


async def test_forged_tampered_and_other_school_links_are_refused(client, migrated_demo_db):
    ids = _ids(migrated_demo_db)
    path = await _link_from_the_chat(client)
    token = path.rsplit("/", 1)[1]
    version, payload, signature = token.split(".")
    expires = int((fixed_clock() + timedelta(minutes=10)).timestamp())

    def signed(school, group, person):
        return sign(LINK_KEY, LinkClaim("pincodes", school, group, person, expires))

    refused = {
        "forged with another key": issue(b"f" * 32, "pincodes", REGENBOOG, ids["groep4"],
                                         ids["alex"], fixed_clock())[0],
        "tampered payload": f"{version}.{payload[:-2]}{'AB' if payload[-2:] != 'AB' else 'CD'}"
                            f".{signature}",
        "tampered signature": f"{version}.{payload}.{signature[::-1]}",
        "other group, old signature": f"{version}.{signed(REGENBOOG, ids['kompas5'], ids['alex']).split('.')[1]}.{signature}",
        # Authentic signatures, but claims that do not hold:
        "other school's group": signed(REGENBOOG, ids["kompas5"], ids["alex"]),
        "group named under the wrong school": signed(KOMPAS, ids["groep4"], ids["alex"]),
        "coordinator of the other school": signed(REGENBOOG, ids["groep4"], ids["fatima"]),
        "a teacher": signed(REGENBOOG, ids["groep4"], ids["megan"]),
        "a person who does not exist": signed(REGENBOOG, ids["groep4"], 999_999),
        "a group that does not exist": signed(REGENBOOG, 999_999, ids["alex"]),
        "a school that does not exist": signed(999_999, ids["groep4"], ids["alex"]),
        "garbage": "not-a-token",
        "too long": "v1." + "a" * 400 + ".b",
    }
    codes = set(_codes(migrated_demo_db, ids["groep4"]).values())
    for why, bad in refused.items():
        response = await client.get(f"/downloads/pincodes/{bad}")
        body = await response.text()
        assert response.status == 403, why
        assert body == "Deze link is ongeldig.", why  # nothing about why
        assert not any(code in body for code in codes)
    assert (await client.get("/downloads/pincodes/")).status == 404
    assert (await client.head(path)).status == 405
    assert (await client.post(path)).status == 405
    audited = [json.loads(d) for (d,) in db_rows(
        migrated_demo_db, "select detail from audit_events where outcome = 'refused' and "
        "action in ('pincode_download', 'print_pincodes')")]
    # Every refusal of an authentic link once; forged and garbled ones (no login needed to
    # send thousands) write no row.
    unsigned = ("forged with another key", "tampered payload", "tampered signature",
                "other group, old signature", "garbage", "too long")
    assert len(audited) == len(refused) - len(unsigned)
    assert (await client.get(path)).status == 200  # the real link still works


# -- the command line ------------------------------------------------------------------------------

def test_cli_prints_a_groups_pincodes_to_a_private_file(migrated_demo_db, tmp_path,
                                                        monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", migrated_demo_db)
    monkeypatch.setenv("BEHEERBOT_SECRET_KEY", TEST_KEY_TEXT)
    out = tmp_path / "groep4.pdf"
    assert main(["pincodes", "print", "--school", "12AB", "--group", "groep 4",
                 "--out", str(out)]) == 0
    assert (os.stat(out).st_mode & 0o777) == 0o600
    text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    codes = _codes(migrated_demo_db, _ids(migrated_demo_db)["groep4"])
    assert all(name in text and code in text for name, code in codes.items())
    assert not any(code in capsys.readouterr().err for code in codes.values())
    [(detail,)] = db_rows(migrated_demo_db,
                          "select detail from audit_events where action = 'print_pincodes'")
    assert json.loads(detail)["via"] == "cli"

    assert main(["pincodes", "print", "--school", "34CD01", "--group", "4",
                 "--out", str(tmp_path / "x.pdf")]) == 1
    assert "Meerdere groepen passen bij deze naam: Groep 4a, Groep 4b." in capsys.readouterr().err
    assert main(["pincodes", "print", "--school", "99ZZ", "--group", "4",
                 "--out", str(tmp_path / "x.pdf")]) == 1
    assert "Deze school bestaat niet" in capsys.readouterr().err
    assert main(["pincodes", "print", "--school", "Regenboog", "--group", "4",
                 "--out", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "BRIN" in err and "kaart" not in err  # a command line has no card or menu
    assert not (tmp_path / "x.pdf").exists()


async def test_the_access_log_never_holds_a_links_token(aiohttp_server, aiohttp_client,
                                                        migrated_demo_db, caplog):
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    server = await aiohttp_server(create_app(make_settings(migrated_demo_db), clock=fixed_clock),
                                  access_log_class=RedactingAccessLogger)  # as `serve` does
    client = await aiohttp_client(server)
    path = await _link_from_the_chat(client)
    assert (await client.get(path)).status == 200
    token = path.rsplit("/", 1)[1]
    access = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert any("GET /downloads/pincodes/REDACTED " in line for line in access)
    assert any("POST /api/messages" in line for line in access)
    assert not any(token in line for line in access)


async def test_a_failing_download_logs_no_token_and_reveals_nothing(client, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    path = await _link_from_the_chat(client)
    token = path.rsplit("/", 1)[1]
    services = client.app[RUNTIME].services

    async def broken(token):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services.pincodes, "pincode_sheet_for_link", broken)
    response = await client.get(path)
    assert response.status == 500
    assert response.headers["Cache-Control"] == "no-store, private"
    assert "database" not in await response.text()
    assert any(r.levelno == logging.ERROR for r in caplog.records)  # the failure is logged...
    logged = "\n".join(line for line in caplog.text.splitlines()
                       if "aiohttp.access" not in line)  # `serve` redacts that one, see below
    assert token not in logged  # ...but never the link, a 10-minute key to the codes
