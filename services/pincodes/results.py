"""Frozen result types of the pincode area, and the vocabulary they speak: the two login modes
and the 16 named pictures a picture code is made of."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

MODE_PICTURES = "pictures"  # plaatjes: a sequence of pictures from a fixed set
MODE_DIGITS = "digits"  # cijfer-wachtwoord
MODES = (MODE_PICTURES, MODE_DIGITS)

# The fixed set of 16 named pictures; a picture code is 4 different ones, in order.
PICTURES = (
    "appel", "auto", "bal", "bloem", "boom", "boot", "hart", "huis",
    "kroon", "maan", "paraplu", "sleutel", "ster", "vis", "wolk", "zon",
)
PICTURE_COUNT = 4
DIGITS_MIN = 4
DIGITS_MAX = 6
SEPARATOR = "-"  # between the pictures of a stored picture code: 'zon-maan-ster-hart'


def other_mode(mode: str) -> str:
    return MODE_DIGITS if mode == MODE_PICTURES else MODE_PICTURES


def picture_names(code: str) -> tuple[str, ...]:
    """'zon-maan-ster-hart' → ('zon', 'maan', 'ster', 'hart')."""
    return tuple(code.split(SEPARATOR))


# Shown codes leave the chat when the coördinator moves on, and at most after this long.
CODES_VISIBLE_MINUTES = 3


@dataclass(frozen=True)
class PupilCodeDTO:
    person_id: int
    name: str
    has_code: bool
    code: str | None = None  # only when revealed; None when hidden, missing or unreadable
    unreadable: bool = False
    first_name: str = ""  # what the pupil's 'Wijzig' button is named after


@dataclass(frozen=True)
class PincodeGroupDTO:
    school_id: int
    school_name: str
    group_id: int
    group_name: str
    login_mode: str
    pupils: tuple[PupilCodeDTO, ...]
    revealed: bool
    page: int = 1
    page_count: int = 1
    total: int = 0

    def hidden(self) -> PincodeGroupDTO:
        """The same page without any code."""
        return replace(self, revealed=False, pupils=tuple(
            replace(p, code=None, unreadable=False) for p in self.pupils))


@dataclass(frozen=True)
class PincodeGroupChoiceDTO:
    id: int
    name: str
    login_mode: str
    pupil_count: int


@dataclass(frozen=True)
class PincodeStartDTO:
    """Either one group's card (a typed name matched exactly one group) or groups to pick from."""

    school_id: int
    school_name: str
    group: PincodeGroupDTO | None
    groups: tuple[PincodeGroupChoiceDTO, ...]
    query: str = ""
    not_found: bool = False  # a typed name matched no group: `groups` are all of them


@dataclass(frozen=True)
class PincodePupilDTO:
    school_id: int
    group_id: int
    group_name: str
    person_id: int
    name: str
    login_mode: str


@dataclass(frozen=True)
class PincodeChangeDTO:
    pupil: PincodePupilDTO
    code: str
    generated: bool


@dataclass(frozen=True)
class LoginModeDTO:
    school_id: int
    group_id: int
    group_name: str
    login_mode: str
    pupil_count: int


@dataclass(frozen=True)
class PincodeCardDTO:
    name: str
    code: str


@dataclass(frozen=True)
class PincodeSheetDTO:
    """Everything the printed sheet shows; pupils sorted by name."""

    school_name: str
    brin: str
    vestiging: str
    group_name: str
    login_mode: str
    cards: tuple[PincodeCardDTO, ...]


@dataclass(frozen=True)
class PrintLinkDTO:
    school_id: int
    group_id: int
    group_name: str
    path: str  # relative to the bot's public base URL
    expires_at: datetime
    pupil_count: int


@dataclass(frozen=True)
class GroupRefDTO:
    school_id: int
    school_name: str
    group_id: int
    group_name: str
