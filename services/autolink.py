"""Automatic linking (rule 5): every unlinked group to the one group licence that fits it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.base import as_id
from services.errors import Conflict, InvalidInput
from services.licence_tasks_dto import (
    AutoLinkDTO,
    AutoLinkOutcomeDTO,
    LicenceRefDTO,
    SuggestionDTO,
)
from services.linking import LinkingMixin, fits
from services.models import LINK_AUTO, MODEL_GROUP, Group, Licence, LicenceGroup, School
from services.people import group_sort_key


@dataclass(frozen=True)
class LinkPlan:
    links: tuple[tuple[Group, Licence], ...]
    suggestions: tuple[tuple[Group, tuple[Licence, ...]], ...]


def plan_links(groups: Sequence[Group], licences: Sequence[Licence],
               linked: set[tuple[int, int]]) -> LinkPlan:
    """Which group goes to which licence, per product.

    A group that has no licence of a product yet is linked when exactly one licence of that
    product fits its year level(s), or, for a combination group, when exactly one licence
    covers all its levels. Any other fit (a 6/7 group and licences for 6 and for 7) is ambiguous
    and becomes a suggestion; nothing is ever linked by a guess. `linked` holds (licence id,
    group id) pairs that exist already.
    """
    by_product: dict[int, list[Licence]] = {}
    for licence in licences:
        by_product.setdefault(licence.product_id, []).append(licence)
    links: list[tuple[Group, Licence]] = []
    suggestions: list[tuple[Group, tuple[Licence, ...]]] = []
    for product_licences in by_product.values():
        product_licences.sort(key=lambda lic: (lic.levels, lic.id))
        ids = {lic.id for lic in product_licences}
        for group in sorted(groups, key=group_sort_key):
            if any((lid, group.id) in linked for lid in ids):
                continue
            fitting = [lic for lic in product_licences if fits(group.levels, lic.levels)]
            covering = [lic for lic in fitting if set(group.levels) <= set(lic.levels)]
            if len(fitting) == 1:
                links.append((group, fitting[0]))
            elif len(covering) == 1:
                links.append((group, covering[0]))
            elif fitting:
                suggestions.append((group, tuple(fitting)))
    return LinkPlan(tuple(links), tuple(suggestions))


def licence_ref(licence: Licence) -> LicenceRefDTO:
    return LicenceRefDTO(id=licence.id, product_name=licence.product.name,
                         levels=licence.levels, school_year=licence.school_year)


def _sort(plan: LinkPlan) -> LinkPlan:
    def key(item):
        group, licence = item[0], item[1] if isinstance(item[1], Licence) else item[1][0]
        return (licence.product.name.lower(), group_sort_key(group))
    return LinkPlan(tuple(sorted(plan.links, key=key)), tuple(sorted(plan.suggestions, key=key)))


def _pairs(value: object) -> set[tuple[int, int]]:
    """[[licence id, group id], ...] as carried in dialog state; anything else is garbage."""
    if not isinstance(value, list | tuple) or len(value) > 10_000:
        raise InvalidInput("error.invalid_field", field="links")
    pairs = set()
    for pair in value:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise InvalidInput("error.invalid_field", field="links")
        pairs.add((as_id(pair[0], "licence"), as_id(pair[1], "group")))
    return pairs


class AutoLinkMixin(LinkingMixin):
    """Malmberg links groups automatically where it can; the coördinator links the rest."""

    async def _plan(
        self, session: AsyncSession, school: School, year: str,
        product_codes: Iterable[str] | None,
    ) -> LinkPlan:
        stmt = self._licence_query().where(
            Licence.school_id == school.id, Licence.school_year == year,
            Licence.model == MODEL_GROUP,
        )
        licences = (await session.scalars(stmt)).all()
        if product_codes is not None:
            codes = set(product_codes)
            licences = [lic for lic in licences if lic.product.code in codes]
        groups = (await session.scalars(
            select(Group).where(Group.school_id == school.id, Group.deleted_at.is_(None))
        )).all()
        linked = {(ln.licence_id, ln.group_id) for lic in licences for ln in lic.group_links}
        return _sort(plan_links(groups, licences, linked))

    @staticmethod
    def _outcome(school: School, year: str, plan: LinkPlan, applied: bool) -> AutoLinkOutcomeDTO:
        return AutoLinkOutcomeDTO(
            school_id=school.id,
            school_year=year,
            links=tuple(AutoLinkDTO(g.id, g.name, licence_ref(lic)) for g, lic in plan.links),
            suggestions=tuple(
                SuggestionDTO(g.id, g.name, tuple(licence_ref(lic) for lic in lics))
                for g, lics in plan.suggestions
            ),
            applied=applied,
        )

    async def auto_link_preview(
        self, actor: Actor, school_id: object, school_year: str | None = None
    ) -> AutoLinkOutcomeDTO:
        """What auto_link would link now, and the ambiguous groups left as suggestions."""
        async with self._read(actor, "auto_link_preview") as session:
            school = await self._require_coordinator(session, actor, school_id)
            year = school_year or self.current_school_year()
            return self._outcome(school, year, await self._plan(session, school, year, None), False)

    async def auto_link(
        self, actor: Actor, school_id: object, school_year: str | None = None,
        product_codes: Iterable[str] | None = None, confirmed: object = None,
    ) -> AutoLinkOutcomeDTO:
        """Link every unlinked live group of the school to the one group licence of the school
        year that fits it (see plan_links); origin 'auto', audited as one event.

        `product_codes` limits the run to some products (the sync and the demo use it).
        `confirmed` is the [licence id, group id] pairs of the preview the coördinator agreed
        to: only those are linked, so a link that became possible after the preview waits for
        the next preview instead of being made unseen. Ambiguous groups are returned as
        suggestions and left alone. Raises NotAllowed for a school the actor does not
        coordinate, Conflict when someone linked a group meanwhile, InvalidInput for garbage.
        """
        codes = None
        if product_codes is not None:
            codes = list(product_codes)
            if not all(isinstance(c, str) for c in codes):
                raise InvalidInput("error.invalid_field", field="products")
        agreed = None if confirmed is None else _pairs(confirmed)
        async with self._transaction(actor, "auto_link") as session:
            school = await self._require_coordinator(session, actor, school_id)
            year = school_year or self.current_school_year()
            plan = await self._plan(session, school, year, codes)
            if agreed is not None:
                plan = LinkPlan(tuple((g, lic) for g, lic in plan.links
                                      if (lic.id, g.id) in agreed), plan.suggestions)
            try:
                # A savepoint, as in add_extra_children: the Conflict is what the caller gets.
                async with session.begin_nested():
                    for group, licence in plan.links:
                        session.add(LicenceGroup(licence_id=licence.id, group_id=group.id,
                                                 origin=LINK_AUTO, linked_by=None,
                                                 linked_at=self.now()))
            except IntegrityError:
                raise Conflict("error.autolink_changed") from None
            if plan.links:
                self._audit(session, actor, "auto_link", school.id, school_year=year,
                            links=[[lic.id, g.id] for g, lic in plan.links],
                            suggestions=len(plan.suggestions))
            return self._outcome(school, year, plan, True)
