"""The text catalogs: complete in both languages, and every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest

from cards.i18n import PLURAL_FORMS, Texts, forms
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
    nl_entry, en_entry = nl.CATALOG[key], en.CATALOG[key]
    assert type(nl_entry) is type(en_entry), "plural forms in one language only"
    if isinstance(nl_entry, dict):
        assert set(nl_entry) == set(en_entry) == set(PLURAL_FORMS)
    for nl_text, en_text in zip(forms(nl_entry), forms(en_entry), strict=True):
        assert nl_text.strip() and en_text.strip()
        assert placeholders(nl_text) <= placeholders(forms(nl_entry)[-1])
        assert placeholders(en_text) <= placeholders(forms(en_entry)[-1])
    assert placeholders(forms(nl_entry)[-1]) == placeholders(forms(en_entry)[-1])


PLURAL_CASES = [
    ("pupil.more", {}, ("En nog 0 leerlingen. Typ een langere naam.",
                        "En nog 1 leerling. Typ een langere naam.",
                        "En nog 2 leerlingen. Typ een langere naam."),
     ("And 0 more pupils. Type a longer name.", "And 1 more pupil. Type a longer name.",
      "And 2 more pupils. Type a longer name.")),
    ("autolink.more_links", {}, ("En nog 0 koppelingen.", "En nog 1 koppeling.",
                                 "En nog 2 koppelingen."),
     ("And 0 more links.", "And 1 more link.", "And 2 more links.")),
    ("licences.count", {}, ("0 groepen gekoppeld", "1 groep gekoppeld", "2 groepen gekoppeld"),
     ("0 groups linked", "1 group linked", "2 groups linked")),
    ("children.count", {}, ("0 kinderen", "1 kind", "2 kinderen"),
     ("0 children", "1 child", "2 children")),
    ("children.done", {"children": "X", "licence": "L"},
     ("X staan nu op L.", "X staat nu op L.", "X staan nu op L."),
     ("X are now on L.", "X is now on L.", "X are now on L.")),
    ("childlic.done", {"children": "X", "licence": "L"},
     ("X hebben nu een licentie van L.", "X heeft nu een licentie van L.",
      "X hebben nu een licentie van L."),
     ("X now have a licence of L.", "X now has a licence of L.",
      "X now have a licence of L.")),
]


@pytest.mark.parametrize(("key", "params", "dutch", "english"), PLURAL_CASES)
def test_plural_forms_for_zero_one_and_two(key, params, dutch, english):
    for language, expected in (("nl", dutch), ("en", english)):
        t = Texts(language)
        assert tuple(t(key, count=n, **params) for n in (0, 1, 2)) == expected


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


# Dutch words that once stayed in English texts. Names stay Dutch (groups, methods, licences,
# 'Pluspunt groep 5'), and so do the CLI's own command words; the running text does not.
DUTCH_IN_ENGLISH = ("beheerdeel", "vestiging)", "the vestiging", "its vestiging",
                    "ict-coördinator", "coördinatoren")


@pytest.mark.parametrize("key", sorted(en.CATALOG))
def test_english_texts_translate_everything_but_names(key):
    for text in forms(en.CATALOG[key]):
        assert "{product} group" not in text, f"{key} translates a licence's name"
        plain = re.sub(r"\{[a-z_]+\}", "", text).lower()
        for word in DUTCH_IN_ENGLISH:
            assert word not in plain, f"{key}: {word!r} in {text!r}"


def test_licence_names_are_never_translated():
    from cards.names import licence_name, licence_title

    assert licence_name("Pluspunt", (4,)) == "Pluspunt groep 4"
    assert licence_name("Kleuterplein", (1, 2)) == "Kleuterplein groep 1/2"
    assert licence_name("Naut", (3, 4, 5, 6, 7, 8)) == "Naut groep 3 t/m 8"
    assert licence_title("Staal", (5,), "2026-2027") == "Staal groep 5 — 2026-2027"
    # No catalog builds a licence's name: it cannot come out translated.
    for catalog in (nl.CATALOG, en.CATALOG):
        assert not any(k.startswith("licence.") and k not in ("licence.auto", "licence.manual")
                       for k in catalog)


def test_not_enough_seats_says_child_or_children():
    for language, one, two in (
            ("nl", "Je kiest 1 kind, maar geen van de 30 licenties is nog vrij.",
             "Je kiest 2 kinderen, maar er zijn nog maar 1 van de 30 licenties vrij."),
            ("en", "You chose 1 child, but none of the 30 licences is free.",
             "You chose 2 children, but only 1 of the 30 licences are free.")):
        t = Texts(language)
        assert t("error.not_enough_seats", count=1, free=0, seats=30).startswith(one)
        assert t("error.not_enough_seats", count=2, free=1, seats=30).startswith(two)
