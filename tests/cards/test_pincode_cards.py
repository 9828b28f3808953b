"""Pincode cards and the printable PDF: actions, what is (not) shown, schema, size, content."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from cards.actions.pincodes import (
    INPUT_PINCODE,
    KEY_PUPIL,
    PINCODE_GROUP,
    PINCODE_NEW_HIDE,
    PINCODE_SAVE,
    PINCODES_HIDE,
    PINCODES_SHOW,
)
from cards.i18n import Texts
from cards.pincode_pdf import pincode_pdf
from cards.pincodes import (
    change_pincode_card,
    confirm_mode_card,
    mode_switched_card,
    pincode_changed_card,
    pincode_group_card,
    pincode_groups_card,
    print_link_card,
)
from services.pincodes.results import (
    MODE_DIGITS,
    MODE_PICTURES,
    PICTURES,
    LoginModeDTO,
    PincodeCardDTO,
    PincodeGroupChoiceDTO,
    PincodeGroupDTO,
    PincodePupilDTO,
    PincodeSheetDTO,
    PincodeStartDTO,
    PrintLinkDTO,
    PupilCodeDTO,
)
from services.pincodes.service import PINCODE_PAGE_SIZE
from tests.cardcheck import card_actions, check_card

NL = Texts("nl")
CODES = ["482910", "730519", "5093"]


def _group(revealed: bool, mode: str = MODE_DIGITS, pupils: int = 3, page: int = 1,
           page_count: int = 1) -> PincodeGroupDTO:
    rows = []
    for i in range(pupils):
        code = CODES[i % 3] if mode == MODE_DIGITS else "zon-maan-ster-hart"
        rows.append(PupilCodeDTO(person_id=100 + i, name=f"Leerling met een lange naam {i}",
                                 has_code=i != 2, code=code if revealed and i != 2 else None))
    return PincodeGroupDTO(school_id=1, school_name="OBS De Regenboog", group_id=4,
                           group_name="Groep 4", login_mode=mode, pupils=tuple(rows),
                           revealed=revealed, page=page, page_count=page_count, total=pupils)




def _executes(card: dict) -> dict[str, dict]:
    return {a["title"]: a for a in card_actions(card) if a["type"] == "Action.Execute"}


def test_the_hidden_card_shows_no_code_and_offers_toon_pincodes():
    card = pincode_group_card(NL, _group(revealed=False))
    check_card(card)
    flat = json.dumps(card, ensure_ascii=False)
    assert not any(code in flat for code in CODES)
    assert "Leerling met een lange naam 0" in flat and "geen pincode" in flat
    show = _executes(card)["Toon pincodes"]
    assert show["verb"] == PINCODES_SHOW
    assert show["data"] == {"action": PINCODES_SHOW, "school_id": 1, "group_id": 4, "page": 1}
    assert show["fallback"] == {"type": "Action.Submit", "title": "Toon pincodes",
                                "data": show["data"]}
    titles = {a["title"] for a in card_actions(card)}
    assert {"Inlogmethode", "Print pincodes", "Andere groep", "Menu"} <= titles
    changes = [a for a in card_actions(card) if a["title"].startswith("Wijzig ")]
    assert [a["data"][KEY_PUPIL] for a in changes] == [100, 101, 102]


def _pupil_rows(card: dict) -> list[dict]:
    return [e for e in card["body"] if e.get("type") == "ColumnSet"
            and e["columns"][-1]["items"][0].get("type") == "ActionSet"]


def test_every_row_fits_a_phone_and_names_whose_pincode_it_changes():
    """No weighted columns that squeeze the button off the card's edge: the name and code
    stretch and wrap, the button column is only as wide as its title."""
    pupils = (PupilCodeDTO(person_id=1, name="Sofie van der Meer", has_code=True,
                           first_name="Sofie"),
              PupilCodeDTO(person_id=2, name="Sofie Jansen", has_code=True, first_name="Sofie"),
              PupilCodeDTO(person_id=3, name="Daan de Boer", has_code=False, first_name="Daan"))
    group = PincodeGroupDTO(school_id=1, school_name="OBS De Regenboog", group_id=4,
                            group_name="Groep 4", login_mode=MODE_DIGITS, pupils=pupils,
                            revealed=False, total=3)
    for language in ("nl", "en"):
        card = pincode_group_card(Texts(language), group)
        check_card(card)
        rows = _pupil_rows(card)
        assert len(rows) == 3
        for row in rows:
            assert [c["width"] for c in row["columns"]] == ["stretch", "auto"]
            assert all(item.get("wrap") for item in row["columns"][0]["items"])
    rows = _pupil_rows(pincode_group_card(NL, group))
    buttons = [row["columns"][1]["items"][0]["actions"][0] for row in rows]
    # Two Sofies on one page: their full names tell the buttons apart.
    assert [b["title"] for b in buttons] == ["Wijzig Sofie van der Meer", "Wijzig Sofie Jansen",
                                             "Wijzig Daan"]
    assert buttons[2]["tooltip"] == "Wijzig de pincode van Daan de Boer"
    assert len({b["title"] for b in buttons}) == 3


def test_the_warning_is_dark_text_on_the_warning_background():
    card = pincode_group_card(NL, _group(revealed=True))
    (box,) = [e for e in card["body"] if e.get("type") == "Container"]
    assert box["style"] == "warning"
    (line,) = box["items"]
    assert "color" not in line and line["weight"] == "Bolder"
    assert line["text"].startswith("⚠️ De pincodes zijn zichtbaar")
    assert not any(e.get("color") == "Warning" for e in card["body"])


def test_the_shown_card_has_the_codes_and_verberg():
    card = pincode_group_card(NL, _group(revealed=True))
    check_card(card)
    flat = json.dumps(card, ensure_ascii=False)
    assert CODES[0] in flat and CODES[1] in flat
    assert "Toon pincodes" not in _executes(card)
    assert _executes(card)["Verberg"]["verb"] == PINCODES_HIDE


def test_pictures_are_shown_as_symbols_with_their_names():
    card = pincode_group_card(NL, _group(revealed=True, mode=MODE_PICTURES))
    flat = json.dumps(card, ensure_ascii=False)
    assert "☀️ zon · 🌙 maan · ⭐ ster · ❤️ hart" in flat
    english = json.dumps(pincode_group_card(Texts("en"), _group(True, MODE_PICTURES)),
                         ensure_ascii=False)
    assert "☀️ sun · 🌙 moon" in english


def test_a_full_page_stays_well_under_the_message_limit_and_pages_in_place():
    card = pincode_group_card(NL, _group(revealed=True, pupils=PINCODE_PAGE_SIZE, page=2,
                                         page_count=3))
    check_card(card)
    assert len(json.dumps(card, ensure_ascii=False).encode()) < 22_000
    pictures = pincode_group_card(NL, _group(revealed=True, mode=MODE_PICTURES,
                                             pupils=PINCODE_PAGE_SIZE))
    assert len(json.dumps(pictures, ensure_ascii=False).encode()) < 22_000
    paging = _executes(card)
    assert paging["Vorige"]["data"]["page"] == 1 and paging["Volgende"]["data"]["page"] == 3
    assert paging["Volgende"]["verb"] == PINCODES_SHOW  # stays shown while paging


def test_the_group_picker_lists_groups_with_their_mode():
    start = PincodeStartDTO(school_id=1, school_name="OBS De Regenboog", group=None, groups=(
        PincodeGroupChoiceDTO(3, "Groep 3", MODE_PICTURES, 25),
        PincodeGroupChoiceDTO(4, "Groep 4", MODE_DIGITS, 24)), query="12z", not_found=True)
    card = pincode_groups_card(NL, start)
    check_card(card)
    flat = json.dumps(card, ensure_ascii=False)
    assert "Ik vind geen groep '12z'" in flat
    assert "25 leerlingen · plaatjes" in flat and "24 leerlingen · cijfer-wachtwoord" in flat
    buttons = {a["title"]: a["data"] for a in card_actions(card)}
    assert buttons["Groep 4"] == {"action": PINCODE_GROUP, "school_id": 1, "group_id": 4}


PUPIL = PincodePupilDTO(school_id=1, group_id=4, group_name="Groep 4", person_id=100,
                        name="Sanne de Vries", login_mode=MODE_DIGITS)


def test_the_change_card_for_digits_and_for_pictures():
    card = change_pincode_card(NL, PUPIL, "flow-1", "Zo'n pincode is te makkelijk te raden.")
    check_card(card)
    inputs = [e for e in card["body"] if e["type"].startswith("Input.")]
    assert [i["id"] for i in inputs] == [INPUT_PINCODE]
    assert "Zo'n pincode is te makkelijk te raden." in json.dumps(card, ensure_ascii=False)
    buttons = {a["title"]: a for a in card["actions"]}
    assert buttons["Wijzig pincode"]["data"] == {"action": PINCODE_SAVE, "flow": "flow-1"}
    assert buttons["Bedenk er een voor mij"]["associatedInputs"] == "none"
    # The example in the field is no code a busy teacher could copy for every pupil.
    for texts in (NL, Texts("en")):
        example = change_pincode_card(texts, PUPIL, "flow-1")["body"][2]["placeholder"]
        assert not any(ch.isdigit() for ch in example), example

    pictures = change_pincode_card(NL, PincodePupilDTO(1, 3, "Groep 3", 100, "Sem", MODE_PICTURES),
                                   "flow-2")
    check_card(pictures)
    choice_sets = [e for e in pictures["body"] if e["type"] == "Input.ChoiceSet"]
    assert [c["id"] for c in choice_sets] == ["picture_1", "picture_2", "picture_3", "picture_4"]
    assert all([x["value"] for x in c["choices"]] == list(PICTURES) for c in choice_sets)


def test_the_changed_card_shows_the_new_code_once_with_verberg():
    shown = pincode_changed_card(NL, PUPIL, "730519")
    check_card(shown)
    assert "730519" in json.dumps(shown)
    hide = _executes(shown)["Verberg"]
    assert hide["data"] == {"action": PINCODE_NEW_HIDE, "school_id": 1, "group_id": 4,
                            "person_id": 100}
    hidden = pincode_changed_card(NL, PUPIL, None)
    check_card(hidden)
    assert "730519" not in json.dumps(hidden) and not _executes(hidden)
    # 'je ziet haar terug' read as the pupil (Boaz, a boy): name the code itself.
    assert "Je ziet de nieuwe pincode via 'Toon pincodes'" in json.dumps(hidden,
                                                                      ensure_ascii=False)


def test_mode_cards_and_the_print_link():
    confirm = confirm_mode_card(NL, _group(False), MODE_PICTURES, "flow-3")
    check_card(confirm)
    assert "Overstappen op plaatjes" in {a["title"] for a in confirm["actions"]}
    done = mode_switched_card(NL, LoginModeDTO(1, 4, "Groep 4", MODE_PICTURES, 24))
    check_card(done)
    assert "Print pincodes" in {a["title"] for a in card_actions(done)}
    link = PrintLinkDTO(1, 4, "Groep 4", "/downloads/pincodes/v1.x.y",
                        datetime(2026, 11, 29, 10, 10, tzinfo=UTC), 24)
    card = print_link_card(NL, link, "https://bot.example.nl/downloads/pincodes/v1.x.y")
    check_card(card)
    [open_url] = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    assert open_url == {"type": "Action.OpenUrl", "title": "Open de PDF",
                        "url": "https://bot.example.nl/downloads/pincodes/v1.x.y"}


# -- the PDF --------------------------------------------------------------------------------------

def _sheet(mode: str, count: int) -> PincodeSheetDTO:
    pictures = list(PICTURES)
    cards = []
    for i in range(count):
        code = (f"{(i * 7919 + 104729) % 1000000:06d}" if mode == MODE_DIGITS
                else "-".join(pictures[(i + k) % 16] for k in range(4)))
        cards.append(PincodeCardDTO(name=f"Zoë Öztürk {i:02d}", code=code))
    cards.append(PincodeCardDTO(name="Zonder Code", code=""))
    return PincodeSheetDTO("OBS De Regenboog", "12AB", "00", "Groep 4", mode, tuple(cards))


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_pdf_has_every_pupil_with_their_code_in_order_on_a4():
    sheet = _sheet(MODE_DIGITS, 23)
    pdf = pincode_pdf(NL, sheet)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3  # ten cards a page
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = "\n".join(_pages(pdf))
    starts = [text.index(card.name) for card in sheet.cards] + [len(text)]
    assert starts == sorted(starts)  # in the order given: sorted by name by the services
    for card, start, end in zip(sheet.cards, starts, starts[1:], strict=False):
        if card.code:
            assert card.code in text[start:end]  # each code on its own pupil's card
    assert "Nog geen pincode" in text[starts[-2]:]
    assert text.count("OBS De Regenboog") >= len(sheet.cards)
    assert "482910" not in str(reader.metadata)


def test_the_pdf_draws_pictures_with_their_names():
    sheet = _sheet(MODE_PICTURES, 4)
    pdf = pincode_pdf(NL, sheet)
    text = _pages(pdf)[0]
    for card in sheet.cards[:-1]:
        start = text.index(card.name)
        names = card.code.split("-")
        positions = [text.index(f"\n{name}\n", start) for name in names]
        assert positions == sorted(positions)  # in the order to click them
    # The symbols are vector drawings (paths, circles), not images or emoji.
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert not page.images
    assert page.get_contents().get_data().count(b" c") > 100  # curves of circles and shapes


def test_the_pdf_prints_every_name_legibly_whatever_its_letters():
    # Turkish, Polish, Scandinavian names are common in Dutch schools; none may become a box.
    names = ("Çağlar Yılmaz", "Łukasz Kowalczyk", "Şükrü İnce", "Zoë Ødegård",
             "Małgorzata Wąs-Żak")
    sheet = PincodeSheetDTO(school_name="OBS De Regenboog", brin="12AB", vestiging="00",
                            group_name="Groep 4", login_mode=MODE_DIGITS,
                            cards=tuple(PincodeCardDTO(name=n, code=f"58310{i}")
                                        for i, n in enumerate(names)))
    text = _pages(pincode_pdf(NL, sheet))[0]
    assert "\u25a0" not in text  # the black box of a glyph the font does not have
    for name in names[:-1]:
        assert name in text
    assert "Małgorzata Was-Zak" in text  # letters the font lacks lose only their accent


def test_a_long_name_shrinks_to_fit_its_card():
    long = "Anne-Sophie van der Heijden-Vermeulen van Oldenbarnevelt"
    sheet = PincodeSheetDTO(school_name="OBS De Regenboog", brin="12AB", vestiging="00",
                            group_name="Groep 4", login_mode=MODE_DIGITS,
                            cards=(PincodeCardDTO(name="Finn Bos", code="583107"),
                                   PincodeCardDTO(name=long, code="583108")))
    page = PdfReader(io.BytesIO(pincode_pdf(NL, sheet))).pages[0]
    sizes = {}

    def seen(text, cm, tm, font, size):
        if text.strip():
            sizes[text.strip()] = size * tm[0]  # the size as drawn

    page.extract_text(visitor_text=seen)
    assert sizes["Finn Bos"] == 13
    card_width = (595.28 - 2 * 12 * 72 / 25.4) / 2 - 2 * 4 * 72 / 25.4
    drawn = next(size for text, size in sizes.items() if text.startswith("Anne-Sophie"))
    assert drawn < 13
    shown = next(text for text in sizes if text.startswith("Anne-Sophie"))
    assert stringWidth(shown, "BeheerSans-Bold", drawn) <= card_width + 0.5
