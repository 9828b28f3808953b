"""Signed, short-lived download links: bound to one school, one group and the person who asked."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

LINK_LIFETIME = timedelta(minutes=10)
PINCODE_PATH = "/downloads/pincodes/"  # + token; served by bot/downloads.py
VERSION = "v1"
MAX_TOKEN = 300


class LinkRefused(Exception):
    """A link that must not be served; `reason` is 'invalid' (forged, tampered, garbled) or
    'expired'. The reason is for the HTTP status only and is never shown in detail."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class LinkClaim:
    kind: str  # what the link downloads, e.g. 'pincodes'
    school_id: int
    group_id: int
    person_id: int
    expires: int  # unix seconds


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, payload: str) -> bytes:
    return hmac.new(key, f"{VERSION}.{payload}".encode(), hashlib.sha256).digest()


def sign(key: bytes, claim: LinkClaim) -> str:
    """The token for a claim: 'v1.<payload>.<hmac>', all URL-safe."""
    fields = (claim.kind, claim.school_id, claim.group_id, claim.person_id, claim.expires)
    payload = _b64(":".join(str(f) for f in fields).encode())
    return f"{VERSION}.{payload}.{_b64(_mac(key, payload))}"


def issue(key: bytes, kind: str, school_id: int, group_id: int, person_id: int,
          now: datetime) -> tuple[str, datetime]:
    """A token valid for LINK_LIFETIME from now, and the moment it expires."""
    expires_at = now + LINK_LIFETIME
    claim = LinkClaim(kind, school_id, group_id, person_id, int(expires_at.timestamp()))
    return sign(key, claim), expires_at


def verify(key: bytes, token: str, kind: str, now: datetime) -> LinkClaim:
    """The claim of an authentic, unexpired token of this kind; LinkRefused otherwise.

    The signature is checked before anything in the payload is believed, so a forged or
    tampered token is 'invalid' even when it also looks expired.
    """
    if not isinstance(token, str) or len(token) > MAX_TOKEN or token.count(".") != 2:
        raise LinkRefused("invalid")
    version, payload, signature = token.split(".")
    if version != VERSION:
        raise LinkRefused("invalid")
    try:
        given = _unb64(signature)
        fields = _unb64(payload).decode("ascii").split(":")
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise LinkRefused("invalid") from None
    if not hmac.compare_digest(given, _mac(key, payload)):
        raise LinkRefused("invalid")
    if len(fields) != 5 or fields[0] != kind or not all(f.isdigit() for f in fields[1:]):
        raise LinkRefused("invalid")
    claim = LinkClaim(fields[0], int(fields[1]), int(fields[2]), int(fields[3]), int(fields[4]))
    now_s = now.timestamp()
    if claim.expires > now_s + LINK_LIFETIME.total_seconds() + 60:
        raise LinkRefused("invalid")  # never issued by us: too far in the future
    if now_s >= claim.expires:
        raise LinkRefused("expired")
    return claim
