"""`beheerbot audit export`: a school's trail as CSV, refusals included, only that school's."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import stat

from bot.cli import main
from tests.conftest import Chat, db_rows
from tests.pincode_support import PincodeChat


async def cli(argv: list[str]) -> int:
    return await asyncio.to_thread(main, argv)  # main runs its own event loop


async def test_the_trail_of_one_school_with_its_refusals(bot_client, migrated_demo_db,
                                                         monkeypatch, capsys, tmp_path):
    chat = PincodeChat(bot_client)
    await chat.join()
    await chat.choose_school("OBS De Regenboog (12AB 00)")
    await chat.submit({"action": "language.set", "school_id": 1, "language": "en"})
    await chat.click("Pincodes")
    await chat.click("Groep 4")
    # Fatima coordinates the other school only: her try on this one is refused and audited.
    db_rows(migrated_demo_db, "update people set aad_object_id = 'fatima-aad', aad_tenant_id = "
            "'00000000-0000-0000-0000-0000000000001' where email = 'f.elamrani@cbshetkompas.nl'")
    fatima = Chat(bot_client, user_id="f", name="Fatima", aad="fatima-aad")
    await fatima.submit({"action": "school.pupils", "school_id": 1})

    monkeypatch.setenv("DATABASE_URL", migrated_demo_db)
    assert await cli(["audit", "export", "--school", "12AB", "--since", "2020-01-01"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["uitkomst"] for r in rows} == {"ok", "refused"}
    refused = [r for r in rows if r["uitkomst"] == "refused"]
    assert refused[0]["wie"] == "Fatima el Amrani" and refused[0]["actie"] == "require_school"
    assert any(r["uitkomst"] == "ok" for r in rows)
    assert all(r["gesprek"] for r in rows if r["wie"] != "onbekend")

    out = tmp_path / "trail.csv"
    assert await cli(["audit", "export", "--school", "34CD01", "--since", "2020-01-01",
                 "--out", str(out)]) == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert "Fatima el Amrani,require_school" not in out.read_text()  # the other school's trail only
    assert await cli(["audit", "export", "--school", "12AB", "--since", "gisteren"]) == 2
    assert await cli(["audit", "export", "--school", "99ZZ", "--since", "2020-01-01"]) == 1


async def test_the_operator_names_a_schools_tenant(migrated_demo_db, monkeypatch,
                                                   capsys):
    monkeypatch.setenv("DATABASE_URL", migrated_demo_db)
    tenant = "12345678-aaaa-bbbb-cccc-1234567890AB"
    assert await cli(["school", "tenant", "--school", "34CD01", "--tenant", tenant]) == 0
    assert "CBS Het Kompas" in capsys.readouterr().out
    assert db_rows(migrated_demo_db, "select entra_tenant_id from schools where brin = '34CD'"
                   ) == [(tenant.lower(),)]
    assert await cli(["school", "tenant", "--school", "34CD01", "--tenant", "x"]) == 1
    assert await cli(["school", "tenant", "--school", "99ZZ", "--tenant", tenant]) == 1


async def test_secrets_rotate_rewrites_every_pincode_under_the_new_key(
        migrated_demo_db, monkeypatch, capsys):
    from services.secrets import SecretBox
    from tests.conftest import TEST_KEY_TEXT

    before = dict(db_rows(migrated_demo_db, "select person_id, secret from pupil_credentials"))
    assert before
    new_key = "a-brand-new-secret-key-for-rotation"
    monkeypatch.setenv("DATABASE_URL", migrated_demo_db)
    monkeypatch.setenv("BEHEERBOT_SECRET_KEY", new_key)
    monkeypatch.delenv("BEHEERBOT_SECRET_KEY_PREVIOUS", raising=False)
    assert await cli(["secrets", "rotate"]) == 2  # without the old key nothing is touched
    monkeypatch.setenv("BEHEERBOT_SECRET_KEY_PREVIOUS", TEST_KEY_TEXT)
    old = SecretBox.from_text(TEST_KEY_TEXT)
    both = SecretBox.from_text(new_key).with_previous(old)
    plain = {pid: both.decrypt(blob, f"pincode:{pid}") for pid, blob in before.items()}
    assert await cli(["secrets", "rotate"]) == 0
    assert f"{len(before)} pincodes" in capsys.readouterr().out
    new_only = SecretBox.from_text(new_key)
    after = dict(db_rows(migrated_demo_db, "select person_id, secret from pupil_credentials"))
    assert {pid: new_only.decrypt(blob, f"pincode:{pid}") for pid, blob in after.items()} == plain
    assert await cli(["secrets", "rotate"]) == 0  # again: nothing left to rewrite
    assert "0 pincodes" in capsys.readouterr().out
