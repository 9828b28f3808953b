"""The audit area: a school's trail names only its own groups, licences and pupils."""

from __future__ import annotations

from sqlalchemy import select

from services.errors import NotAllowed
from services.models import Group


async def test_a_forged_id_of_another_school_is_never_named(services, alex, sessions):
    """A refused claim on another school's group is in the trail without that group's name."""
    schools = {ref.name: ref.id for ref in alex.coordinator_of}
    regenboog, kompas = schools["OBS De Regenboog"], schools["CBS Het Kompas"]
    async with sessions() as session:
        kompas_group = await session.scalar(select(Group).where(Group.school_id == kompas))
        own_group = await session.scalar(select(Group).where(Group.school_id == regenboog))
    ctx = services.audit.ctx
    await ctx.record_refusal(alex, "link_groups", NotAllowed(
        school_id=regenboog, group_id=kompas_group.id, group_ids=[own_group.id, "x", True, -4]))
    found = await services.audit.recent_changes(alex, regenboog)
    entry = found.entries.items[0]  # the newest
    assert entry.refused and entry.action == "link_groups"
    assert entry.groups == (own_group.name,) and kompas_group.name not in entry.groups
    other = await services.audit.recent_changes(alex, kompas)
    assert not [e for e in other.entries.items if e.refused]
