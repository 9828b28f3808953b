"""School years run 1 August – 31 July and are written '2026-2027'."""

from __future__ import annotations

from datetime import date


def school_year_of(day: date) -> str:
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"

