"""How a school knows its licences: 'Pluspunt groep 5'. A licence's name is a name, the same in
every language, like a group's name ('Groep 5b'); only the words around it are translated."""

from __future__ import annotations

import functools


def levels_name(levels: tuple[int, ...]) -> str:
    """(5,) → 'groep 5'; (6, 7) → 'groep 6/7'; (3, 4, ..., 8) → 'groep 3 t/m 8'."""
    return _levels_name(tuple(levels))


@functools.lru_cache(maxsize=256)
def _levels_name(levels: tuple[int, ...]) -> str:
    # Kept for the few combinations there are: a licence list names every licence thrice.
    if len(levels) > 2 and list(levels) == list(range(levels[0], levels[-1] + 1)):
        return f"groep {levels[0]} t/m {levels[-1]}"
    return "groep " + "/".join(str(level) for level in levels)


def licence_name(product_name: str, levels: tuple[int, ...]) -> str:
    """'Pluspunt groep 5': the product (method) and its year group(s)."""
    return f"{product_name} {levels_name(levels)}"


def licence_title(product_name: str, levels: tuple[int, ...], school_year: str) -> str:
    """'Pluspunt groep 5 — 2026-2027': the name with its school year."""
    return f"{licence_name(product_name, levels)} — {school_year}"
