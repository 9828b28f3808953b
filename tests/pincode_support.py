"""Helpers for the pincode tests: stored codes, the raw database file, a chat that can invoke."""

from __future__ import annotations

import itertools
import re
import sqlite3
from pathlib import Path

from sqlalchemy import select

from services.models import Group, GroupMember, Person, PupilCredential
from services.pincodes.service import credential_context
from services.secrets import SecretBox
from tests.cardcheck import check_card
from tests.conftest import TEST_KEY, Chat

CARD = "application/vnd.microsoft.card.adaptive"
_ids = itertools.count(1)


async def stored_codes(sessions, group_name: str | None = None, school_id: int | None = None
                       ) -> dict[str, tuple[str, str]]:
    """{pupil name: (kind, plaintext code)} as stored (decrypted with the test key)."""
    box = SecretBox(TEST_KEY)
    async with sessions() as session:
        stmt = (select(Person, PupilCredential)
                .join(PupilCredential, PupilCredential.person_id == Person.id))
        if group_name is not None:
            stmt = (stmt.join(GroupMember, GroupMember.person_id == Person.id)
                    .join(Group, Group.id == GroupMember.group_id)
                    .where(Group.name == group_name))
            if school_id is not None:
                stmt = stmt.where(Group.school_id == school_id)
        rows = (await session.execute(stmt)).all()
    return {p.full_name: (c.kind, box.decrypt(c.secret, credential_context(p.id)))
            for p, c in rows}


async def codes_by_pupil(sessions) -> dict[int, str]:
    """{pupil id: plaintext code}: a change shows as a pupil whose code differs, even when the new
    code happens to equal another school's pupil's code."""
    box = SecretBox(TEST_KEY)
    async with sessions() as session:
        rows = (await session.execute(select(PupilCredential))).scalars().all()
    return {c.person_id: box.decrypt(c.secret, credential_context(c.person_id)) for c in rows}


async def all_codes(sessions) -> set[str]:
    return {code for _, code in (await stored_codes(sessions)).values()}


def raw_database(path: Path) -> bytes:
    """The database file with its WAL and shared-memory files, byte for byte."""
    data = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            data += part.read_bytes()
    return data


def plaintext_dump(path: Path) -> str:
    """Every value of every table except the encrypted pincodes, as text: a digit code found
    here occurs in other data by chance (a key, a date) and proves nothing either way."""
    connection = sqlite3.connect(path)
    try:
        lines = [line for line in connection.iterdump() if "pupil_credentials" not in line]
    finally:
        connection.close()
    return "\n".join(lines)


def assert_codes_absent(codes: set[str], haystack: bytes, innocent: str) -> int:
    """No code occurs in `haystack` as a number of its own; returns how many codes could be
    checked. Digits inside a longer number or after a point do not count: the file keeps old
    versions of rows (WAL frames, freed pages) whose moments end in six digits of microseconds,
    and one of them equals one of ~100 random codes now and then."""
    checked = 0
    for code in codes:
        if code in innocent:
            continue
        checked += 1
        alone = re.compile(rb"(?<![0-9.])" + code.encode() + rb"(?![0-9])")
        assert not alone.search(haystack), "a pincode is readable in plaintext"
    return checked


class PincodeChat(Chat):
    """A Chat that can also press Action.Execute buttons (invoke adaptiveCard/action)."""

    async def invoke(self, action: dict) -> tuple[int, dict]:
        activity = self._activity("invoke", name="adaptiveCard/action", value={
            "action": {"type": "Action.Execute", "id": f"exec-{next(_ids)}",
                       "verb": action.get("verb"), "data": action.get("data")},
            "trigger": "manual"},
            # An invoke is answered in the HTTP response; the URL must only be an allowed one.
            serviceUrl="http://127.0.0.1:9/")
        activity.pop("deliveryMode")
        response = await self.client.post("/api/messages", json=activity)
        body = await response.json()
        if response.status == 200 and body.get("type") == CARD:
            check_card(body["value"])
            # The card is replaced in place: from now on it is "the last card".
            self.replies = [{"type": "message",
                             "attachments": [{"contentType": CARD, "content": body["value"]}]}]
        return response.status, body

    async def execute(self, title: str, index: int = 0, **inputs) -> dict:
        matches = [a for a in self.actions()
                   if a.get("type") == "Action.Execute" and a.get("title") == title]
        assert len(matches) > index, f"no Action.Execute {title!r}"
        action = matches[index]
        status, body = await self.invoke({"verb": action["verb"],
                                          "data": {**action.get("data", {}), **inputs}})
        assert status == 200, body
        assert body["statusCode"] == 200 and body["type"] == CARD, body
        return body["value"]
