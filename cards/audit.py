"""'Recente wijzigingen': the school's audit trail for its coördinator (who, when, what, from
which conversation; refusals included), one page of events a card."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cards import actions as A
from cards import names
from cards.actions.audit import RECENT_CHANGES
from cards.children import paging_rows
from cards.elements import action_rows, card, heading, submit, text, title
from cards.i18n import Texts
from services.audit.results import AuditEntryDTO, RecentChangesDTO

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")


def _when(at: datetime) -> str:
    """In Dutch time (stored in UTC; SQLite gives it back without a zone)."""
    at = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(DUTCH_TIME)
    return at.strftime("%d-%m-%Y %H:%M")


def _who(t: Texts, entry: AuditEntryDTO) -> str:
    if entry.who:
        return entry.who
    return t("audit.who_sync") if entry.action == "sync_applied" else t("audit.who_unknown")


def _where(t: Texts, entry: AuditEntryDTO) -> str:
    if entry.conversation == "this":
        return t("audit.where_this")
    if entry.conversation == "other":
        return t("audit.where_other", tag=entry.conversation_tag)
    return t("audit.where_none")


def _what(t: Texts, entry: AuditEntryDTO) -> str:
    key = f"audit.action.{entry.action}"
    what = t(key) if t.has(key) else t("audit.action_other", action=entry.action)
    subjects = [*entry.groups,
                *(names.licence_name(lic.product_name, lic.levels) + f" ({lic.school_year})"
                  for lic in entry.licences),
                *entry.people]
    if entry.system:
        subjects.append(entry.system)
    if entry.count is not None:
        subjects.append(t("audit.pupils", count=entry.count))
    if entry.more:
        subjects.append(t("audit.more", count=entry.more))
    if subjects:
        what = f"{what}: {', '.join(subjects)}"
    return t("audit.refused", what=what) if entry.refused else what


def recent_changes_card(t: Texts, found: RecentChangesDTO) -> dict:
    school = {A.KEY_SCHOOL: found.school_id}
    entries = found.entries
    body = [title(t("audit.title")),
            text(t("notify.school", school=found.school_name), subtle=True, spacing="None"),
            text(t("audit.intro"), subtle=True, spacing="None")]
    if not entries.items:
        body.append(text(t("audit.none")))
    for entry in entries.items:
        body.append(heading(f"{_when(entry.at)} · {_who(t, entry)}"))
        body.append(text(_what(t, entry), spacing="None",
                         color="Attention" if entry.refused else None))
        body.append(text(_where(t, entry), subtle=True, spacing="None"))
    if entries.page_count > 1:
        body.append(text(t("changes.page", page=entries.page, pages=entries.page_count),
                         subtle=True))
        body.extend(paging_rows(t, entries.page, entries.page_count, RECENT_CHANGES, **school))
    body.extend(action_rows([submit(t("common.menu"), A.MENU, **school)]))
    return card(body, fallback=t("audit.title"))
