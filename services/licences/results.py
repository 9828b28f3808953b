"""Frozen result types of the licence area: group links, automatic linking, children of other
groups, and the typed shortcuts that end in those flows."""

from __future__ import annotations

from dataclasses import dataclass

from services.shared.results import (
    ChildDTO,
    GroupNameDTO,
    LicenceDTO,
    LicenceOverviewDTO,
    LinkedGroupDTO,
)


@dataclass(frozen=True)
class LicenceListDTO:
    """The school's group licences of one school year, each with its linked groups."""

    school_id: int
    school_year: str
    licences: tuple[LicenceDTO, ...]


@dataclass(frozen=True)
class GroupChoiceDTO:
    id: int
    name: str
    fits: bool


@dataclass(frozen=True)
class LinkOptionsDTO:
    licence: LicenceDTO
    groups: tuple[GroupChoiceDTO, ...]


@dataclass(frozen=True)
class LinkPreviewDTO:
    licence: LicenceDTO
    to_link: tuple[GroupChoiceDTO, ...]
    group_ids: tuple[int, ...] = ()  # every chosen group, checked: what 'Koppelen' confirms


@dataclass(frozen=True)
class LinkResultDTO:
    licence: LicenceDTO
    linked: tuple[str, ...]
    already_linked: tuple[str, ...]


@dataclass(frozen=True)
class UnlinkPreviewDTO:
    licence: LicenceDTO
    group: LinkedGroupDTO


@dataclass(frozen=True)
class UnlinkResultDTO:
    licence: LicenceDTO
    group_name: str
    was_linked: bool


@dataclass(frozen=True)
class ExtraChildRemovalDTO:
    """An extra child of a group licence: about to be removed, or just removed."""

    licence: LicenceDTO
    child: ChildDTO
    was_on: bool = True


# -- automatic linking ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LicenceRefDTO:
    id: int
    product_name: str
    levels: tuple[int, ...]
    school_year: str


@dataclass(frozen=True)
class AutoLinkDTO:
    group_id: int
    group_name: str
    licence: LicenceRefDTO


@dataclass(frozen=True)
class SuggestionDTO:
    """A group that fits several licences of one product: the coördinator chooses."""

    group_id: int
    group_name: str
    licences: tuple[LicenceRefDTO, ...]


@dataclass(frozen=True)
class AutoLinkOutcomeDTO:
    school_id: int
    school_year: str
    links: tuple[AutoLinkDTO, ...]
    suggestions: tuple[SuggestionDTO, ...]
    applied: bool
    chosen: tuple[AutoLinkDTO, ...] = ()  # doubtful groups the coördinator linked by choice


# -- typed shortcuts -----------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkShortcutDTO:
    """'koppel groep 5b aan pluspunt' resolved against the school: what matched, what did not."""

    school_id: int
    group_text: str
    product_text: str
    groups: tuple[GroupNameDTO, ...]  # the matching groups (one when unambiguous)
    product_name: str | None
    licences: tuple[LicenceDTO, ...]  # the matched product's group licences of the year
    known_products: tuple[str, ...]
    fitting: frozenset[tuple[int, int]] = frozenset()  # (group id, licence id): levels match

    def preview(self, group_id: int, licence_id: int) -> LinkPreviewDTO | None:
        """The confirmation of linking one matched group to one matched licence, from what was
        checked in the same read as the match: what preview_link would answer then, without
        reading it all again. None when either is not among the matches, or when the group is
        linked to that licence already."""
        group = next((g for g in self.groups if g.id == group_id), None)
        licence = next((lic for lic in self.licences if lic.id == licence_id), None)
        if group is None or licence is None or any(
                ln.group_id == group.id for ln in licence.linked_groups):
            return None
        return LinkPreviewDTO(
            licence=licence,
            to_link=(GroupChoiceDTO(group.id, group.name, (group.id, licence.id) in self.fitting),),
            group_ids=(group.id,))


@dataclass(frozen=True)
class ChildrenShortcutDTO:
    """'kinderen op taal actief': the matched product's group licences with their extra children."""

    school_id: int
    product_text: str
    product_name: str | None
    licences: tuple[LicenceOverviewDTO, ...]
    known_products: tuple[str, ...]
    school_year: str = ""
