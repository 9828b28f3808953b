"""The groups of a large school come a page at a time."""

from __future__ import annotations

from cards.i18n import Texts
from cards.school import GROUPS_PER_PAGE, groups_card
from services.shared.results import GroupDTO
from tests.cardcheck import card_actions, check_card


def test_groups_are_paged():
    groups = tuple(GroupDTO(id=n, name=f"Groep {n}", levels=(5,), pupil_count=28,
                            teacher_names=("Juf Anna",)) for n in range(1, 46))
    first = groups_card(Texts(), 1, groups)
    check_card(first)
    opened = [a["data"]["group_id"] for a in card_actions(first) if a["title"] == "Bekijken"]
    assert opened == list(range(1, GROUPS_PER_PAGE + 1))
    [forward] = [a["data"] for a in card_actions(first) if a["title"] == "Volgende"]
    assert forward == {"action": "school.groups", "school_id": 1, "page": 2}
    last = groups_card(Texts(), 1, groups, 99)  # past the end: the last page
    assert [a["data"]["group_id"] for a in card_actions(last) if a["title"] == "Bekijken"] == \
        list(range(2 * GROUPS_PER_PAGE + 1, 46))
    assert "Pagina 3 van 3" in str(last)
    few = groups_card(Texts(), 1, groups[:3], "①")
    assert "Pagina" not in str(few) and "Volgende" not in str(few)
