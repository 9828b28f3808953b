"""Frozen result types of the result intake and the sender."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowProblem:
    line: int  # the CSV line or the position in the JSON list (1-based)
    reason: str  # Dutch, for whoever made the export


@dataclass(frozen=True)
class ImportReportDTO:
    """What an import did: rows read, queued per school and LVS, recognised, set aside."""

    rows: int
    queued: int  # new or changed results queued for an LVS
    known: int  # results already queued or sent with the same content: not sent again
    problems: tuple[RowProblem, ...]
    by_coupling: tuple[tuple[str, str, int], ...]  # (brin+vestiging, system, queued)

    def as_json(self) -> dict:
        return {
            "regels": self.rows, "in_wachtrij": self.queued, "al_bekend": self.known,
            "apart_gezet": [{"regel": p.line, "reden": p.reason} for p in self.problems],
            "per_koppeling": [{"school": s, "lvs": system, "in_wachtrij": n}
                              for s, system, n in self.by_coupling],
        }


@dataclass(frozen=True)
class CouplingSendDTO:
    school: str  # 'BRIN+vestiging'
    system: str
    status: str  # the coupling's status afterwards
    sent: int
    set_aside: int
    detail: str = ""


@dataclass(frozen=True)
class SendReportDTO:
    couplings: tuple[CouplingSendDTO, ...]
    skipped: int  # couplings another worker was sending for, or without a client here

    @property
    def sent(self) -> int:
        return sum(c.sent for c in self.couplings)
