"""'Recente wijzigingen': a school's audit trail for its own coördinator, newest first, paged,
refusals included, with the groups, licences and pupils an event names shown by name."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.audit.results import AuditEntryDTO, NamedLicenceDTO, RecentChangesDTO
from services.exchange.lvs.base import SYSTEMS
from services.models import AuditEvent, Group, Licence, Person, Product, Role, parse_levels
from services.shared.context import ServiceContext
from services.shared.inputs import page_number
from services.shared.paging import fetch_page

PAGE_SIZE = 10
NAMES_PER_ENTRY = 4  # names shown per kind on one line; the rest is counted
_GROUP_KEYS = ("group_id", "group_ids")
_LICENCE_KEYS = ("licence_id",)
_PERSON_KEYS = ("person_id", "child_id", "child_ids", "wrong_child_id", "intended_child_id")
_MAX_ID = 2**53


@dataclass
class _Ids:
    """The ids one event recorded, by kind; a refused forged payload may hold anything."""

    groups: list[int] = field(default_factory=list)
    licences: list[int] = field(default_factory=list)
    people: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, detail: dict) -> _Ids:
        ids = cls()
        for keys, found in ((_GROUP_KEYS, ids.groups), (_LICENCE_KEYS, ids.licences),
                            (_PERSON_KEYS, ids.people)):
            for key in keys:
                found.extend(_ints(detail.get(key)))
        links = detail.get("links")
        for pair in links if isinstance(links, list) else []:
            if isinstance(pair, list) and len(pair) == 2:  # auto_link: [licence, group]
                ids.licences.extend(_ints(pair[0]))
                ids.groups.extend(_ints(pair[1]))
        ids.groups, ids.licences, ids.people = (list(dict.fromkeys(x)) for x in (
            ids.groups, ids.licences, ids.people))
        return ids

    def shown(self) -> _Ids:
        return _Ids(self.groups[:NAMES_PER_ENTRY], self.licences[:NAMES_PER_ENTRY],
                    self.people[:NAMES_PER_ENTRY])

    def count(self) -> int:
        return len(self.groups) + len(self.licences) + len(self.people)


def _ints(value: object) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)
            and 0 < v < _MAX_ID]


def _detail(text: str) -> dict:
    try:
        detail = json.loads(text or "{}")
    except ValueError:
        return {}
    return detail if isinstance(detail, dict) else {}


@dataclass
class _Names:
    """Names of the school's own groups, licences and people; ids of another school (a
    forged claim that was refused) stay unnamed, so the trail leaks nothing of it."""

    groups: dict[int, str]
    licences: dict[int, NamedLicenceDTO]
    people: dict[int, str]

    @classmethod
    async def load(cls, session: AsyncSession, school_id: int, wanted: list[_Ids]) -> _Names:
        groups = {i for ids in wanted for i in ids.groups}
        licences = {i for ids in wanted for i in ids.licences}
        people = {i for ids in wanted for i in ids.people}
        found = cls({}, {}, {})
        if groups:
            found.groups = dict((await session.execute(
                select(Group.id, Group.name).where(Group.id.in_(groups),
                                                   Group.school_id == school_id))).all())
        if licences:
            rows = (await session.execute(
                select(Licence.id, Product.name, Licence.year_levels, Licence.school_year)
                .join(Product, Product.id == Licence.product_id)
                .where(Licence.id.in_(licences), Licence.school_id == school_id))).all()
            found.licences = {lid: NamedLicenceDTO(name, parse_levels(levels), year)
                              for lid, name, levels, year in rows}
        if people:
            of_school = select(Role.person_id).where(Role.school_id == school_id)
            rows = (await session.execute(select(Person).where(
                Person.id.in_(people), Person.id.in_(of_school)))).scalars()
            found.people = {person.id: person.full_name for person in rows}
        return found


class AuditService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def recent_changes(self, actor: Actor, school_id: object, page: object = 1
                             ) -> RecentChangesDTO:
        """The school's audit trail, newest first, PAGE_SIZE events a page, refusals included:
        for the school's own coördinator only (anyone else: NotAllowed, audited)."""
        async with self.ctx.read(actor, "recent_changes") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            stmt = (select(AuditEvent, Person)
                    .outerjoin(Person, Person.id == AuditEvent.person_id)
                    .where(AuditEvent.school_id == school.id)
                    .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
            where, rows = await fetch_page(session, stmt, page_number(page), PAGE_SIZE)
            details = [_detail(event.detail) for event, _ in rows]
            recorded = [_Ids.of(detail) for detail in details]
            names = await _Names.load(session, school.id, [ids.shown() for ids in recorded])
            return RecentChangesDTO(
                school_id=school.id, school_name=school.name,
                entries=where.of(_entry(actor, event, person, detail, ids, names)
                                 for (event, person), detail, ids
                                 in zip(rows, details, recorded, strict=True)))


def _entry(actor: Actor, event: AuditEvent, person: Person | None, detail: dict, ids: _Ids,
           names: _Names) -> AuditEntryDTO:
    shown = ids.shown()
    groups = tuple(names.groups[i] for i in shown.groups if i in names.groups)
    licences = tuple(names.licences[i] for i in shown.licences if i in names.licences)
    people = tuple(names.people[i] for i in shown.people if i in names.people)
    conversation = event.conversation_id or ""
    if not conversation:
        where = "none"
    elif conversation == actor.conversation_id:
        where = "this"
    else:
        where = "other"
    count = detail.get("pupils")
    system = detail.get("system")
    return AuditEntryDTO(
        at=event.at, who=person.full_name if person else "", action=event.action,
        refused=event.outcome == "refused", conversation=where,
        conversation_tag=conversation[-6:] if where == "other" else "",
        groups=groups, licences=licences, people=people,
        more=ids.count() - shown.count(),
        system=SYSTEMS.get(system, "") if isinstance(system, str) else "",
        count=count if isinstance(count, int) and not isinstance(count, bool) else None)
