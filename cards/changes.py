"""Cards of the nightly sync: the summary a coördinator gets in the morning, and 'Wijzigingen'
(the last runs and what one run changed)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cards import actions as A
from cards.actions.changes import CHANGES, CHANGES_RUN, KEY_RUN, NOTIFY_LINK, NOTIFY_UNDO
from cards.children import paging_rows
from cards.elements import action_rows, action_set, card, heading, submit, text, title
from cards.i18n import Texts
from services.notify.results import GroupLicenceDTO, SyncSummaryDTO
from services.sync.results import ChangeDTO, RunChangesDTO, RunDTO, RunsDTO

DUTCH_TIME = ZoneInfo("Europe/Amsterdam")

# How changes are summed up, in this order; the rest is in 'Bekijk wijzigingen'.
SUMMARY_KINDS = (
    "group_added", "group_removed", "group_renamed", "group_levels",
    "pupil_added", "pupil_left", "pupil_moved",
    "teacher_added", "teacher_left", "teacher_groups",
    "coordinator_added", "coordinator_removed", "link_ended",
)


def _change_line(t: Texts, kind: str, count: int, names: tuple[str, ...]) -> str:
    line = t(f"changes.kind.{kind}", count=count)
    return f"{line}: {', '.join(names)}" if names else line


def _dutch(at: datetime) -> datetime:
    """A stored moment in Dutch time (stored in UTC; SQLite gives it back without zone)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(DUTCH_TIME)


def _when(t: Texts, at: datetime) -> str:
    return t("changes.run_at", date=at.strftime("%d-%m-%Y"), time=at.strftime("%H:%M"))


def _date(t: Texts, run: RunDTO) -> str:
    """When the run was, in Dutch time."""
    return _when(t, _dutch(run.at))


def _link_rows(t: Texts, school_id: int, pairs: tuple[GroupLicenceDTO, ...], line_key: str,
               button_key: str, action: str) -> list[dict]:
    body = []
    for pair in pairs:
        body.append(text(t(line_key, group=pair.group_name, licence=pair.licence_name)))
        button = submit(t(button_key, group=pair.group_name, licence=pair.licence_name), action, **{
            A.KEY_SCHOOL: school_id, A.KEY_LICENCE: pair.licence_id, A.KEY_GROUP: pair.group_id})
        button["tooltip"] = t(f"{button_key}_full", group=pair.group_name,
                              licence=pair.licence_name)
        body.append(action_set([button]))
    return body


def summary_title(t: Texts, summary: SyncSummaryDTO) -> str:
    """'Wijzigingen uit Basispoort van donderdag 03-12-2026 om 14:05': the run's own time (a
    delivery may come in by day too); a summary queued without it has no date."""
    if summary.run_at is None:
        return t("notify.title")
    at = _dutch(summary.run_at)
    return t("notify.title_at", when=f"{t(f'notify.weekday.{at.weekday()}')} {_when(t, at)}")


def sync_summary_card(t: Texts, summary: SyncSummaryDTO) -> dict:
    """What a delivery changed at one school, with a button per thing to do."""
    school = {A.KEY_SCHOOL: summary.school_id}
    heading_text = summary_title(t, summary)
    body = [title(heading_text), text(t("notify.school", school=summary.school_name),
                                           subtle=True, spacing="None")]
    lines = [_change_line(t, kind, summary.counts[kind], summary.names.get(kind, ()))
             for kind in SUMMARY_KINDS if summary.counts.get(kind)]
    if lines:
        body.append(text("\n".join(f"- {line}" for line in lines)))
    if summary.open:
        body.append(heading(t("notify.open_heading",
                              count=len(summary.open) + summary.open_more)))
        body.extend(_link_rows(t, summary.school_id, summary.open, "notify.open_line",
                               "notify.link_button", NOTIFY_LINK))
        if summary.open_more:
            body.append(text(t("notify.more", count=summary.open_more), subtle=True))
    if summary.auto_links:
        body.append(heading(t("notify.auto_heading",
                              count=len(summary.auto_links) + summary.auto_more)))
        body.extend(_link_rows(t, summary.school_id, summary.auto_links, "notify.auto_line",
                               "notify.undo_button", NOTIFY_UNDO))
        if summary.auto_more:
            body.append(text(t("notify.more", count=summary.auto_more), subtle=True))
    if summary.reminders:
        body.append(heading(t("notify.reminder_heading")))
        for reminder in summary.reminders:
            teachers = ", ".join(reminder.teacher_names) or t("school.no_teacher")
            body.append(text(t(f"notify.reminder.{reminder.kind}", child=reminder.child_name,
                               group=reminder.group_name, product=reminder.product_name,
                               teachers=teachers)))
        if summary.reminders_more:
            body.append(text(t("notify.more", count=summary.reminders_more), subtle=True))
    body.extend(action_rows([
        submit(t("notify.view_changes"), CHANGES_RUN, **school, **{KEY_RUN: summary.run_id}),
        submit(t("common.menu"), A.MENU, **school),
    ], per_row=2))
    return card(body, fallback=heading_text)


# -- 'Wijzigingen' ------------------------------------------------------------------------------

def _run_summary(t: Texts, run: RunDTO) -> str:
    if run.status == "rejected":
        return t("changes.rejected")
    parts = [t(f"changes.kind.{kind}", count=run.counts[kind])
             for kind in (*SUMMARY_KINDS, "auto_linked", "reminder") if run.counts.get(kind)]
    if not parts:
        return t("changes.first_delivery") if not run.counts else t("changes.links_only")
    shown = ", ".join(parts[:3])
    return shown + (t("changes.and_more") if len(parts) > 3 else "")


def runs_card(t: Texts, runs: RunsDTO) -> dict:
    school = {A.KEY_SCHOOL: runs.school_id}
    body = [title(t("changes.title")), text(t("notify.school", school=runs.school_name),
                                            subtle=True, spacing="None")]
    if not runs.runs.items:
        body.append(text(t("changes.none")))
    for run in runs.runs.items:
        body.append(heading(_date(t, run)))
        body.append(text(_run_summary(t, run), spacing="None"))
        if run.status != "rejected":
            body.append(action_set([submit(t("changes.open_run", date=_date(t, run)),
                                           CHANGES_RUN, **school, **{KEY_RUN: run.id})]))
    if runs.runs.page_count > 1:
        body.append(text(t("changes.page", page=runs.runs.page, pages=runs.runs.page_count),
                         subtle=True))
        body.extend(paging_rows(t, runs.runs.page, runs.runs.page_count, CHANGES, **school))
    body.append(text(t("school.missing_hint"), subtle=True))
    body.extend(action_rows([submit(t("common.menu"), A.MENU, **school)]))
    return card(body, fallback=t("changes.title"))


def _change_text(t: Texts, change: ChangeDTO) -> str:
    detail = {k: (", ".join(v) if isinstance(v, list) else v) for k, v in change.detail.items()}
    detail.setdefault("previous", "")
    key = f"changes.line.{change.kind}"
    if change.kind in ("pupil_moved",) and not detail["previous"]:
        key = "changes.line.pupil_moved_in"
    if change.kind == "teacher_groups":
        parts = []
        if detail.get("added"):
            parts.append(t("changes.line.teacher_groups_added", groups=detail["added"]))
        if detail.get("removed"):
            parts.append(t("changes.line.teacher_groups_removed", groups=detail["removed"]))
        return f"{change.subject}: {'; '.join(parts)}"
    return t(key, subject=change.subject, **{k: v for k, v in detail.items()
                                              if k not in ("subject",)})


def run_changes_card(t: Texts, found: RunChangesDTO) -> dict:
    school = {A.KEY_SCHOOL: found.school_id}
    body = [title(t("changes.run_title", date=_date(t, found.run))),
            text(t("notify.school", school=found.school_name), subtle=True, spacing="None")]
    current = None
    lines: list[str] = []
    for change in found.changes.items:
        if change.kind != current:
            if lines:
                body.append(text("\n".join(lines), spacing="None"))
                lines = []
            current = change.kind
            body.append(heading(t(f"changes.kind.{change.kind}",
                                  count=found.run.counts.get(change.kind, 0))))
        lines.append(f"- {_change_text(t, change)}")
    if lines:
        body.append(text("\n".join(lines), spacing="None"))
    if not found.changes.items:
        body.append(text(t("changes.nothing")))
    if found.changes.page_count > 1:
        body.append(text(t("changes.page", page=found.changes.page,
                           pages=found.changes.page_count), subtle=True))
        body.extend(paging_rows(t, found.changes.page, found.changes.page_count, CHANGES_RUN,
                                **school, **{KEY_RUN: found.run.id}))
    body.extend(action_rows([submit(t("changes.all_runs"), CHANGES, **school),
                             submit(t("common.menu"), A.MENU, **school)], per_row=2))
    return card(body, fallback=t("changes.title"))
