"""The helpdesk on every card that names it: its number and e-mail are tappable (tel:, mailto:),
and 'Hulp' links to the configured help page."""

from __future__ import annotations

import pytest

from cards import common, shortcuts
from cards.i18n import Texts
from tests.cardcheck import card_actions, card_texts, check_card

LANGUAGES = ("nl", "en")
TEL = "tel:+31736288722"
MAIL = "mailto:helpdesk.bao@malmberg.nl"


def _urls(card: dict) -> list[str]:
    return [a["url"] for a in card_actions(card) if a.get("type") == "Action.OpenUrl"]


def _cards_naming_the_helpdesk(t: Texts) -> dict[str, dict]:
    return {
        "help": common.help_card(t, 1),
        "help without school": common.help_card(t, None),
        "refusal staff": common.refusal_card(t, "staff", (("OBS", ("Alex",)),)),
        "refusal unknown": common.refusal_card(t, "unknown", ()),
        "refusal tenant": common.refusal_card(t, "tenant", ()),
        "topography": shortcuts.topography_card(t, 1),
        "turn error": common.turn_error_card(t),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_card_that_names_the_helpdesk_lets_you_tap_it(language):
    t = Texts(language)
    for name, card in _cards_naming_the_helpdesk(t).items():
        check_card(card)
        shown = "\n".join(card_texts(card))
        assert common.HELPDESK_PHONE in shown, name
        urls = _urls(card)
        assert TEL in urls, name
        assert MAIL in urls, name


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_links_to_the_manuals_help_page_or_the_configured_one(language):
    t = Texts(language)
    default = common.help_card(t, 1)
    assert "https://www.malmberg.nl/basisonderwijs/klantenservice-basisonderwijs.htm" in _urls(
        default)
    assert "malmberg.nl/basisonderwijs/klantenservice-basisonderwijs.htm" in "\n".join(
        card_texts(default))
    other = common.help_card(t, 1, help_page="https://help.example.nl/basis/")
    assert "https://help.example.nl/basis/" in _urls(other)
    assert "help.example.nl/basis" in "\n".join(card_texts(other))
    assert not any("klantenservice" in url for url in _urls(other))
    # Each button names what it does: the number to call, the address to write to.
    titles = [a["title"] for a in card_actions(default)]
    assert any(common.HELPDESK_PHONE in title for title in titles)
    assert any(common.HELPDESK_EMAIL in title for title in titles)
