"""Typed shortcuts resolved against the school's own data, forgiving typos and case."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.children import LicenceTaskBase, child_dto, query_text
from services.errors import InvalidInput
from services.intents import normalise
from services.licence_tasks_dto import (
    ChildrenShortcutDTO,
    LinkShortcutDTO,
    PupilLicenceDTO,
    PupilLookupDTO,
    PupilLookupItemDTO,
)
from services.matching import match_groups, match_names, strip_group_word
from services.models import (
    MODEL_CHILD,
    MODEL_GROUP,
    ROLE_PUPIL,
    STATUS_ACTIVE,
    ChildAssignment,
    Licence,
    LicenceExtraChild,
    LicenceGroup,
    Person,
    Product,
    Role,
    School,
)

MAX_PUPIL_MATCHES = 10
PUPIL_CUTOFF = 85.0
PRODUCT_CUTOFF = 85.0


def _required_text(value: object, field: str) -> str:
    text = query_text(value)
    if not text:
        raise InvalidInput("error.invalid_field", field=field)
    return text


class ShortcutMixin(LicenceTaskBase):
    """What typed words like 'koppel groep 5b aan pluspunt' mean at this school. Nothing here
    changes data: every shortcut ends in the normal flow's confirmation card."""

    async def _school_products(
        self, session: AsyncSession, school: School, model: str
    ) -> dict[int, Product]:
        products = (await session.scalars(
            select(Product).join(Licence, Licence.product_id == Product.id).where(
                Licence.school_id == school.id, Licence.school_year == self.current_school_year(),
                Licence.model == model)
        )).all()
        return {p.id: p for p in sorted(set(products), key=lambda p: p.name.lower())}

    @staticmethod
    def _match_product(text: str, products: dict[int, Product]) -> Product | None:
        names = {pid: p.name for pid, p in products.items()}
        found = match_names(text, names, cutoff=PRODUCT_CUTOFF)
        if not found:
            codes = {pid: p.code for pid, p in products.items()}
            found = match_names(text, codes, cutoff=PRODUCT_CUTOFF)
        return products[found[0]] if len(found) == 1 else None

    async def resolve_link_shortcut(
        self, actor: Actor, school_id: object, group_text: object, product_text: object
    ) -> LinkShortcutDTO:
        """'koppel groep 5b aan pluspunt': the groups that match the group name and the group
        licences of the product that matches the product name. Empty results mean 'not found';
        the caller says what it understood. Raises InvalidInput for garbled text."""
        group_said = _required_text(group_text, "group")
        product_said = _required_text(product_text, "product")
        async with self._read(actor, "resolve_link_shortcut") as session:
            school = await self._require_coordinator(session, actor, school_id)
            groups = await self._groups_of(session, school.id)
            matched = set(match_groups(group_said, {g.id: g.name for g in groups}))
            products = await self._school_products(session, school, MODEL_GROUP)
            product = self._match_product(product_said, products)
            licences = ()
            if product is not None:
                rows = (await session.scalars(self._licence_query().where(
                    Licence.school_id == school.id,
                    Licence.school_year == self.current_school_year(),
                    Licence.model == MODEL_GROUP, Licence.product_id == product.id,
                ))).all()
                licences = tuple(sorted([await self._licence_dto(session, lic) for lic in rows],
                                        key=lambda d: (d.levels, d.id)))
            return LinkShortcutDTO(
                school_id=school.id,
                group_text=strip_group_word(group_said) or group_said,
                product_text=product_said,
                groups=tuple(g for g in groups if g.id in matched),
                product_name=product.name if product else None,
                licences=licences,
                known_products=tuple(p.name for p in products.values()),
            )

    async def children_shortcut(
        self, actor: Actor, school_id: object, product_text: object
    ) -> ChildrenShortcutDTO:
        """'kinderen op taal actief': the product's group licences with their extra children."""
        product_said = _required_text(product_text, "product")
        async with self._read(actor, "children_shortcut") as session:
            school = await self._require_coordinator(session, actor, school_id)
            products = await self._school_products(session, school, MODEL_GROUP)
            product = self._match_product(product_said, products)
            overview = ()
            if product is not None:
                overview = await self._overview(session, school, self.current_school_year(),
                                                MODEL_GROUP, [product.id])
            return ChildrenShortcutDTO(
                school_id=school.id, product_text=product_said,
                product_name=product.name if product else None, licences=overview,
                known_products=tuple(p.name for p in products.values()),
            )

    async def find_pupil(self, actor: Actor, school_id: object, name: object) -> PupilLookupDTO:
        """'leerling Sanne de Vries': the school's pupils whose name matches (exactly, by its
        parts, or with a small typo), each with the licences they have this school year."""
        said = _required_text(name, "name")
        wanted = normalise(said)
        async with self._read(actor, "find_pupil") as session:
            school = await self._require_coordinator(session, actor, school_id)
            people = (await session.scalars(
                select(Person).join(Role, (Role.person_id == Person.id)
                                    & (Role.school_id == school.id) & (Role.role == ROLE_PUPIL))
                .where(Person.status == STATUS_ACTIVE)
            )).all()
            names = {p.id: normalise(p.full_name) for p in people}
            found = [pid for pid, n in names.items() if n == wanted]
            if not found:
                words = wanted.split()
                found = [pid for pid, n in names.items() if all(w in n.split() for w in words)]
            if not found:
                scored = process.extract(wanted, names, scorer=fuzz.ratio,
                                         score_cutoff=PUPIL_CUTOFF, limit=None)
                found = [pid for _, _, pid in scored]
            by_id = {p.id: p for p in people}
            chosen = sorted((by_id[pid] for pid in found), key=lambda p: p.sort_name)
            shown = chosen[:MAX_PUPIL_MATCHES]
            items = await self._pupil_licences(session, school, shown)
            return PupilLookupDTO(school_id=school.id, query=said, matches=items,
                                  more=len(chosen) - len(shown))

    async def _pupil_licences(
        self, session: AsyncSession, school: School, people: list[Person]
    ) -> tuple[PupilLookupItemDTO, ...]:
        ids = [p.id for p in people]
        groups = await self._pupil_groups(session, school.id, ids)
        year = self.current_school_year()
        base = (select(Licence, Product).join(Product, Product.id == Licence.product_id)
                .where(Licence.school_id == school.id, Licence.school_year == year))
        via_group = (await session.execute(
            base.add_columns(LicenceGroup.group_id)
            .join(LicenceGroup, LicenceGroup.licence_id == Licence.id)
            .where(LicenceGroup.group_id.in_(sorted({g.id for g in groups.values()})))
        )).all()
        extra = (await session.execute(
            base.add_columns(LicenceExtraChild.person_id)
            .join(LicenceExtraChild, LicenceExtraChild.licence_id == Licence.id)
            .where(LicenceExtraChild.person_id.in_(ids))
        )).all()
        seats = (await session.execute(
            base.add_columns(ChildAssignment.person_id)
            .join(ChildAssignment, ChildAssignment.licence_id == Licence.id)
            .where(ChildAssignment.person_id.in_(ids), Licence.model == MODEL_CHILD)
        )).all()
        items = []
        for person in people:
            group = groups.get(person.id)
            found = [("group", lic, prod) for lic, prod, gid in via_group
                     if group is not None and gid == group.id]
            found += [("extra", lic, prod) for lic, prod, pid in extra if pid == person.id]
            found += [("seat", lic, prod) for lic, prod, pid in seats if pid == person.id]
            licences = tuple(sorted(
                (PupilLicenceDTO(prod.name, lic.levels, lic.school_year, via)
                 for via, lic, prod in found),
                key=lambda d: (d.product_name.lower(), d.levels)))
            items.append(PupilLookupItemDTO(child=child_dto(person, group), licences=licences))
        return tuple(items)
