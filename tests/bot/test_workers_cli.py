"""`beheerbot serve --workers N` refuses what the database cannot use, before anything starts."""

from __future__ import annotations

import pytest

from bot.cli import main


@pytest.mark.parametrize(("argv", "env", "message"), [
    (["serve", "--workers", "2"], {}, "--workers 2 kan alleen met PostgreSQL"),
    (["serve", "--workers", "0"], {}, "--workers moet tussen 1 en 64 liggen, niet 0."),
    (["serve", "--workers", "65"], {"DATABASE_URL": "postgresql://u@h/db"},
     "--workers moet tussen 1 en 64 liggen"),
    (["serve"], {"WORKERS": "veel"}, "WORKERS moet een aantal processen zijn, niet 'veel'."),
    (["serve"], {"WORKERS": "3"}, "--workers 3 kan alleen met PostgreSQL"),
    (["serve"], {"DATABASE_POOL_SIZE": "0"},
     "DATABASE_POOL_SIZE moet een aantal verbindingen zijn (1 tot en met 1000), niet '0'."),
    (["serve"], {"EVENT_LOOP": "trio"}, "EVENT_LOOP moet uvloop of asyncio zijn, niet 'trio'."),
])
def test_serve_refuses_workers_it_cannot_run(tmp_path, monkeypatch, capsys, argv, env, message):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("WORKERS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()  # refused before the database was touched


def test_serve_refuses_uvloop_where_it_is_not_installed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("EVENT_LOOP", "uvloop")
    monkeypatch.setattr("bot.config.uvloop_installed", lambda: False)
    assert main(["serve"]) == 2
    assert "EVENT_LOOP=uvloop, maar uvloop is niet geïnstalleerd" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()
