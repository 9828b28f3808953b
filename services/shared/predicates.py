"""The conditions every area means the same thing by: a live group, an active person, a pupil
of a school, a name that contains the typed words."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, or_

from services.models import ROLE_PUPIL, Group, Person, Role


def live_group() -> ColumnElement[bool]:
    """A group Basispoort still delivers (Group.is_live)."""
    return Group.is_live


def live_groups_of(school_id: int) -> ColumnElement[bool]:
    return and_(Group.school_id == school_id, live_group())


def active_person() -> ColumnElement[bool]:
    """A person who has not left (Person.is_active)."""
    return Person.is_active


def pupil_role_of(school_id: int) -> ColumnElement[bool]:
    """Join condition: the person's pupil role at this school."""
    return and_(Role.person_id == Person.id, Role.school_id == school_id, Role.role == ROLE_PUPIL)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def name_contains(text: str, people=Person) -> ColumnElement[bool] | None:
    """Every typed word is part of the first name, last name or tussenvoegsel (case-blind);
    None for empty text. Wildcards typed by the user match themselves only. `people`: the
    mapped class, or the table's columns (PEOPLE) for a Core statement."""
    conditions = []
    for word in text.lower().split():
        pattern = f"%{escape_like(word)}%"
        conditions.append(or_(
            func.lower(people.first_name).like(pattern, escape="\\"),
            func.lower(people.last_name).like(pattern, escape="\\"),
            func.lower(people.tussenvoegsel).like(pattern, escape="\\"),
        ))
    return and_(*conditions) if conditions else None


def person_order(people=Person) -> tuple:
    """Dutch order of names in SQL: by last name without the tussenvoegsel (Person.sort_name).
    `people` as for name_contains."""
    return (func.lower(people.last_name), func.lower(people.first_name),
            func.lower(people.tussenvoegsel), people.id)


# The people table's columns, for Core statements (no ORM objects to build).
PEOPLE = Person.__table__.c
