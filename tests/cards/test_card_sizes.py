"""Every card builder in cards/, fed the worst data the bot admits (names as long as a delivery
may carry, every list at its page size or at the size of a large school), in Dutch and in
English, stays under the size the bot sends (bot.outgoing.MAX_CARD_BYTES) and names no missing
text. Builders are found by introspection and their data is made from their type hints, so a
new builder is covered the day it is written, and one whose data cannot be made fails here."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import logging
import pkgutil
import types
import typing
from datetime import UTC, date, datetime

import pytest

import cards
from bot.outgoing import MAX_CARD_BYTES, card_bytes, card_bytes_bound
from cards.changes import SUMMARY_KINDS
from cards.i18n import Texts
from services.audit.service import NAMES_PER_ENTRY
from services.audit.service import PAGE_SIZE as AUDIT_PAGE_SIZE
from services.exchange.lvs.base import SYSTEMS
from services.exchange.service import ASIDE_SHOWN
from services.helpdesk.results import KIND_TICKET_OUTCOME, MAX_REASON, TicketDTO
from services.helpdesk.service import TICKETS_PAGE_SIZE
from services.notify.results import KIND_SYNC_SUMMARY, SyncSummaryDTO
from services.pincodes.service import PINCODE_PAGE_SIZE
from services.school.service import MAX_PUPIL_MATCHES, PUPIL_PAGE_SIZE
from services.shared.inputs import MAX_QUERY
from services.shared.licences import CHILD_PAGE_SIZE
from services.shared.paging import Page
from services.sync.results import ChangeDTO, RunDTO
from services.sync.service import BUTTONS_SHOWN, CHANGES_PAGE_SIZE, NAMES_SHOWN, RUNS_PAGE_SIZE
from tests.cardcheck import card_actions, check_card

# Every name and free text 60 characters long, with letters that take two bytes in UTF-8: a
# double-barrelled name with tussenvoegsels, in every row of every list at once. A delivery may
# carry names up to MAX_NAME; a card that such names push over the limit is caught at send time
# (bot.outgoing) and answered with an apology rather than refused by Teams.
LONG = ("Ëlisabeth-Anne Sophie van den Heuvel-Vermeulen Özdemir-Bakkali de Groot " * 2)[:60]
FLOW = "f" * 32  # a flow token
PICTURE_CODE = "paraplu-sleutel-paraplu-sleutel"  # the longest picture pincode

# How many items a list holds at most: a page's size, or what a large school has.
PAGE_SIZES: dict[str, int] = {
    "PupilDTO": PUPIL_PAGE_SIZE, "PupilCodeDTO": PINCODE_PAGE_SIZE, "RunDTO": RUNS_PAGE_SIZE,
    "ChangeDTO": CHANGES_PAGE_SIZE, "TicketDTO": TICKETS_PAGE_SIZE,
    "AuditEntryDTO": AUDIT_PAGE_SIZE, "ChildDTO": CHILD_PAGE_SIZE,
    "LicenceChildDTO": CHILD_PAGE_SIZE,
}
LARGE_SCHOOL = 40  # groups, licences, teachers of one school location
LIST_SIZES: dict[str, int] = {
    "pupils": 35, "teacher_names": 3, "group_names": 4, "levels": 2, "known_products": 12,
    "linked": 10, "already_linked": 10, "systems": 3, "schools": 12, "linked_groups": 6,
    "teachers": 4, "people": 4, "groups": LARGE_SCHOOL, "licences": LARGE_SCHOOL,
    "AuditEntryDTO.groups": NAMES_PER_ENTRY, "AuditEntryDTO.people": NAMES_PER_ENTRY,
    "AuditEntryDTO.licences": NAMES_PER_ENTRY, "SuggestionDTO.licences": 3,
    "AutoLinkOutcomeDTO.links": LARGE_SCHOOL, "SyncSummaryDTO.open": BUTTONS_SHOWN,
    "SyncSummaryDTO.auto_links": BUTTONS_SHOWN, "SyncSummaryDTO.reminders": BUTTONS_SHOWN,
    "PupilLookupDTO.matches": MAX_PUPIL_MATCHES, "PupilLookupItemDTO.licences": 8,
    "PincodeGroupDTO.pupils": PINCODE_PAGE_SIZE,
    "ExchangeDTO.couplings": len(SYSTEMS), "CouplingDTO.set_aside": ASIDE_SHOWN,
}
# Pages whose type hint does not name what they hold.
PAGE_ITEMS: dict[str, type] = {
    "RunsDTO.runs": RunDTO, "RunChangesDTO.changes": ChangeDTO, "TicketsDTO.tickets": TicketDTO,
}
DEFAULT_LIST = 10

# Fields whose text picks a catalog entry or a branch: a value the service really gives.
CHOICES: dict[str, object] = {
    "CouplingDTO.status": "unreachable", "CouplingDTO.system": "parnassys",
    "CouplingDTO.system_name": "Easyrapport", "CouplingRemovedDTO.system": "parnassys",
    "CouplingRemovedDTO.system_name": "Easyrapport", "TicketDTO.status": "rejected",
    "RunDTO.status": "applied", "AuditEntryDTO.conversation": "other",
    "AuditEntryDTO.action": "add_extra_children", "AuditEntryDTO.system": "ParnasSys",
    "SyncReminderDTO.kind": "oefensoftware", "TeacherReminderDTO.kind": "oefensoftware",
    "ChangeDTO.kind": "pupil_moved", "ChangeDTO.detail": {"previous": LONG, "group": LONG}, "LicenceDTO.model": "child",
    "LinkedGroupDTO.origin": "auto", "PupilLicenceDTO.via": "extra",
    "SchoolDTO.brin": "12AB", "SchoolDTO.vestiging": "00", "TicketDTO.brin": "12AB",
    "TicketDTO.vestiging": "00", "TicketDTO.reason": "r" * MAX_REASON,
    "TicketPreviewDTO.reason": "r" * MAX_REASON, "PincodeChangeDTO.code": PICTURE_CODE,
    "PupilCodeDTO.code": PICTURE_CODE, "pincode_changed_card.code": PICTURE_CODE, "CouplingDTO.masked_key": "••••••••••••7777",
    "refusal_card.kind": "staff", "error_card.code": "error.lvs_key_unprintable",
    "error_card.params": {"position": 99}, "outbox_card.kind": KIND_SYNC_SUMMARY,
    "key_card.system": "parnassys", "key_card.system_name": "Easyrapport",
    "confirm_mode_card.target": "pictures", "message_card.color": "Attention",
    "message_card.extra_actions": None, "school_picker_card.then": None,
    "print_link_card.url": "https://beheerbot.example.nl/pincodes/" + "t" * 300,
    "school_year": "2026-2027", "year": "2026-2027", "flow": FLOW, "login_mode": "pictures",
    "number": "HD-2026-000123", "query": LONG[:MAX_QUERY], "tag": "abc123",
    "conversation_tag": "abc123", "key_card.error": LONG, "change_pincode_card.error": LONG,
}
# Whole arguments that only a list of real values describes.
ARGUMENTS: dict[str, object] = {
    "outbox_card.payload": None,  # made below from the worst summary
}


def _count(owner: str, name: str) -> int:
    return LIST_SIZES.get(f"{owner}.{name}", LIST_SIZES.get(name, DEFAULT_LIST))


def make(tp: object, owner: str = "", name: str = "") -> object:
    """The worst value of a type hint; `owner.name` says where it goes."""
    for key in (f"{owner}.{name}", name):
        if key in CHOICES:
            return CHOICES[key]
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        return make(real[0], owner, name)
    if origin in (set, frozenset):
        return origin(_nth_pair(make(args[0], owner, ""), i) for i in range(_count(owner, name)))
    if origin in (tuple, list):
        if len(args) == 2 and args[1] is Ellipsis:
            if name == "levels":
                items = (7, 8)
            else:
                items = tuple(_nth(make(args[0], owner, ""), i)
                              for i in range(_count(owner, name)))
        else:
            items = tuple(make(a, owner, "") for a in args)
        return list(items) if origin is list else items
    if origin is dict:
        if name == "counts":
            return {kind: 999 for kind in (*SUMMARY_KINDS, "auto_linked", "reminder")}
        if name == "names":
            return {kind: tuple(LONG for _ in range(NAMES_SHOWN)) for kind in SUMMARY_KINDS}
        return {}
    if origin is Page or tp is Page:
        item = args[0] if args else PAGE_ITEMS.get(f"{owner}.{name}")
        if item is None:
            raise TypeError(f"{owner}.{name}: a Page of what? Name it in PAGE_ITEMS")
        size = PAGE_SIZES.get(getattr(item, "__name__", ""), DEFAULT_LIST)
        items = tuple(_nth(make(item), i) for i in range(size))
        return Page(items=items, page=2, page_count=3, total=size * 3, query=LONG[:MAX_QUERY])
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(**{f.name: make(hints[f.name], tp.__name__, f.name)
                     for f in dataclasses.fields(tp) if f.init})
    if tp is str:
        return LONG
    if tp is bool:
        return True
    if tp is int:
        return 999_999
    if tp is float:
        return 99.5
    if tp is datetime:
        return datetime(2026, 12, 3, 7, 45, tzinfo=UTC)
    if tp is date:
        return date(2026, 12, 3)
    if tp is dict or tp is typing.Any or tp is object:
        return {}
    raise TypeError(f"no worst case for {tp!r} ({owner}.{name})")


def _nth(value: object, i: int) -> object:
    """The i-th item of a list: distinct ids, so lists do not collapse."""
    if dataclasses.is_dataclass(value) and any(f.name == "id" for f in dataclasses.fields(value)):
        return dataclasses.replace(value, id=1000 + i)
    return value


def _nth_pair(value: object, i: int) -> object:
    """Distinct members of a set of id pairs."""
    return (i, i) if isinstance(value, tuple) else value


def builders() -> list[tuple[str, typing.Callable]]:
    """Every public `*_card` function defined in a module of cards/."""
    found = []
    for module in pkgutil.iter_modules(cards.__path__):
        mod = importlib.import_module(f"cards.{module.name}")
        for name, function in inspect.getmembers(mod, inspect.isfunction):
            if function.__module__ == mod.__name__ and name.endswith("_card") \
                    and not name.startswith("_"):
                found.append((f"{module.name}.{name}", function))
    return sorted(found, key=lambda item: item[0])


def worst_arguments(name: str, function) -> dict[str, object]:
    short = name.split(".")[-1]
    hints = typing.get_type_hints(function)
    arguments = {}
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        key = f"{short}.{parameter.name}"
        if key == "outbox_card.payload":
            arguments[parameter.name] = make(SyncSummaryDTO).to_payload()
        elif key in ARGUMENTS:
            arguments[parameter.name] = ARGUMENTS[key]
        else:
            arguments[parameter.name] = make(hints[parameter.name], short, parameter.name)
    return arguments


def test_builders_are_found():
    names = [name for name, _ in builders()]
    assert len(names) > 60 and "licences.licences_card" in names
    assert "audit.recent_changes_card" in names and "pincodes.pincode_group_card" in names


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("name", "function"), builders(), ids=[n for n, _ in builders()])
def test_every_card_with_worst_case_data_fits(name, function, language, caplog):
    arguments = worst_arguments(name, function)
    with caplog.at_level(logging.ERROR, logger="cards.i18n"):
        built = function(Texts(language), **arguments)
    missing = [r.getMessage() for r in caplog.records if r.name == "cards.i18n"]
    assert not missing, f"{name} uses texts that are not in the catalog: {missing}"
    size = card_bytes(built)
    assert size <= MAX_CARD_BYTES, f"{name} ({language}) is {size} bytes with worst-case data"
    # The guard's quick measure never says a card is smaller than it is.
    assert card_bytes_bound(built) >= size
    check_card(built)
    untitled = [a for a in card_actions(built) if not str(a.get("title", "")).strip()]
    assert not untitled, f"{name} ({language}) has buttons without a title: {untitled[:2]}"


def test_the_ticket_outcome_notification_fits_too():
    payload = make(TicketDTO).to_payload()
    built = cards.notifications.outbox_card(Texts(), KIND_TICKET_OUTCOME, payload)
    assert card_bytes(built) <= MAX_CARD_BYTES
