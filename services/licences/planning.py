"""Automatic linking's plan (rule 5): every unlinked group to the one group licence that fits it,
and the ambiguous groups as suggestions. Pure: no session, no clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.models import Group, Licence
from services.shared.licences import fits
from services.shared.queries import group_sort_key


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


def sorted_plan(plan: LinkPlan) -> LinkPlan:
    """Links and suggestions by product name, then group in year order."""
    def key(item):
        group, licence = item[0], item[1] if isinstance(item[1], Licence) else item[1][0]
        return (licence.product.name.lower(), group_sort_key(group))
    return LinkPlan(tuple(sorted(plan.links, key=key)), tuple(sorted(plan.suggestions, key=key)))
