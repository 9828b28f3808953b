"""The conditions every area means the same thing by: a live group, an active person, a pupil
of a school, a name that contains the typed words."""

from __future__ import annotations

from sqlalchemy import ColumnElement, String, and_, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from services.models import ROLE_PUPIL, STATUS_ACTIVE, Group, Person, Role

# The tables' columns, for Core statements (rows, no ORM objects to build): every condition
# here takes them in place of the mapped class.
PEOPLE = Person.__table__.c
GROUPS = Group.__table__.c
ROLES = Role.__table__.c


def live_group(groups=Group) -> ColumnElement[bool]:
    """A group Basispoort still delivers (Group.is_live, in SQL)."""
    return groups.deleted_at.is_(None)


def live_groups_of(school_id, groups=Group) -> ColumnElement[bool]:
    """A live group of the school (`school_id` a value or a bound parameter)."""
    return and_(groups.school_id == school_id, live_group(groups))


def active_person(people=Person) -> ColumnElement[bool]:
    """A person who has not left (Person.is_active, in SQL)."""
    return people.status == STATUS_ACTIVE


def pupil_role_of(school_id: int, people=Person, roles=Role) -> ColumnElement[bool]:
    """Join condition: the person's pupil role at this school."""
    return and_(roles.person_id == people.id, roles.school_id == school_id,
                roles.role == ROLE_PUPIL)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def name_contains(text: str, people=Person) -> ColumnElement[bool] | None:
    """Every typed word is part of the first name, last name or tussenvoegsel (case-blind, by
    Person.search_name); None for empty text. Wildcards typed by the user match themselves
    only. `people`: the mapped class, or PEOPLE for a Core statement."""
    conditions = [_word_in_name(pattern, people) for pattern in word_params(text).values()]
    return and_(*conditions) if conditions else None


def name_contains_words(count: int, people=Person) -> ColumnElement[bool] | None:
    """name_contains for `count` words given later as parameters (word_params): for a
    statement built once."""
    conditions = [_word_in_name(bindparam(f"word{i}"), people) for i in range(count)]
    return and_(*conditions) if conditions else None


def word_params(text: str) -> dict[str, str]:
    """The LIKE patterns of the typed words, as name_contains_words names them."""
    return {f"word{i}": f"%{escape_like(word)}%" for i, word in enumerate(text.lower().split())}


def _word_in_name(pattern, people) -> ColumnElement[bool]:
    return people.search_name.like(pattern, escape="\\")


def person_order(people=Person) -> tuple:
    """Dutch order of names in SQL: by last name without the tussenvoegsel (Person.sort_name),
    case-blind. `people` as for name_contains."""
    return (folded_order(people.last_name), folded_order(people.first_name),
            folded_order(people.tussenvoegsel), people.id)


class folded_order(FunctionElement):  # noqa: N801 - used like func.lower
    """A name as ORDER BY sorts it case-blind: lower(name); on SQLite `name COLLATE NOCASE`,
    which folds the same ASCII letters lower() folds there, without a new string per row."""

    type = String()
    inherit_cache = True


@compiles(folded_order)
def _lower(element, compiler, **kw) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded_order, "sqlite")
def _nocase(element, compiler, **kw) -> str:
    return f"{compiler.process(element.clauses, **kw)} COLLATE NOCASE"
