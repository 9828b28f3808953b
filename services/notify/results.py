"""What a proactive message carries. A message is stored in the outbox as `kind` plus a JSON
payload and rendered into a card only when it is sent, in the recipient's language."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

KIND_SYNC_SUMMARY = "sync_summary"


@dataclass(frozen=True)
class GroupLicenceDTO:
    """A group and a group licence: a link the sync made, or one still to make."""

    group_id: int
    group_name: str
    licence_id: int
    licence_name: str


@dataclass(frozen=True)
class SyncReminderDTO:
    """Rule 7: a child that arrived in a group whose method runs in lesson weeks or blocks."""

    child_name: str
    group_name: str
    product_name: str
    kind: str
    teacher_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncSummaryDTO:
    """One run's changes for one school, as its coördinatoren are told the next morning.

    `counts` holds how many changes of each kind (see services.sync.changes), `names` a few
    names per kind (only where few changed), `open` the groups that still need a licence,
    `auto_links` the links the sync made, `reminders` the rule-7 reminders, `run_at` when the
    delivery was processed (None in summaries queued before it was recorded)."""

    school_id: int
    school_name: str
    run_id: int
    counts: dict[str, int]
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    open: tuple[GroupLicenceDTO, ...] = ()
    open_more: int = 0
    auto_links: tuple[GroupLicenceDTO, ...] = ()
    auto_more: int = 0
    reminders: tuple[SyncReminderDTO, ...] = ()
    reminders_more: int = 0
    run_at: datetime | None = None

    def to_payload(self) -> dict[str, Any]:
        payload = asdict(self)
        payload["run_at"] = self.run_at.isoformat() if self.run_at else None
        return payload

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> SyncSummaryDTO:
        return cls(
            school_id=int(data["school_id"]),
            school_name=str(data["school_name"]),
            run_id=int(data["run_id"]),
            counts={str(k): int(v) for k, v in data.get("counts", {}).items()},
            names={str(k): tuple(str(n) for n in v) for k, v in data.get("names", {}).items()},
            open=tuple(GroupLicenceDTO(**item) for item in data.get("open", ())),
            open_more=int(data.get("open_more", 0)),
            auto_links=tuple(GroupLicenceDTO(**item) for item in data.get("auto_links", ())),
            auto_more=int(data.get("auto_more", 0)),
            reminders=tuple(
                SyncReminderDTO(**{**item, "teacher_names": tuple(item.get("teacher_names", ()))})
                for item in data.get("reminders", ())),
            reminders_more=int(data.get("reminders_more", 0)),
            run_at=datetime.fromisoformat(data["run_at"]) if data.get("run_at") else None,
        )


@dataclass(frozen=True)
class OutgoingDTO:
    """A claimed outbox message, ready to render and send."""

    id: int
    kind: str
    payload: dict[str, Any]
    language: str | None
    conversation_id: str
    service_url: str
    tenant_id: str | None
    reference: dict[str, Any]
    attempts: int
