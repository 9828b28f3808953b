"""Pupils' login codes: the picture set, the rules a new code must meet, generation, and DTOs."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from services.errors import InvalidInput

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
DIGITS_GENERATED = 6
SEPARATOR = "-"  # between the pictures of a stored picture code: 'zon-maan-ster-hart'


def other_mode(mode: str) -> str:
    return MODE_DIGITS if mode == MODE_PICTURES else MODE_PICTURES


def picture_names(code: str) -> tuple[str, ...]:
    """'zon-maan-ster-hart' → ('zon', 'maan', 'ster', 'hart')."""
    return tuple(code.split(SEPARATOR))


def is_run(digits: str) -> bool:
    """A straight run up or down, like 1234, 3456 or 98765."""
    steps = {int(b) - int(a) for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {-1})


def check_digit_code(value: object, current: str | None = None) -> str:
    """A typed digit code, checked; raises InvalidInput with the rule it breaks."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("error.pincode_empty")
    code = "".join(value.split())
    if not code.isascii() or not code.isdigit():
        raise InvalidInput("error.pincode_digits_only")
    if not DIGITS_MIN <= len(code) <= DIGITS_MAX:
        raise InvalidInput("error.pincode_length", min=DIGITS_MIN, max=DIGITS_MAX)
    if len(set(code)) == 1:
        raise InvalidInput("error.pincode_same_digit")
    if is_run(code):
        raise InvalidInput("error.pincode_run")
    if current is not None and code == current:
        raise InvalidInput("error.pincode_current")
    return code


def check_picture_code(value: object, current: str | None = None) -> str:
    """Four pictures (a list, or 'zon-maan-ster-hart'), checked; returns the stored form."""
    if isinstance(value, str):
        parts = [p.strip().lower() for p in value.replace(",", SEPARATOR).split(SEPARATOR)]
    elif isinstance(value, list | tuple):
        parts = [p.strip().lower() if isinstance(p, str) else "" for p in value]
    else:
        raise InvalidInput("error.pincode_pictures_count", count=PICTURE_COUNT)
    parts = [p for p in parts if p]
    if len(parts) != PICTURE_COUNT:
        raise InvalidInput("error.pincode_pictures_count", count=PICTURE_COUNT)
    if any(p not in PICTURES for p in parts):
        raise InvalidInput("error.pincode_picture_unknown")
    if len(set(parts)) != PICTURE_COUNT:
        raise InvalidInput("error.pincode_pictures_repeat", count=PICTURE_COUNT)
    code = SEPARATOR.join(parts)
    if current is not None and code == current:
        raise InvalidInput("error.pincode_current")
    return code


def check_code(mode: str, value: object, current: str | None = None) -> str:
    if mode == MODE_DIGITS:
        return check_digit_code(value, current)
    return check_picture_code(value, current)


def generate_code(mode: str, current: str | None = None) -> str:
    """A fresh code from the OS's cryptographic random source that meets every rule."""
    while True:
        if mode == MODE_DIGITS:
            # No leading zero: spreadsheets and some keypads drop it, and the code is misread.
            code = secrets.choice("123456789") + "".join(
                secrets.choice("0123456789") for _ in range(DIGITS_GENERATED - 1))
        else:
            pool = list(PICTURES)
            code = SEPARATOR.join(pool.pop(secrets.randbelow(len(pool)))
                                  for _ in range(PICTURE_COUNT))
        try:
            return check_code(mode, code, current)
        except InvalidInput:
            continue


# -- what the pincode use cases return ----------------------------------------------------------

@dataclass(frozen=True)
class PupilCodeDTO:
    person_id: int
    name: str
    has_code: bool
    code: str | None = None  # only when revealed; None when hidden, missing or unreadable
    unreadable: bool = False


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

