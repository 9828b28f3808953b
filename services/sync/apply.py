"""Applying one school's validated snapshot to the database, inside the caller's transaction.

The difference between the snapshot and the database is applied and recorded change by change;
the consequences follow the manual: a removed group's licence links end, a moved pupil's access
follows the new group (access is by membership), extra-child links and kindlicentie seats stay
with the child, new pupils get a login code of their group's kind, new and changed groups are
linked automatically where that is unambiguous, and a child arriving in a running group gets
the rule-7 reminder."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.models import (
    MODEL_GROUP,
    ROLE_COORDINATOR,
    ROLE_PUPIL,
    ROLE_TEACHER,
    STATUS_ACTIVE,
    STATUS_LEFT,
    Group,
    GroupMember,
    Licence,
    LicenceGroup,
    Person,
    Product,
    Role,
    School,
    SyncChange,
    parse_levels,
)
from services.notify.results import GroupLicenceDTO, SyncReminderDTO
from services.shared.bulk import insert_many, next_ids
from services.shared.licences import fits
from services.shared.queries import group_sort_key
from services.sync import changes as c
from services.sync.snapshot import DeliveryError, Problem, Snapshot

CHUNK = 500


@dataclass
class PersonRow:
    """A person as the sync handles them: plain values, not an ORM object. A new one (no id
    yet) is inserted in bulk once the run knows them all; a known one whose values changed is
    updated in bulk (the ORM's unit of work costs more than the rest of a night together)."""

    basispoort_key: str
    first_name: str
    tussenvoegsel: str
    last_name: str
    email: str | None
    eck_id: str | None
    id: int | None = None
    status: str = STATUS_ACTIVE

    full_name = Person.full_name

    COLUMNS = ("basispoort_key", "first_name", "tussenvoegsel", "last_name", "email", "eck_id",
               "status")

    def row(self) -> dict:
        return {name: getattr(self, name) for name in self.COLUMNS}


@dataclass
class Applied:
    """What applying a snapshot did: the changes, and what the notification needs."""

    school: School
    created_school: bool
    changes: list[tuple[str, str, dict]] = field(default_factory=list)
    auto_links: list[GroupLicenceDTO] = field(default_factory=list)
    open: list[GroupLicenceDTO] = field(default_factory=list)
    reminders: list[SyncReminderDTO] = field(default_factory=list)

    def record(self, kind: str, subject: str, /, **detail) -> None:
        self.changes.append((kind, subject, detail))

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kind, _, _ in self.changes:
            counts[kind] = counts.get(kind, 0) + 1
        return {kind: counts[kind] for kind in c.ORDER if kind in counts}

    async def insert_rows(self, session: AsyncSession, run_id: int) -> None:
        """The run's changes, in multi-row INSERTs (a first delivery has one per pupil)."""
        await insert_many(session, SyncChange, [
            {"run_id": run_id, "kind": kind, "subject": subject[:200],
             "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True)}
            for kind, subject, detail in self.changes])


# A delivery in which most of a school's pupils leave is far likelier a broken export than a
# school emptying overnight: it is refused unless an operator says it is meant.
MASS_LEAVING_SHARE = 0.5
MASS_LEAVING_MIN = 20  # pupils at the school; a tiny school may well halve


def login_mode_for(levels: str) -> str:
    """Young children log in with pictures (groep 1 to 3), older ones with digits."""
    parsed = parse_levels(levels) if levels else ()
    return "pictures" if parsed and min(parsed) <= 3 else "digits"


class SnapshotApplier:
    """One school's snapshot against the database, in one session the caller commits."""

    def __init__(self, session: AsyncSession, snapshot: Snapshot, *, now: datetime,
                 school_year: str, first_run: bool = False,
                 issue_codes: Callable | None = None, school: School | None = None,
                 allow_mass_leaving: bool = False) -> None:
        # A school's first delivery is not news: no reminders for a whole school arriving.
        self.first_run = first_run
        self.session = session
        self.snap = snapshot
        self.now = now
        self.school_year = school_year
        self.issue_codes = issue_codes
        self.known_school = school  # already read (and on PostgreSQL locked) by the caller
        self.allow_mass_leaving = allow_mass_leaving

    async def apply(self) -> Applied:
        school, created = await self._school()
        self.result = Applied(school=school, created_school=created)
        await self._load(school)
        self._refuse_mass_leaving()
        self._pending_deletes: list[tuple[int, str, set[int]]] = []
        self._role_deletes: list[tuple[int, str]] = []
        self._new_people: list[PersonRow] = []
        self._new_roles: list[tuple[Person | PersonRow, str]] = []
        self._new_members: list[tuple[Person | PersonRow, int, str]] = []
        self._new_groups: list[dict] = []
        new_groups, changed_groups = self._groups(school)
        await self._insert_groups(school)
        await self.session.flush()
        arrivals = self._pupils(school)
        self._staff(school)
        await self.session.flush()
        await self._insert_new(school)
        await self._update_people()
        await self._flush_deletes()
        await self._end_removed_groups()
        await self.session.flush()
        if self.issue_codes is not None:
            await self.issue_codes(self.session, school.id)
        await self._link_groups(school, new_groups | changed_groups)
        if not created and not self.first_run:
            await self._reminders(arrivals, new_groups)
        return self.result

    # -- loading --------------------------------------------------------------------------------
    async def _school(self) -> tuple[School, bool]:
        info = self.snap.school
        if self.known_school is not None:
            school = self.known_school
            if info.name and info.name != school.name:
                school.name = info.name
            return school, False
        stmt = select(School).where(School.brin == info.brin, School.vestiging == info.vestiging)
        if self.session.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update()  # one school's runs one after the other
        school = await self.session.scalar(stmt)
        if school is None:
            school = School(brin=info.brin, vestiging=info.vestiging,
                            name=info.name or f"School {info.brin}-{info.vestiging}")
            self.session.add(school)
            await self.session.flush()
            return school, True
        if info.name and info.name != school.name:
            school.name = info.name
        return school, False

    async def _load(self, school: School) -> None:
        session = self.session
        self.groups = {g.basispoort_key: g for g in (await session.scalars(
            select(Group).where(Group.school_id == school.id))).all()}
        # The roles of everyone with a role here, at this school and at others, in one
        # statement: only someone with a role here can leave it, and whether they have one
        # elsewhere decides whether they leave altogether.
        here = select(Role.person_id).where(Role.school_id == school.id)
        roles = (await session.execute(
            select(Role.person_id, Role.school_id, Role.role)
            .where(Role.person_id.in_(here.scalar_subquery())))).all()
        self.roles: dict[str, set[int]] = {ROLE_PUPIL: set(), ROLE_TEACHER: set(),
                                           ROLE_COORDINATOR: set()}
        self.other_roles: set[int] = set()  # people with a role at another school too
        for person_id, school_id, role in roles:
            if school_id == school.id:
                self.roles.setdefault(role, set()).add(person_id)
            else:
                self.other_roles.add(person_id)
        self.members: dict[tuple[int, str], set[int]] = {}  # (person, role) -> group ids
        self.member_ids: dict[tuple[int, str, int], int] = {}  # (person, role, group) -> row
        if self.groups:
            for member_id, person_id, group_id, role in (await session.execute(
                select(GroupMember.id, GroupMember.person_id, GroupMember.group_id,
                       GroupMember.role)
                .join(Group, Group.id == GroupMember.group_id)
                .where(Group.school_id == school.id)
            )).all():
                self.members.setdefault((person_id, role), set()).add(group_id)
                self.member_ids[(person_id, role, group_id)] = member_id
        keys = [p.key for p in self.snap.pupils] + [s.key for s in self.snap.staff]
        known_ids = sorted(set().union(*self.roles.values()))
        people: dict[int, PersonRow] = {}
        columns = [getattr(Person, name) for name in PersonRow.COLUMNS]
        for start in range(0, max(len(keys), len(known_ids)), CHUNK):
            chunk_keys = keys[start:start + CHUNK]
            chunk_ids = known_ids[start:start + CHUNK]
            for person_id, *values in (await session.execute(select(Person.id, *columns).where(
                    or_(Person.basispoort_key.in_(chunk_keys), Person.id.in_(chunk_ids))))):
                people[person_id] = PersonRow(**dict(zip(PersonRow.COLUMNS, values, strict=True)),
                                              id=person_id)
        self._as_loaded = {p.id: p.row() for p in people.values()}
        self.people_by_key = {p.basispoort_key: p for p in people.values()}
        self.people = people

    def _refuse_mass_leaving(self) -> None:
        """Before anything is written: refuse a delivery in which most pupils would leave."""
        if self.allow_mass_leaving:
            return
        here = [self.people[pid] for pid in self.roles[ROLE_PUPIL]
                if pid in self.people and self.people[pid].status == STATUS_ACTIVE]
        delivered = {spec.key for spec in self.snap.pupils}
        leaving = sum(1 for person in here if person.basispoort_key not in delivered)
        if len(here) >= MASS_LEAVING_MIN and leaving > MASS_LEAVING_SHARE * len(here):
            info = self.snap.school
            raise DeliveryError(self.snap.source, [Problem(0, (
                f"met deze levering zouden {leaving} van de {len(here)} leerlingen de school "
                "verlaten; dat lijkt op een onvolledige export. Klopt het toch (een school die "
                "sluit of opgaat in een andere), verwerk de levering dan met "
                "'beheerbot sync --allow-mass-leaving BESTAND'"))], (info.brin, info.vestiging))

    # -- groups ---------------------------------------------------------------------------------
    def _groups(self, school: School) -> tuple[set[str], set[str]]:
        new: set[str] = set()
        changed: set[str] = set()
        delivered = set()
        for spec in self.snap.groups:
            delivered.add(spec.key)
            group = self.groups.get(spec.key)
            if group is None or not group.is_live:
                if group is None:
                    self._new_groups.append({
                        "school_id": school.id, "basispoort_key": spec.key, "name": spec.name,
                        "year_levels": spec.levels, "login_mode": login_mode_for(spec.levels)})
                else:
                    group.deleted_at = None
                    group.name, group.year_levels = spec.name, spec.levels
                self.result.record(c.GROUP_ADDED, spec.name, levels=spec.levels)
                new.add(spec.key)
                continue
            if group.name != spec.name:
                self.result.record(c.GROUP_RENAMED, spec.name, previous=group.name)
                group.name = spec.name
            if group.year_levels != spec.levels:
                self.result.record(c.GROUP_LEVELS, spec.name, previous=group.year_levels,
                                   levels=spec.levels)
                group.year_levels = spec.levels
                changed.add(spec.key)
        self.removed = [g for key, g in self.groups.items() if key not in delivered and g.is_live]
        return new, changed

    async def _insert_groups(self, school: School) -> None:
        """New groups in one multi-row INSERT and read back in one SELECT, instead of a
        statement per group from the ORM: a school's first delivery brings all of them."""
        if not self._new_groups:
            return
        ids = (await self.session.scalars(insert(Group).returning(Group.id),
                                          self._new_groups)).all()
        for group in (await self.session.scalars(
                select(Group).where(Group.id.in_(ids)))).all():
            self.groups[group.basispoort_key] = group

    async def _end_removed_groups(self) -> None:
        if not self.removed:
            return
        ids = [g.id for g in self.removed]
        links = (await self.session.execute(
            select(LicenceGroup.id, LicenceGroup.group_id, Licence, Product.name)
            .join(Licence, Licence.id == LicenceGroup.licence_id)
            .join(Product, Product.id == Licence.product_id)
            .where(LicenceGroup.group_id.in_(ids)))).all()
        names = {g.id: g.name for g in self.removed}
        for _, group_id, licence, product_name in links:
            self.result.record(c.LINK_ENDED, names[group_id],
                               licence=_licence_name(product_name, licence),
                               licence_id=licence.id)
        await self.session.execute(delete(LicenceGroup).where(LicenceGroup.group_id.in_(ids)))
        await self.session.execute(delete(GroupMember).where(GroupMember.group_id.in_(ids)))
        for group in self.removed:
            group.deleted_at = self.now
            self.result.record(c.GROUP_REMOVED, group.name)

    # -- people ---------------------------------------------------------------------------------
    def _person(self, key: str, first: str, tv: str, last: str, *, email=None,
                eck_id=None) -> tuple[Person, bool]:
        person = self.people_by_key.get(key)
        if person is None:
            person = PersonRow(basispoort_key=key, first_name=first, tussenvoegsel=tv,
                               last_name=last, email=email, eck_id=eck_id)
            self._new_people.append(person)
            self.people_by_key[key] = person
            return person, True
        if (person.first_name, person.tussenvoegsel, person.last_name) != (first, tv, last):
            person.first_name, person.tussenvoegsel, person.last_name = first, tv, last
        if eck_id and person.eck_id != eck_id:
            person.eck_id = eck_id
        if email is not None and person.email != email:
            person.email = email
        return person, False

    def _set_members(self, person: Person, role: str, wanted: set[int]) -> tuple[set, set]:
        """Memberships of one role at this school made equal to `wanted`; (added, removed)."""
        current = self.members.get((person.id, role), set()) if person.id else set()
        added, removed = wanted - current, current - wanted
        self._new_members.extend((person, group_id, role) for group_id in added)
        if removed and person.id:
            self._pending_deletes.append((person.id, role, removed))
        return added, removed

    def _add_role(self, person: Person, school: School, role: str) -> bool:
        if person.id is not None and person.id in self.roles.get(role, ()):
            return False
        self._new_roles.append((person, role))
        if person.id is not None:
            self.roles.setdefault(role, set()).add(person.id)
        return True

    def _pupils(self, school: School) -> list[tuple[Person, Group]]:
        """Pupils added, moved and left; returns the arrivals (added or moved) in a group."""
        arrivals: list[tuple[Person, Group]] = []
        delivered: set[int] = set()
        group_by_key = self.groups
        self._groups_by_id = {g.id: g for g in self.groups.values()}
        for spec in self.snap.pupils:
            person, new = self._person(spec.key, spec.first_name, spec.tussenvoegsel,
                                       spec.last_name, eck_id=spec.eck_id)
            stamgroep = group_by_key[spec.group_keys[0]]
            wanted = {stamgroep.id} | {group_by_key[k].id for k in spec.composite_keys}
            returned = person.status != STATUS_ACTIVE
            person.status = STATUS_ACTIVE
            if person.id is not None:
                delivered.add(person.id)
            role_added = self._add_role(person, school, ROLE_PUPIL)
            previous = self._stamgroep_of(person)
            added, _ = self._set_members(person, ROLE_PUPIL, wanted)
            if new or returned or role_added:
                self.result.record(c.PUPIL_ADDED, _name(spec), group=stamgroep.name)
                arrivals.append((person, stamgroep))
            elif previous is not None and previous.id != stamgroep.id:
                self.result.record(c.PUPIL_MOVED, _name(spec), group=stamgroep.name,
                                   previous=previous.name)
                arrivals.append((person, stamgroep))
            elif previous is None and stamgroep.id in added:
                self.result.record(c.PUPIL_MOVED, _name(spec), group=stamgroep.name)
                arrivals.append((person, stamgroep))
        for person_id in self.roles[ROLE_PUPIL] - delivered:
            person = self.people[person_id]
            if person.status != STATUS_ACTIVE:
                continue
            self._leave(person, school, ROLE_PUPIL)
            self.result.record(c.PUPIL_LEFT, person.full_name)
        return arrivals

    def _stamgroep_of(self, person: Person) -> Group | None:
        """The pupil's stamgroep before this run. The database does not mark samengestelde
        groepen, so a group's kind comes from the delivery: a delivered stamgroep first, else a
        group the delivery no longer has (the stamgroep that was removed), never a delivered
        samengestelde groep."""
        if person.id is None:
            return None
        specs = self._group_specs()
        removed = None
        for group_id in sorted(self.members.get((person.id, ROLE_PUPIL), ())):
            group = self._groups_by_id.get(group_id)
            if group is None:
                continue
            spec = specs.get(group.basispoort_key)
            if spec is None:
                removed = removed or group
            elif not spec.composite:
                return group
        return removed

    def _group_specs(self):
        if not hasattr(self, "_specs"):
            self._specs = {g.key: g for g in self.snap.groups}
        return self._specs

    def _leave(self, person: Person, school: School, role: str) -> None:
        """The person no longer has `role` at this school: memberships and the role end;
        someone with no role left anywhere is marked as left (the row stays for the audit
        trail, kindlicentie seats and extra-child links stay with the child)."""
        groups = self.members.get((person.id, role), set())
        if groups:
            self._pending_deletes.append((person.id, role, set(groups)))
        self._role_deletes.append((person.id, role))
        self.roles[role].discard(person.id)
        if person.id not in self.other_roles and not any(
                person.id in ids for ids in self.roles.values()):
            person.status = STATUS_LEFT

    def _staff(self, school: School) -> None:
        group_by_key = self.groups
        delivered_teachers: set[int] = set()
        delivered_coordinators: set[int] = set()
        names = {g.id: g.name for g in self.groups.values()}
        for spec in self.snap.staff:
            person, _ = self._person(spec.key, spec.first_name, spec.tussenvoegsel,
                                     spec.last_name, email=spec.email)
            person.status = STATUS_ACTIVE
            if spec.teaches:
                if person.id is not None:
                    delivered_teachers.add(person.id)
                role_added = self._add_role(person, school, ROLE_TEACHER)
                if role_added:
                    self.result.record(c.TEACHER_ADDED, _name(spec))
                wanted = {group_by_key[k].id for k in spec.group_keys}
                added, removed = self._set_members(person, ROLE_TEACHER, wanted)
                if (added or removed) and not role_added:
                    self.result.record(c.TEACHER_GROUPS, _name(spec),
                                       added=sorted(names[g] for g in added),
                                       removed=sorted(names[g] for g in removed))
            if spec.coordinates:
                if person.id is not None:
                    delivered_coordinators.add(person.id)
                if self._add_role(person, school, ROLE_COORDINATOR):
                    self.result.record(c.COORDINATOR_ADDED, _name(spec))
        for person_id in self.roles[ROLE_TEACHER] - delivered_teachers:
            person = self.people.get(person_id)
            if person is None:  # added during this run
                continue
            self._leave(person, school, ROLE_TEACHER)
            self.result.record(c.TEACHER_LEFT, person.full_name)
        if self.snap.carries_roles:
            for person_id in self.roles[ROLE_COORDINATOR] - delivered_coordinators:
                person = self.people.get(person_id)
                if person is None:
                    continue
                self._leave(person, school, ROLE_COORDINATOR)
                self.result.record(c.COORDINATOR_REMOVED, person.full_name)

    async def _insert_new(self, school: School) -> None:
        """New people, roles and memberships in a few multi-row INSERTs rather than one ORM
        object each: a school's first delivery is hundreds of rows, a national night millions."""
        session = self.session
        ids = await next_ids(session, Person, len(self._new_people))
        if ids is not None:  # ids first, then the rows by COPY
            for person, person_id in zip(self._new_people, ids, strict=True):
                person.id = person_id
            await insert_many(session, Person,
                              [{"id": p.id, **p.row()} for p in self._new_people])
        elif self._new_people:
            by_key = {p.basispoort_key: p for p in self._new_people}
            rows = [p.row() for p in self._new_people]
            for start in range(0, len(rows), CHUNK):
                for key, person_id in (await session.execute(
                        insert(Person).returning(Person.basispoort_key, Person.id),
                        rows[start:start + CHUNK])).all():
                    by_key[key].id = person_id
        roles = [{"person_id": p.id, "school_id": school.id, "role": role}
                 for p, role in self._new_roles]
        members = [{"group_id": group_id, "person_id": p.id, "role": role}
                   for p, group_id, role in self._new_members]
        await insert_many(session, Role, roles)
        await insert_many(session, GroupMember, members)

    async def _update_people(self) -> None:
        """Known people whose names, ECK iD, e-mail or status changed: one bulk UPDATE."""
        rows = []
        for person in self.people.values():
            row = person.row()
            if row != self._as_loaded[person.id]:
                rows.append({"id": person.id, **row})
        for start in range(0, len(rows), CHUNK):
            await self.session.execute(update(Person), rows[start:start + CHUNK])

    async def _flush_deletes(self) -> None:
        """Memberships and roles that ended, in a few statements by id rather than one each."""
        member_ids = sorted({self.member_ids[(person_id, role, group_id)]
                             for person_id, role, group_ids in self._pending_deletes
                             for group_id in group_ids})
        for start in range(0, len(member_ids), CHUNK):
            await self.session.execute(delete(GroupMember).where(
                GroupMember.id.in_(member_ids[start:start + CHUNK])))
        by_role: dict[str, list[int]] = {}
        for person_id, role in self._role_deletes:
            by_role.setdefault(role, []).append(person_id)
        for role, person_ids in by_role.items():
            for start in range(0, len(person_ids), CHUNK):
                await self.session.execute(delete(Role).where(
                    Role.person_id.in_(person_ids[start:start + CHUNK]), Role.role == role,
                    Role.school_id == self.result.school.id))

    # -- licences -------------------------------------------------------------------------------
    async def _link_groups(self, school: School, keys: set[str]) -> None:
        """New and changed groups: linked where unambiguous, the rest reported as open.

        Unambiguous means: exactly one group licence of the product fits the group (or, for a
        combination group, exactly one covers all its levels), and the school already uses
        that licence for another group. A licence nobody at the school uses yet, or a choice
        between licences, is left to the coördinator and listed with a one-tap button."""
        groups = sorted((self.groups[k] for k in keys if self.groups[k].is_live),
                        key=group_sort_key)
        if not groups:
            return
        licences = (await self.session.execute(
            select(Licence, Product.name)
            .join(Product, Product.id == Licence.product_id)
            .where(Licence.school_id == school.id, Licence.school_year == self.school_year,
                   Licence.model == MODEL_GROUP))).all()
        if not licences:
            return
        links = (await self.session.execute(
            select(LicenceGroup.licence_id, LicenceGroup.group_id)
            .join(Licence, Licence.id == LicenceGroup.licence_id)
            .where(Licence.school_id == school.id,
                   Licence.school_year == self.school_year))).all()
        groups_of_licence: dict[int, set[int]] = {}
        for licence_id, group_id in links:
            groups_of_licence.setdefault(licence_id, set()).add(group_id)
        by_product: dict[int, list[tuple[Licence, str]]] = {}
        for licence, product_name in licences:
            by_product.setdefault(licence.product_id, []).append((licence, product_name))
        for group in groups:
            levels = group.levels
            if not levels:
                continue
            for product_licences in by_product.values():
                ordered = sorted(product_licences, key=lambda item: (item[0].levels, item[0].id))
                if any(group.id in groups_of_licence.get(lic.id, ()) for lic, _ in ordered):
                    continue
                fitting = [(lic, n) for lic, n in ordered if fits(levels, lic.levels)]
                covering = [(lic, n) for lic, n in fitting if set(levels) <= set(lic.levels)]
                choice = fitting if len(fitting) == 1 else covering if len(covering) == 1 else []
                if len(choice) == 1 and groups_of_licence.get(choice[0][0].id, set()) - {group.id}:
                    licence, product_name = choice[0]
                    self.session.add(LicenceGroup(licence_id=licence.id, group_id=group.id,
                                                  origin="auto", linked_by=None,
                                                  linked_at=self.now))
                    groups_of_licence.setdefault(licence.id, set()).add(group.id)
                    pair = GroupLicenceDTO(group.id, group.name, licence.id,
                                           _licence_name(product_name, licence))
                    self.result.auto_links.append(pair)
                    self.result.record(c.AUTO_LINKED, group.name, licence=pair.licence_name,
                                       licence_id=licence.id, group_id=group.id)
                    continue
                for licence, product_name in fitting:
                    self.result.open.append(GroupLicenceDTO(
                        group.id, group.name, licence.id, _licence_name(product_name, licence)))
        await self.session.flush()

    async def _reminders(self, arrivals: list[tuple[Person, Group]], new_groups: set[str]
                         ) -> None:
        """Rule 7 for each child arriving in a group that existed before this run and has a
        licence: the teacher must start the running lesson week (digital) or block/theme."""
        arrivals = [(p, g) for p, g in arrivals if g.basispoort_key not in new_groups]
        if not arrivals:
            return
        group_ids = {g.id for _, g in arrivals}
        linked = (await self.session.execute(
            select(LicenceGroup.group_id, Product.name, Product.kind)
            .join(Licence, Licence.id == LicenceGroup.licence_id)
            .join(Product, Product.id == Licence.product_id)
            .where(LicenceGroup.group_id.in_(group_ids),
                   Licence.school_year == self.school_year)
            .order_by(Product.name))).all()
        products: dict[int, list[tuple[str, str]]] = {}
        for group_id, name, kind in linked:
            products.setdefault(group_id, []).append((name, kind))
        if not products:  # no arrival in a group with a licence: nothing to start
            return
        teachers: dict[int, list[str]] = {}
        for group_id, *names in (await self.session.execute(
                select(GroupMember.group_id, Person.first_name, Person.tussenvoegsel,
                       Person.last_name)
                .join(Person, Person.id == GroupMember.person_id)
                .where(GroupMember.group_id.in_(group_ids), GroupMember.role == ROLE_TEACHER,
                       Person.status == STATUS_ACTIVE))).all():
            teachers.setdefault(group_id, []).append(" ".join(n for n in names if n))
        for person, group in arrivals:
            for product_name, kind in products.get(group.id, ()):
                self.result.reminders.append(SyncReminderDTO(
                    child_name=person.full_name, group_name=group.name,
                    product_name=product_name, kind=kind,
                    teacher_names=tuple(sorted(teachers.get(group.id, ())))))
                self.result.record(c.REMINDER, person.full_name, group=group.name,
                                   product=product_name, kind=kind)


def _name(spec) -> str:
    parts = [spec.first_name, spec.tussenvoegsel, spec.last_name]
    return " ".join(p for p in parts if p)


def _licence_name(product_name: str, licence: Licence) -> str:
    return f"{product_name} groep {licence.year_levels}"
