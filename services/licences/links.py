"""Group licences and the groups linked to them (rule 5): by hand, automatically, or from
typed words like 'koppel groep 5b aan pluspunt'."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.actor import Actor
from services.driver_rows import Read, rows_ahead
from services.errors import Conflict, InvalidInput
from services.licences.planning import LinkPlan, plan_links, sorted_plan
from services.licences.products import match_product, products_of
from services.licences.results import (
    AutoLinkDTO,
    AutoLinkOutcomeDTO,
    GroupChoiceDTO,
    LicenceListDTO,
    LicenceRefDTO,
    LinkOptionsDTO,
    LinkPreviewDTO,
    LinkResultDTO,
    LinkShortcutDTO,
    SuggestionDTO,
    UnlinkPreviewDTO,
    UnlinkResultDTO,
)
from services.matching import match_groups, strip_group_word
from services.models import (
    LINK_AUTO,
    LINK_MANUAL,
    MODEL_GROUP,
    Group,
    Licence,
    LicenceGroup,
)
from services.shared.context import SchoolRow, ServiceContext
from services.shared.inputs import as_id, as_ids, required_text
from services.shared.licences import (
    by_product,
    fits,
    licence_columns,
    licence_dto,
    licence_list,
    licence_query,
    licence_reads,
    licence_rows,
    managed_licence,
    read_licences,
)
from services.shared.predicates import live_groups_of
from services.shared.queries import group_names_of, group_names_read, group_sort_key, live_groups

MAX_CONFIRMED = 10_000


def licence_ref(licence: Licence) -> LicenceRefDTO:
    return LicenceRefDTO(id=licence.id, product_name=licence.product.name,
                         levels=licence.levels, school_year=licence.school_year)


def confirmed_pairs(value: object) -> set[tuple[int, int]]:
    """[[licence id, group id], ...] as carried in dialog state; anything else is garbage."""
    if not isinstance(value, list | tuple) or len(value) > MAX_CONFIRMED:
        raise InvalidInput("error.invalid_field", field="links")
    pairs = set()
    for pair in value:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise InvalidInput("error.invalid_field", field="links")
        pairs.add((as_id(pair[0], "licence"), as_id(pair[1], "group")))
    return pairs


# The licence list, built once: its statement is asked for at every list card.
_GROUP_LICENCES_OF_YEAR = licence_rows(
    licence_columns.school_id == bindparam("school"),
    licence_columns.school_year == bindparam("year"), licence_columns.model == MODEL_GROUP)


class GroupLinks:
    """Linking groups to group licences. Malmberg links automatically where it can; the
    coördinator links the rest."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- reading --------------------------------------------------------------------------------
    async def list_group_licences(
        self, actor: Actor, school_id: object, school_year: str | None = None
    ) -> LicenceListDTO:
        """The school's group licences of the (current) school year, each with its linked
        groups, by product name and year levels."""
        sid = as_id(school_id, "school")
        year = school_year or self.ctx.school_year()
        params = {"school": sid, "year": year}
        async with self.ctx.read_rows(actor, "list_group_licences") as session, \
                rows_ahead(session, self._list_reads(actor, params)):
            school = await self.ctx.coordinated_school(session, actor, sid)
            return LicenceListDTO(school.id, year, by_product(await licence_list(
                session, _GROUP_LICENCES_OF_YEAR, params)))

    def list_group_licences_reads(self, actor: Actor, school_id: object) -> list[Read]:
        """What list_group_licences reads for this school this year (none for a garbled id)."""
        try:
            sid = as_id(school_id, "school")
        except InvalidInput:
            return []
        return self._list_reads(actor, self._this_year(sid))

    def _this_year(self, school_id: int) -> dict:
        """The values of _GROUP_LICENCES_OF_YEAR for this school in the current year."""
        return {"school": school_id, "year": self.ctx.school_year()}

    def _list_reads(self, actor: Actor, params: dict) -> list[Read]:
        """The check and the year's group licences with their links (params: _this_year)."""
        return self.ctx.checked_reads(actor, params["school"], *licence_reads(
            _GROUP_LICENCES_OF_YEAR, params))

    async def link_options(self, actor: Actor, licence_id: object) -> LinkOptionsDTO:
        """The groups that can still be linked to a group licence, fitting year levels first."""
        async with self.ctx.read(actor, "link_options") as session:
            licence, school = await managed_licence(self.ctx, session, actor, licence_id,
                                                    MODEL_GROUP)
            linked = {ln.group_id for ln in licence.group_links}
            choices = [GroupChoiceDTO(g.id, g.name, fits(g.levels, licence.levels))
                       for g in await live_groups(session, school.id) if g.id not in linked]
            return LinkOptionsDTO(licence=await licence_dto(session, licence),
                                  groups=tuple(sorted(choices, key=lambda c: not c.fits)))

    # -- linking by hand ------------------------------------------------------------------------
    async def _chosen_groups(self, session: AsyncSession, licence: Licence, school: SchoolRow,
                             group_ids: object) -> tuple[list[Group], list[Group]]:
        """The chosen groups (checked: live groups of this school), split into those still to
        link and those linked already, each in year order."""
        groups = [await self.ctx.group_of_school(session, school, g) for g in as_ids(group_ids)]
        linked = {ln.group_id for ln in licence.group_links}
        ordered = sorted(groups, key=group_sort_key)
        return ([g for g in ordered if g.id not in linked], [g for g in ordered if g.id in linked])

    async def preview_link(
        self, actor: Actor, licence_id: object, group_ids: object
    ) -> LinkPreviewDTO:
        """What link_groups would do, checked but not applied (for the confirmation card).
        Raises Conflict when every chosen group is linked already."""
        async with self.ctx.read(actor, "preview_link") as session:
            licence, school = await managed_licence(self.ctx, session, actor, licence_id,
                                                    MODEL_GROUP)
            to_link, already = await self._chosen_groups(session, licence, school, group_ids)
            if not to_link:
                raise Conflict("error.already_linked")
            return LinkPreviewDTO(
                licence=await licence_dto(session, licence),
                to_link=tuple(GroupChoiceDTO(g.id, g.name, fits(g.levels, licence.levels))
                              for g in to_link),
                group_ids=tuple(g.id for g in (*to_link, *already)))

    async def link_groups(self, actor: Actor, licence_id: object, group_ids: object
                          ) -> LinkResultDTO:
        """Link groups of the licence's school to a group licence, by hand.

        Groups already linked are reported, not linked twice. Raises NotFound for a stale
        licence or group, NotAllowed for another school's licence or group, InvalidInput for
        a garbled list.
        """
        async with self.ctx.transaction(actor, "link_groups") as session:
            licence, school = await managed_licence(self.ctx, session, actor, licence_id,
                                                    MODEL_GROUP)
            new, already = await self._chosen_groups(session, licence, school, group_ids)
            added = [LicenceGroup(licence_id=licence.id, group_id=g.id, group=g,
                                  origin=LINK_MANUAL, linked_by=actor.person_id,
                                  linked_at=self.ctx.now()) for g in new]
            session.add_all(added)
            if new:
                self.ctx.audit(session, actor, "link_groups", school.id, licence_id=licence.id,
                               group_ids=[g.id for g in new])
            await session.flush()
            return LinkResultDTO(
                licence=await licence_dto(session, licence, [*licence.group_links, *added]),
                linked=tuple(g.name for g in new),
                already_linked=tuple(g.name for g in already),
            )

    async def preview_unlink(
        self, actor: Actor, licence_id: object, group_id: object
    ) -> UnlinkPreviewDTO:
        """The link that unlink_group would remove (for the confirmation card)."""
        async with self.ctx.read(actor, "preview_unlink") as session:
            licence, school = await managed_licence(self.ctx, session, actor, licence_id,
                                                    MODEL_GROUP)
            group = await self.ctx.group_of_school(session, school, group_id)
            dto = await licence_dto(session, licence)
            link = next((ln for ln in dto.linked_groups if ln.group_id == group.id), None)
            if link is None:
                raise Conflict("error.not_linked", group=group.name)
            return UnlinkPreviewDTO(licence=dto, group=link)

    async def unlink_group(
        self, actor: Actor, licence_id: object, group_id: object
    ) -> UnlinkResultDTO:
        """Remove a group from a group licence; a group that is not linked changes nothing."""
        async with self.ctx.transaction(actor, "unlink_group") as session:
            licence, school = await managed_licence(self.ctx, session, actor, licence_id,
                                                    MODEL_GROUP)
            group = await self.ctx.group_of_school(session, school, group_id)
            link = next((ln for ln in licence.group_links if ln.group_id == group.id), None)
            # Delete by row count: of two simultaneous unlinks only one removes (and audits) it.
            removed = link is not None and (await session.execute(
                delete(LicenceGroup).where(LicenceGroup.id == link.id))).rowcount == 1
            if removed:
                self.ctx.audit(session, actor, "unlink_group", school.id, licence_id=licence.id,
                               group_id=group.id, origin=link.origin)
            remaining = [ln for ln in licence.group_links if not (removed and ln is link)]
            return UnlinkResultDTO(licence=await licence_dto(session, licence, remaining),
                                   group_name=group.name, was_linked=removed)

    # -- automatic linking ------------------------------------------------------------------------
    async def _plan(self, session: AsyncSession, school: SchoolRow, year: str,
                    product_codes: Iterable[str] | None) -> LinkPlan:
        licences = (await session.scalars(licence_query().where(
            Licence.school_id == school.id, Licence.school_year == year,
            Licence.model == MODEL_GROUP))).all()
        if product_codes is not None:
            codes = set(product_codes)
            licences = [lic for lic in licences if lic.product.code in codes]
        groups = (await session.scalars(select(Group).where(live_groups_of(school.id)))).all()
        linked = {(ln.licence_id, ln.group_id) for lic in licences for ln in lic.group_links}
        return sorted_plan(plan_links(groups, licences, linked))

    @staticmethod
    def _outcome(school: SchoolRow, year: str, plan: LinkPlan, applied: bool,
                 chosen: tuple[tuple[Group, Licence], ...] = ()) -> AutoLinkOutcomeDTO:
        picked = {(g.id, lic.product_id) for g, lic in chosen}
        return AutoLinkOutcomeDTO(
            school_id=school.id, school_year=year,
            links=tuple(AutoLinkDTO(g.id, g.name, licence_ref(lic)) for g, lic in plan.links),
            suggestions=tuple(SuggestionDTO(g.id, g.name, tuple(licence_ref(x) for x in lics))
                              for g, lics in plan.suggestions
                              if (g.id, lics[0].product_id) not in picked),
            applied=applied,
            chosen=tuple(AutoLinkDTO(g.id, g.name, licence_ref(lic)) for g, lic in chosen),
        )

    @staticmethod
    def _picked(plan: LinkPlan, picks: set[tuple[int, int]]) -> tuple[tuple[Group, Licence], ...]:
        """The coördinator's choice per doubtful row, checked against the rows as they are now.
        A choice that is not among them makes the whole proposal stale (someone linked that
        group meanwhile, or the card was forged); two licences of one method for one group are
        garbage."""
        offered = {(g.id, lic.id): (g, lic) for g, lics in plan.suggestions for lic in lics}
        made: dict[tuple[int, int], tuple[Group, Licence]] = {}
        for licence_id, group_id in sorted(picks):
            found = offered.get((group_id, licence_id))
            if found is None:
                raise Conflict("error.autolink_changed")
            group, licence = found
            if (group.id, licence.product_id) in made:
                raise InvalidInput("error.invalid_field", field="links")
            made[(group.id, licence.product_id)] = found
        return tuple(sorted(made.values(), key=lambda pair: (pair[1].product.name.lower(),
                                                             group_sort_key(pair[0]))))

    async def auto_link_preview(
        self, actor: Actor, school_id: object, school_year: str | None = None
    ) -> AutoLinkOutcomeDTO:
        """What auto_link would link now, and the ambiguous groups left as suggestions."""
        async with self.ctx.read(actor, "auto_link_preview") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            year = school_year or self.ctx.school_year()
            return self._outcome(school, year, await self._plan(session, school, year, None),
                                 False)

    async def auto_link(
        self, actor: Actor, school_id: object, school_year: str | None = None,
        product_codes: Iterable[str] | None = None, confirmed: object = None,
        chosen: object = None,
    ) -> AutoLinkOutcomeDTO:
        """Link every unlinked live group of the school to the one group licence of the school
        year that fits it (see plan_links); origin 'auto', audited as one event.

        `product_codes` limits the run to some products (the sync and the demo use it).
        `confirmed` is the [licence id, group id] pairs of the preview the coördinator agreed
        to: only those are linked, so a link that became possible after the preview waits for
        the next preview instead of being made unseen. `chosen` is the [licence id, group id]
        pairs the coördinator picked for doubtful groups on the same preview; they are linked
        in the same transaction, as links made by hand. Doubtful groups not chosen are returned
        as suggestions and left alone. All of it is made, or nothing: raises Conflict when the
        preview no longer holds (someone linked one of its groups meanwhile), NotAllowed for a
        school the actor does not coordinate, InvalidInput for garbage.
        """
        codes = None
        if product_codes is not None:
            codes = list(product_codes)
            if not all(isinstance(c, str) for c in codes):
                raise InvalidInput("error.invalid_field", field="products")
        agreed = None if confirmed is None else confirmed_pairs(confirmed)
        picks = set() if chosen is None else confirmed_pairs(chosen)
        async with self.ctx.transaction(actor, "auto_link") as session:
            school = await self.ctx.coordinated_school(session, actor, school_id)
            year = school_year or self.ctx.school_year()
            plan = await self._plan(session, school, year, codes)
            if agreed is not None:
                # The coördinator's proposal covers every product: a link of it that no longer
                # fits means it is stale. A run for some products agrees to a wider preview.
                if codes is None and not agreed <= {(lic.id, g.id) for g, lic in plan.links}:
                    raise Conflict("error.autolink_changed")
                plan = LinkPlan(tuple((g, lic) for g, lic in plan.links
                                      if (lic.id, g.id) in agreed), plan.suggestions)
            picked = self._picked(plan, picks)
            now = self.ctx.now()
            try:
                # A savepoint: without it a failed INSERT (a race, only possible on PostgreSQL)
                # rolls back the whole transaction, and the caller would get "closed
                # transaction" instead of the Conflict.
                async with session.begin_nested():
                    session.add_all([
                        *(LicenceGroup(licence_id=licence.id, group_id=group.id,
                                       origin=LINK_AUTO, linked_by=None, linked_at=now)
                          for group, licence in plan.links),
                        *(LicenceGroup(licence_id=licence.id, group_id=group.id,
                                       origin=LINK_MANUAL, linked_by=actor.person_id,
                                       linked_at=now)
                          for group, licence in picked)])
            except IntegrityError:
                raise Conflict("error.autolink_changed") from None
            if plan.links or picked:
                self.ctx.audit(session, actor, "auto_link", school.id, school_year=year,
                               links=[[lic.id, g.id] for g, lic in plan.links],
                               chosen=[[lic.id, g.id] for g, lic in picked],
                               suggestions=len(plan.suggestions) - len(picked))
            return self._outcome(school, year, plan, True, picked)

    # -- typed words ------------------------------------------------------------------------------
    def resolve_link_shortcut_reads(self, actor: Actor, school_id: int) -> list[Read]:
        """What resolve_link_shortcut reads at this school, whatever the words: the check,
        the group names, and the year's group licences with their links (the products come
        from those: one statement less than reading them first)."""
        return self._shortcut_reads(actor, self._this_year(school_id))

    def _shortcut_reads(self, actor: Actor, params: dict) -> list[Read]:
        return [*self._list_reads(actor, params), group_names_read(params["school"])]

    async def resolve_link_shortcut(
        self, actor: Actor, school_id: object, group_text: object, product_text: object
    ) -> LinkShortcutDTO:
        """'koppel groep 5b aan pluspunt': the groups that match the group name, the group
        licences of the product that matches the product name, and which of those fit which
        group. Empty results mean 'not found'; the caller says what it understood. Raises
        InvalidInput for garbled text."""
        group_said = required_text(group_text, "group")
        product_said = required_text(product_text, "product")
        sid = as_id(school_id, "school")
        params = self._this_year(sid)
        async with self.ctx.read_rows(actor, "resolve_link_shortcut") as session, \
                rows_ahead(session, self._shortcut_reads(actor, params)):
            school = await self.ctx.coordinated_school(session, actor, sid)
            groups = await group_names_of(session, school.id)
            matched = set(match_groups(group_said, {g.id: g.name for g in groups}))
            year_licences = await read_licences(session, _GROUP_LICENCES_OF_YEAR, params)
            products = products_of(year_licences.products())
            product = match_product(product_said, products)
            licences = ()
            if product is not None:
                licences = tuple(sorted(year_licences.dtos(product.code),
                                        key=lambda d: (d.levels, d.id)))
            chosen = tuple(g for g in groups if g.id in matched)
            return LinkShortcutDTO(
                school_id=school.id,
                group_text=strip_group_word(group_said) or group_said,
                product_text=product_said,
                groups=chosen,
                product_name=product.name if product else None,
                licences=licences,
                known_products=tuple(p.name for p in products.values()),
                fitting=frozenset((g.id, lic.id) for g in chosen for lic in licences
                                  if fits(g.levels, lic.levels)),
            )
