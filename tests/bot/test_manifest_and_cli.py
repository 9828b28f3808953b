"""The Teams app package and the beheerbot command."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import jsonschema
import pytest

from bot.cli import main
from bot.manifest import ManifestError, build_manifest

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
APP_ID = "11111111-2222-3333-4444-555555555555"


def test_manifest_is_valid_against_schema_1_30():
    schema = json.loads((SCHEMAS / "MicrosoftTeams.v1.30.schema.json").read_text())
    manifest = build_manifest(APP_ID, "beheerbot.malmberg.nl")
    jsonschema.Draft4Validator(schema).validate(manifest)
    assert manifest["bots"][0]["botId"] == APP_ID
    # personal for coördinatoren, team for the helpdesk's channel
    assert manifest["bots"][0]["scopes"] == ["personal", "team"]


@pytest.mark.parametrize("app_id,domain", [("not-a-guid", "bot.nl"), (APP_ID, "http://x"),
                                           ("", "bot.nl"), (APP_ID, "")])
def test_manifest_refuses_bad_ids(app_id, domain):
    with pytest.raises(ManifestError):
        build_manifest(app_id, domain)


def test_manifest_command_writes_a_zip(tmp_path, monkeypatch):
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    out = tmp_path / "app.zip"
    assert main(["manifest", "--app-id", APP_ID, "--domain", "bot.example.nl",
                 "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        assert package.read("color.png").startswith(b"\x89PNG")
    assert main(["manifest", "--app-id", "x", "--domain", "bot.example.nl",
                 "--out", str(out)]) == 2


def test_demo_data_command_is_idempotent_with_if_empty(tmp_path, monkeypatch):
    db = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    monkeypatch.setenv("BEHEERBOT_SECRET_KEY", "a-long-enough-test-passphrase")
    assert main(["db", "upgrade"]) == 0
    assert main(["demo-data", "--if-empty"]) == 0
    assert main(["demo-data", "--if-empty"]) == 0
    assert main(["demo-data"]) == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from schools").fetchone()[0] == 2


def test_bad_environment_stops_start_up(monkeypatch, capsys):
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    monkeypatch.delenv("MicrosoftAppPassword", raising=False)
    assert main(["db", "upgrade"]) == 2
    assert "MicrosoftAppPassword ontbreekt" in capsys.readouterr().err
    monkeypatch.delenv("MicrosoftAppId")
    monkeypatch.setenv("PORT", "abc")
    assert main(["db", "upgrade"]) == 2
