"""Key rotation: every stored secret (pupils' pincodes, LVS keys) re-encrypted under the current
key, in small transactions, while the bot keeps running with both keys readable."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.exchange.service import _context as lvs_key_context
from services.models import LvsCoupling, PupilCredential
from services.pincodes.service import credential_context
from services.secrets import SecretBox

BATCH = 200


def _pincode_context(row: PupilCredential) -> str:
    return credential_context(row.person_id)


def _lvs_context(row: LvsCoupling) -> str:
    return lvs_key_context(row.school_id, row.system)


async def rotate_secrets(sessions: async_sessionmaker[AsyncSession], box: SecretBox
                         ) -> dict[str, int]:
    """Re-encrypt what the previous key wrote; {'pincodes': n, 'lvs_keys': m} rewritten.
    Safe to run again (rows already under the current key are left alone) and while serving."""
    counts = {"pincodes": 0, "lvs_keys": 0}
    for name, model, key_column, field, context in (
        ("pincodes", PupilCredential, PupilCredential.person_id, "secret", _pincode_context),
        ("lvs_keys", LvsCoupling, LvsCoupling.id, "key_secret", _lvs_context),
    ):
        last = None
        while True:
            async with sessions.begin() as session:
                stmt = select(model).order_by(key_column).limit(BATCH).with_for_update()
                if last is not None:
                    stmt = stmt.where(key_column > last)
                rows = (await session.scalars(stmt)).all()
                for row in rows:
                    new = box.reencrypt(getattr(row, field), context(row))
                    if new is not None:
                        setattr(row, field, new)
                        counts[name] += 1
            if len(rows) < BATCH:
                break
            last = getattr(rows[-1], key_column.key)
    return counts
