"""The pure parts of pincodes: the code rules, generation, and signed download links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import services.pincodes.codes as codes
from services.errors import InvalidInput
from services.pincodes.codes import check_digit_code, check_picture_code, generate_code, is_run
from services.pincodes.links import LinkClaim, LinkRefused, issue, sign, verify
from services.pincodes.results import MODE_DIGITS, MODE_PICTURES, PICTURES, picture_names
from services.secrets import SecretBox

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
KEY = b"s" * 32


def test_sixteen_named_pictures():
    assert len(PICTURES) == 16 == len(set(PICTURES))


@pytest.mark.parametrize("digits, run", [
    ("1234", True), ("9876", True), ("456789", True), ("3210", True), ("1235", False),
    ("1243", False), ("2468", False), ("9012", False), ("1212", False),
])
def test_straight_runs(digits, run):
    assert is_run(digits) is run


@pytest.mark.parametrize("good", ["5093", "48291", "730519", "1357", "0012", "9870"])
def test_good_digit_codes_pass(good):
    assert check_digit_code(good) == good


def test_the_current_code_is_refused_whatever_its_spacing():
    with pytest.raises(InvalidInput) as refused:
        check_digit_code("50 93", current="5093")
    assert refused.value.code == "error.pincode_current"
    assert check_picture_code("Zon, maan, ster, hart") == "zon-maan-ster-hart"
    with pytest.raises(InvalidInput):
        check_picture_code(["zon", "maan", "ster", "hart"], current="zon-maan-ster-hart")


@pytest.mark.parametrize("mode", [MODE_DIGITS, MODE_PICTURES])
def test_generated_codes_always_meet_the_rules(mode):
    seen = {generate_code(mode) for _ in range(300)}
    assert len(seen) > 290  # random, not a fixed list
    for code in seen:
        assert codes.check_code(mode, code) == code
        assert not code.startswith("0")


def test_generation_uses_the_cryptographic_source_and_retries_bad_draws(monkeypatch):
    draws = iter("111111" "234567" "283746")  # the same digit and a run are drawn again

    monkeypatch.setattr(codes.secrets, "choice", lambda _: next(draws))
    assert generate_code(MODE_DIGITS) == "283746"
    monkeypatch.setattr(codes.secrets, "randbelow", lambda n: 0)
    assert picture_names(generate_code(MODE_PICTURES)) == tuple(PICTURES[:4])


# -- download links --------------------------------------------------------------------------------

def test_a_link_verifies_until_it_expires():
    token, expires = issue(KEY, "pincodes", 1, 4, 7, NOW)
    assert expires == NOW + timedelta(minutes=10)
    claim = verify(KEY, token, "pincodes", NOW + timedelta(minutes=9, seconds=59))
    assert (claim.school_id, claim.group_id, claim.person_id) == (1, 4, 7)
    with pytest.raises(LinkRefused) as expired:
        verify(KEY, token, "pincodes", NOW + timedelta(minutes=10))
    assert expired.value.reason == "expired"


def _swap(token: str, part: int, value: str) -> str:
    parts = token.split(".")
    parts[part] = value
    return ".".join(parts)


def test_tampered_forged_and_garbled_links_are_invalid():
    token, _ = issue(KEY, "pincodes", 1, 4, 7, NOW)
    other_group = sign(KEY, LinkClaim("pincodes", 1, 5, 7, int(NOW.timestamp()) + 600))
    tampered = [
        _swap(token, 1, other_group.split(".")[1]),  # another group's payload, old signature
        _swap(token, 2, other_group.split(".")[2]),
        _swap(token, 0, "v2"),
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        issue(b"t" * 32, "pincodes", 1, 4, 7, NOW)[0],  # another key
        issue(KEY, "lvs", 1, 4, 7, NOW)[0],  # another kind of download
        sign(KEY, LinkClaim("pincodes", 1, 4, 7, int(NOW.timestamp()) + 86400)),  # never issued
        "v1.%%%.%%%", "v1.a.b.c", "", "x" * 301,
    ]
    for bad in tampered:
        with pytest.raises(LinkRefused) as refused:
            verify(KEY, bad, "pincodes", NOW)
        assert refused.value.reason == "invalid", bad


def test_an_expired_forgery_is_invalid_not_expired():
    token, _ = issue(b"t" * 32, "pincodes", 1, 4, 7, NOW - timedelta(hours=1))
    with pytest.raises(LinkRefused) as refused:
        verify(KEY, token, "pincodes", NOW)
    assert refused.value.reason == "invalid"


def test_link_keys_are_derived_and_separate_from_the_encryption_key():
    box = SecretBox(KEY)
    assert box.derive_key("download-links") == SecretBox(KEY).derive_key("download-links")
    assert box.derive_key("download-links") != box.derive_key("other")
    assert box.derive_key("download-links") != KEY
    assert SecretBox(b"t" * 32).derive_key("download-links") != box.derive_key("download-links")
