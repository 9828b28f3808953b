"""Cards of the licence tasks: action contract, texts in both languages, size of long lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from cards import actions as A
from cards import autolink, child_licences, children, shortcuts
from cards.actions.child_licences import CHILD_ASSIGN, CHILD_LICENCES, CHILD_WRONG
from cards.actions.children import CHILDREN, CHILDREN_CHOSEN, CHILDREN_SEARCH
from cards.actions.licences import AUTOLINK, LICENCE_CHOSEN, LICENCES, LINK_START, TOPOGRAPHY
from cards.common import MENU_ITEMS, help_card
from cards.i18n import Texts
from dialogs.registry import navigation_actions
from services.licences.results import (
    AutoLinkDTO,
    AutoLinkOutcomeDTO,
    ChildrenShortcutDTO,
    ExtraChildRemovalDTO,
    LicenceRefDTO,
    LinkShortcutDTO,
    SuggestionDTO,
)
from services.school.results import PupilLicenceDTO, PupilLookupDTO, PupilLookupItemDTO
from services.shared.results import (
    ChildCandidatesDTO,
    ChildDTO,
    ChildGroupsDTO,
    ChildrenPreviewDTO,
    ChildrenResultDTO,
    GroupDTO,
    GroupNameDTO,
    LicenceChildDTO,
    LicenceChildrenDTO,
    LicenceDTO,
    LicenceOverviewDTO,
    LinkedGroupDTO,
    Page,
    ReminderLineDTO,
    TeacherReminderDTO,
)
from tests.cardcheck import card_actions, card_texts, check_card

LANGUAGES = ("nl", "en")

NAVIGATION = navigation_actions()


def group_licence(lid: int = 7, product: str = "Pluspunt", levels=(5,)) -> LicenceDTO:
    return LicenceDTO(id=lid, school_id=1, product_code=product.lower(), product_name=product,
                      levels=levels, school_year="2026-2027", model="group", seats=None,
                      seats_taken=0, linked_groups=(LinkedGroupDTO(3, "Groep 5a", "auto",
                                                                   None, None),))


def child_licence(taken: int = 9, seats: int = 30) -> LicenceDTO:
    return LicenceDTO(id=9, school_id=1, product_code="bingel", product_name="Bingel",
                      levels=(3, 4, 5, 6, 7, 8), school_year="2026-2027", model="child",
                      seats=seats, seats_taken=taken)


def child(i: int) -> ChildDTO:
    return ChildDTO(id=1000 + i, name=f"Kind {i:03d} van der Achternaamlang", group_id=4,
                    group_name="Groep 4")


def page(items, page_no=1, pages=1, query=""):
    return Page(items=tuple(items), page=page_no, page_count=pages, total=len(items) * pages,
                query=query)




def submits(card: dict) -> list[dict]:
    return [a["data"] for a in card_actions(card) if a["type"] == "Action.Submit"]


def strings(card: dict) -> str:
    return "\n".join(card_texts(card))


def assert_flow_contract(card: dict, flow: str) -> None:
    """Navigation buttons carry no flow token; step answers carry this flow's token."""
    for data in submits(card):
        if data["action"] in NAVIGATION:
            assert A.KEY_FLOW not in data, data
        else:
            assert data.get(A.KEY_FLOW) == flow, data


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_card_renders_in_both_languages(language):
    t = Texts(language)
    reminder = TeacherReminderDTO("Pluspunt", "digitaal", (
        ReminderLineDTO("Sanne de Vries", "Groep 4", ("Marieke Jansen",)),
        ReminderLineDTO("Daan Bos", None, ())))
    kids = tuple(child(i) for i in range(3))
    cards_made = [
        children.children_overview_card(t, 1, "OBS", "2026-2027", (
            LicenceOverviewDTO(group_licence(), 2), LicenceOverviewDTO(group_licence(8), 0))),
        children.extra_children_card(t, LicenceChildrenDTO(group_licence(), page([
            LicenceChildDTO(child(1), datetime(2026, 9, 1, tzinfo=UTC), "Alex Wilber")]))),
        children.pick_group_card(t, ChildGroupsDTO(group_licence(), (
            GroupDTO(4, "Groep 4", (4,)),)), "F", notice="x"),
        children.pick_children_card(t, ChildCandidatesDTO(group_licence(), None,
                                                          page(kids, 1, 2, "de"), 2), "F"),
        children.confirm_add_card(t, ChildrenPreviewDTO(group_licence(), kids), "F"),
        children.add_result_card(t, ChildrenResultDTO(group_licence(), kids, reminder)),
        children.confirm_remove_card(t, ExtraChildRemovalDTO(group_licence(), kids[0]), "F"),
        children.remove_result_card(t, ExtraChildRemovalDTO(group_licence(), kids[0], False)),
        child_licences.child_licences_card(t, 1, "OBS", "2026-2027",
                                           (LicenceOverviewDTO(child_licence(), 9),)),
        child_licences.child_licence_card(t, LicenceChildrenDTO(child_licence(), page([
            LicenceChildDTO(c, None, None) for c in kids]))),
        child_licences.confirm_assign_card(t, ChildrenPreviewDTO(child_licence(), kids), "F"),
        child_licences.assign_result_card(t, ChildrenResultDTO(child_licence(12), kids, reminder)),
        shortcuts.topography_card(t, 1),
        shortcuts.topography_card(t, None),
    ]
    for card in cards_made:
        check_card(card)
        assert "{" not in strings(card).replace("{}", ""), strings(card)


def test_reminder_names_what_the_teacher_starts_per_kind():
    t = Texts("nl")
    for kind, words in (("digitaal", "de lopende lesweek"), ("papier", "blok of thema"),
                        ("oefensoftware", "(oefensoftware)")):
        reminder = TeacherReminderDTO("Naut", kind, (ReminderLineDTO("Sanne", "Groep 4",
                                                                     ("Joost", "Ilse")),))
        text = strings(children.add_result_card(
            t, ChildrenResultDTO(group_licence(), (child(1),), reminder)))
        assert words in text and "Groep 4 · leerkracht: Joost, Ilse" in text


def test_the_assign_confirmation_warns_it_cannot_be_undone():
    t = Texts("nl")
    card = child_licences.confirm_assign_card(
        t, ChildrenPreviewDTO(child_licence(), (child(1), child(2))), "F")
    text = strings(card)
    assert "niet ongedaan maken" in text and "073 - 628 87 22" in text
    assert "Daarna zijn er nog 19 van 30 vrij." in text
    assert_flow_contract(card, "F")
    assert {d["action"] for d in submits(card)} == {A.CONFIRM, A.CANCEL}


def test_child_licence_card_offers_add_only_with_free_seats():
    t = Texts("nl")
    empty = LicenceChildrenDTO(child_licence(30), page([]))
    card = child_licences.child_licence_card(t, empty)
    assert CHILD_ASSIGN not in {d["action"] for d in submits(card)}
    assert "Alle licenties zijn in gebruik" in strings(card)
    card = child_licences.child_licence_card(t, LicenceChildrenDTO(child_licence(3), page([])))
    assert CHILD_ASSIGN in {d["action"] for d in submits(card)}
    wrong = next(d for d in submits(card) if d["action"] == CHILD_WRONG)
    assert wrong == {"action": CHILD_WRONG, "school_id": 1, "licence_id": 9}


def test_picker_cards_keep_the_flow_and_page_on():
    t = Texts("nl")
    groups = children.pick_group_card(t, ChildGroupsDTO(child_licence(), tuple(
        GroupDTO(i, f"Groep {i}", (i,)) for i in range(3, 9))), "F")
    assert_flow_contract(groups, "F")
    assert [d[A.KEY_GROUP] for d in submits(groups) if d["action"] == A.GROUP_CHOSEN] == list(
        range(3, 9))
    assert "21 van 30 vrij" in strings(groups)
    candidates = children.pick_children_card(t, ChildCandidatesDTO(
        child_licence(), GroupDTO(4, "Groep 4", (4,)), page([child(1)], 2, 3, "ka"), 0), "F")
    assert_flow_contract(candidates, "F")
    pages = [d for d in submits(candidates) if d["action"] == CHILDREN_SEARCH]
    assert {d.get(A.KEY_PAGE) for d in pages} == {None, 1, 3}
    assert all(d[A.KEY_GROUP] == 4 for d in pages)
    choice = next(e for e in _elements(candidates) if e.get("type") == "Input.ChoiceSet")
    assert choice["isMultiSelect"] and not choice.get("isRequired")
    none_left = children.pick_children_card(t, ChildCandidatesDTO(
        child_licence(), None, page([], query="zz"), 0), "F")
    assert CHILDREN_CHOSEN not in {d["action"] for d in submits(none_left)}


def _elements(card):
    stack = [card]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def test_long_lists_stay_under_28_kb():
    t = Texts("nl")
    many_licences = tuple(LicenceOverviewDTO(group_licence(i, f"Methode {i}", (i % 8 + 1,)), i % 3)
                          for i in range(200))
    many_children = [LicenceChildDTO(child(i), None, "Iemand Met Een Heel Lange Naam")
                     for i in range(30)]
    links = tuple(AutoLinkDTO(i, f"Groep {i}", LicenceRefDTO(i, "Pluspunt", (5,), "2026-2027"))
                  for i in range(500))
    suggestions = tuple(SuggestionDTO(i, f"Groep {i}/7", (
        LicenceRefDTO(1, "Pluspunt", (6,), "2026-2027"),
        LicenceRefDTO(2, "Pluspunt", (7,), "2026-2027"))) for i in range(200))
    outcome = AutoLinkOutcomeDTO(1, "2026-2027", links, suggestions, False)
    pupils = PupilLookupDTO(1, "de", tuple(PupilLookupItemDTO(child(i), tuple(
        PupilLicenceDTO(f"Methode {j}", (5,), "2026-2027", "group") for j in range(12)))
        for i in range(10)), more=300)
    for card in (
        children.children_overview_card(t, 1, "OBS", "2026-2027", many_licences),
        children.extra_children_card(t, LicenceChildrenDTO(group_licence(), page(
            many_children, 2, 9))),
        children.pick_children_card(t, ChildCandidatesDTO(group_licence(), None, page(
            [child(i) for i in range(30)], 1, 50, "e"), 0), "F"),
        child_licences.child_licence_card(t, LicenceChildrenDTO(child_licence(), page(
            many_children, 1, 20))),
        autolink.autolink_preview_card(t, outcome, "F"),
        autolink.autolink_result_card(t, outcome),
        shortcuts.pupil_card(t, pupils),
    ):
        check_card(card)
    assert "En nog 140 licenties" in strings(children.children_overview_card(
        t, 1, "OBS", "2026-2027", many_licences))


def test_autolink_cards():
    t = Texts("nl")
    ref6 = LicenceRefDTO(11, "Pluspunt", (6,), "2026-2027")
    ref7 = LicenceRefDTO(12, "Pluspunt", (7,), "2026-2027")
    outcome = AutoLinkOutcomeDTO(
        1, "2026-2027", (AutoLinkDTO(3, "Groep 5a", LicenceRefDTO(5, "Staal", (5,), "x")),),
        (SuggestionDTO(7, "Groep 6/7", (ref6, ref7)),), False)
    card = autolink.autolink_preview_card(t, outcome, "F")
    assert_flow_contract(card, "F")
    # The doubtful row is chosen inside the proposal: no button leaves it for another flow.
    assert {d["action"] for d in submits(card)} == {A.CONFIRM, A.CANCEL}
    row = next(e for e in _elements(card) if e.get("id") == autolink.choice_input(0))
    assert row["label"] == "Groep 6/7 — welke licentie van Pluspunt?"
    assert [(c["title"], c["value"]) for c in row["choices"]] == [
        ("Niet koppelen", "none"), ("Pluspunt groep 6", "11"), ("Pluspunt groep 7", "12")]
    assert row["value"] == "none" and not row.get("isRequired")
    assert "Deze koppeling maak ik automatisch:" in strings(card)
    # Only doubtful rows: still one 'Koppelen', which applies the choices.
    only_rows = autolink.autolink_preview_card(
        t, AutoLinkOutcomeDTO(1, "2026-2027", (), outcome.suggestions, False), "F")
    assert {d["action"] for d in submits(only_rows)} == {A.CONFIRM, A.CANCEL}
    nothing = autolink.autolink_preview_card(
        t, AutoLinkOutcomeDTO(1, "2026-2027", (), (), False), "F")
    assert A.CONFIRM not in {d["action"] for d in submits(nothing)}

    made = AutoLinkOutcomeDTO(1, "2026-2027", outcome.links, (), True,
                              chosen=(AutoLinkDTO(7, "Groep 6/7", ref6),))
    text = strings(autolink.autolink_result_card(t, made))
    assert "2 koppelingen gemaakt:" in text and "Pluspunt groep 6" in text
    left = autolink.autolink_result_card(t, AutoLinkOutcomeDTO(
        1, "2026-2027", (), outcome.suggestions, True))
    assert "Er is niets gekoppeld" in strings(left)
    assert "Groep 6/7 past bij Pluspunt groep 6 en Pluspunt groep 7." in strings(left)
    assert [d["action"] for d in submits(left)] == [AUTOLINK, LICENCES, A.MENU]
    assert "Kies voor de overige groep" in [a["title"] for a in card_actions(left)]


def test_shortcut_cards_say_what_was_understood():
    t = Texts("nl")
    found = LinkShortcutDTO(1, "9z", "plsupunt", (), None, (), ("Pluspunt", "Staal"))
    text = strings(shortcuts.link_not_found_card(t, found))
    assert "Ik begreep: koppel groep '9z' aan 'plsupunt'." in text
    assert "Je school heeft: Pluspunt, Staal." in text
    long = LinkShortcutDTO(1, "x" * 300, "y", (GroupNameDTO(1, "Groep 1", (1,)),), "Pluspunt",
                           (group_licence(),), ())
    check_card(shortcuts.link_not_found_card(t, long))
    children_missing = shortcuts.children_not_found_card(
        t, ChildrenShortcutDTO(1, "rekenrek", None, (), ("Pluspunt",)))
    assert "Ik begreep: kinderen op 'rekenrek'." in strings(children_missing)
    assert {d["action"] for d in submits(children_missing)} == {CHILDREN, A.MENU}
    pick = shortcuts.pick_licence_card(t, long, GroupNameDTO(1, "Groep 6/7", (6, 7)),
                                       long.licences, [], "F")
    assert "Geen van deze licenties past" in strings(pick)
    assert_flow_contract(pick, "F")


def test_typed_link_offers_only_the_fitting_licences():
    t = Texts("nl")
    licences = tuple(group_licence(lid, "Pluspunt", (level,)) for lid, level in
                     ((3, 3), (6, 6), (7, 7), (8, 8)))
    found = LinkShortcutDTO(1, "6/7", "pluspunt", (GroupNameDTO(5, "Groep 6/7", (6, 7)),),
                            "Pluspunt", licences, ("Pluspunt",))
    pick = shortcuts.pick_licence_card(t, found, found.groups[0], licences, [6, 7], "F")
    offered = [d[A.KEY_LICENCE] for d in submits(pick) if d["action"] == LICENCE_CHOSEN]
    assert offered == [6, 7]
    assert "Geen van deze licenties past" not in strings(pick)


@pytest.mark.parametrize("language", LANGUAGES)
def test_already_linked_card_names_the_group_and_licence(language):
    t = Texts(language)
    card = shortcuts.already_linked_card(t, 1, GroupNameDTO(4, "Groep 5b", (5,)),
                                         (group_licence(5, "Pluspunt", (5,)),))
    check_card(card)
    text = strings(card)
    # Group and licence are names: the same in English ("Pluspunt groep 5", not "group 5").
    assert "Groep 5b" in text and "Pluspunt groep 5" in text
    assert {d["action"] for d in submits(card)} == {LICENCES, A.MENU}


def test_menu_and_help_lead_to_the_licence_tasks():
    items = {key: action for key, action, _ in MENU_ITEMS}
    assert items["menu.children"] == CHILDREN
    assert items["menu.child_licences"] == CHILD_LICENCES
    help_text = strings(help_card(Texts("nl"), 1))
    assert "Kindlicenties" in help_text and "leerling Sanne de Vries" in help_text
    assert TOPOGRAPHY in {d["action"] for d in submits(help_card(Texts("nl"), None))}


def test_levels_text():
    t = Texts("nl")
    assert children.levels_text(t, (5,)) == "5"
    assert children.levels_text(t, (6, 7)) == "6/7"
    assert children.levels_text(t, (3, 4, 5, 6, 7, 8)) == "3 t/m 8"
    assert children.levels_text(Texts("en"), (3, 4, 5)) == "3 to 5"
    assert children.levels_text(t, (1, 3, 5)) == "1/3/5"


@pytest.mark.parametrize("language", LANGUAGES)
def test_licence_list_is_paged_by_method_with_named_buttons(language):
    t = Texts(language)
    methods = ("Kleuterplein", "Lijn 3", "Naut", "Pluspunt", "Staal", "Taal actief")
    licences = tuple(
        replace(group_licence(10 * m + level, name, (level,)),
                linked_groups=() if level % 3 == 0 else group_licence().linked_groups)
        for m, name in enumerate(methods) for level in range(3, 9))
    unlinked = sum(1 for lic in licences if not lic.linked_groups)
    from cards.licences import LICENCES_PER_PAGE, licences_card
    pages = -(-len(licences) // LICENCES_PER_PAGE)
    seen = []
    for number in range(1, pages + 1):
        card = licences_card(t, 1, "OBS", "2026-2027", licences, number)
        check_card(card)
        texts = card_texts(card)
        expected = ("12 licenties zonder groep" if language == "nl"
                    else "12 licences without a group")
        assert unlinked == 12 and expected in texts
        titles = [a["title"] for a in card_actions(card) if a.get("type") == "Action.Submit"]
        assert len(titles) == len(set(titles)), "two buttons with one title"
        seen += [a["data"]["licence_id"] for a in card_actions(card)
                 if a["data"].get("action") == LINK_START]
        headings = [e["text"] for e in card["body"] if e.get("weight") == "Bolder"
                    and e.get("type") == "TextBlock" and e["text"] in methods]
        assert headings and headings == sorted(set(headings), key=headings.index)
    assert sorted(seen) == sorted(lic.id for lic in licences)  # every licence on one page
    # Coming back from a licence shows the page that holds it.
    last = licences_card(t, 1, "OBS", "2026-2027", licences, showing=licences[-1].id)
    assert licences[-1].id in [a["data"].get("licence_id") for a in card_actions(last)]
    link_title = "Koppel Taal actief groep 8" if language == "nl" else "Link Taal actief groep 8"
    assert link_title in [a["title"] for a in card_actions(last)]
