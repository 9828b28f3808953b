"""The text catalogs: complete in both languages, and every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest

from cards.i18n import Texts
from cards.locale import en, nl


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


ROOT = Path(__file__).resolve().parents[2]
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")
ERROR_CODE = re.compile(r"""["'](error\.[a-z0-9_]+)["']""")


def test_both_catalogs_have_the_same_keys():
    assert sorted(set(nl.CATALOG) - set(en.CATALOG)) == []
    assert sorted(set(en.CATALOG) - set(nl.CATALOG)) == []


@pytest.mark.parametrize("key", sorted(nl.CATALOG))
def test_placeholders_match_and_texts_are_filled(key):
    assert nl.CATALOG[key].strip() and en.CATALOG[key].strip()
    assert placeholders(nl.CATALOG[key]) == placeholders(en.CATALOG[key])


def _sources(*folders: str):
    for folder in folders:
        yield from (ROOT / folder).rglob("*.py")


def test_every_key_used_in_code_exists():
    used = {m for path in _sources("cards", "dialogs", "bot")
            for m in KEY_USE.findall(path.read_text(encoding="utf-8"))}
    assert used, "the pattern found no keys at all"
    assert sorted(used - set(nl.CATALOG)) == []


def test_every_error_code_raised_by_the_services_has_a_text():
    codes = {m for path in _sources("services")
             for m in ERROR_CODE.findall(path.read_text(encoding="utf-8"))}
    assert "error.not_allowed" in codes
    assert sorted(codes - set(nl.CATALOG)) == []


def test_dutch_is_the_default_and_unknown_languages_fall_back():
    assert Texts().language == "nl"
    assert Texts("en-US").language == "nl"
    assert Texts("en")("common.cancel") == "Cancel"
    assert Texts("nl")("menu.greeting", name="Alex") == "Hallo Alex!"
