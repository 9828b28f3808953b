"""Many rows into one table at once: PostgreSQL's COPY where there are enough of them to pay for
its extra round trip, multi-row INSERTs elsewhere. For the nightly sync, whose first delivery of
a school is hundreds of rows per table and a national night millions; inside the caller's
transaction either way."""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 500
COPY_FROM = 100  # rows; fewer go as INSERTs (COPY costs a round trip to learn the types)


def _on_postgresql(session: AsyncSession) -> bool:
    return session.bind.dialect.name == "postgresql"


async def insert_many(session: AsyncSession, model, rows: list[dict]) -> None:
    """Insert `rows` (dicts with the same keys) into `model`'s table. No ids come back: take
    them from `next_ids` first where the caller needs them."""
    if not rows:
        return
    if _on_postgresql(session) and len(rows) >= COPY_FROM:
        columns = list(rows[0])
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(
            model.__table__.name, columns=columns,
            records=[tuple(row[c] for c in columns) for row in rows])
        return
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(model), rows[start:start + CHUNK])


async def next_ids(session: AsyncSession, model, count: int) -> list[int] | None:
    """`count` fresh primary keys of `model` from its PostgreSQL sequence, in one statement;
    None elsewhere (there the INSERT returns them)."""
    if not _on_postgresql(session) or count < COPY_FROM:
        return None
    table = model.__table__.name
    sequence = func.pg_get_serial_sequence(table, "id")
    return list((await session.scalars(
        select(func.nextval(sequence)).select_from(func.generate_series(1, count)))).all())
