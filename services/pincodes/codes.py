"""The rules a new login code must meet, and generating codes that meet them."""

from __future__ import annotations

import secrets

from services.errors import InvalidInput, Rejected
from services.pincodes.results import (
    DIGITS_MAX,
    DIGITS_MIN,
    MODE_DIGITS,
    PICTURE_COUNT,
    PICTURES,
    SEPARATOR,
)

DIGITS_GENERATED = 6


def is_run(digits: str) -> bool:
    """A straight run up or down, like 1234, 3456 or 98765."""
    steps = {int(b) - int(a) for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({1}, {-1})


def check_digit_code(value: object, current: str | None = None) -> str:
    """A typed digit code, checked; raises InvalidInput with the rule it breaks."""
    if not isinstance(value, str) or not value.strip():
        raise Rejected("error.pincode_empty")
    code = "".join(value.split())
    if not code.isascii() or not code.isdigit():
        raise Rejected("error.pincode_digits_only")
    if not DIGITS_MIN <= len(code) <= DIGITS_MAX:
        raise Rejected("error.pincode_length", min=DIGITS_MIN, max=DIGITS_MAX)
    if len(set(code)) == 1:
        raise Rejected("error.pincode_same_digit")
    if is_run(code):
        raise Rejected("error.pincode_run")
    if current is not None and code == current:
        raise Rejected("error.pincode_current")
    return code


def check_picture_code(value: object, current: str | None = None) -> str:
    """Four pictures (a list, or 'zon-maan-ster-hart'), checked; returns the stored form."""
    if isinstance(value, str):
        parts = [p.strip().lower() for p in value.replace(",", SEPARATOR).split(SEPARATOR)]
    elif isinstance(value, list | tuple):
        parts = [p.strip().lower() if isinstance(p, str) else "" for p in value]
    else:
        raise Rejected("error.pincode_pictures_count", count=PICTURE_COUNT)
    parts = [p for p in parts if p]
    if len(parts) != PICTURE_COUNT:
        raise Rejected("error.pincode_pictures_count", count=PICTURE_COUNT)
    if any(p not in PICTURES for p in parts):
        raise Rejected("error.pincode_picture_unknown")
    if len(set(parts)) != PICTURE_COUNT:
        raise Rejected("error.pincode_pictures_repeat", count=PICTURE_COUNT)
    code = SEPARATOR.join(parts)
    if current is not None and code == current:
        raise Rejected("error.pincode_current")
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
