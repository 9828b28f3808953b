"""A national-size database for the turn benchmark: the demo schools (whose coördinator the
benchmark plays) plus ~6,500 generated school locations with ~1.5 M pupils in ~70,000 groups,
reproducible from a seed and written in bulk (executemany on SQLite, COPY on PostgreSQL).

Usage: python -m bench.national URL [--scale 1.0] [--seed 13]

Generated schools have groups, pupils, one teacher per group, four group licences and their
links; they have no pupil credentials (pincodes are encrypted one by one, and no benchmark turn
reads another school's codes)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg

from services.db import create_engine, create_sessions, sqlite_file, upgrade
from services.demo import load_demo
from services.schoolyear import school_year_of

SCHOOLS = 6500
GROUPS_PER_SCHOOL = (8, 14)  # ~11 on average: ~70,000 groups
PUPILS_PER_GROUP = (15, 28)  # ~21.5 on average: ~1.5 M pupils
CHUNK = 250  # schools written per batch, so memory stays flat
FIRST = ["Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess", "Finn", "Lotte", "Levi",
         "Noor", "Milan", "Fleur", "Jesse", "Sara", "Bram", "Anouk", "Thijs", "Zoë", "Mohamed",
         "Yara", "Luuk", "Evi", "Mees", "Isa", "Stijn", "Roos", "Gijs", "Femke", "Amira"]
LAST = [("de", "Vries"), ("", "Jansen"), ("van", "Dijk"), ("", "Bakker"), ("", "Öztürk"),
        ("van der", "Meer"), ("in 't", "Veld"), ("el", "Amrani"), ("", "Yilmaz"), ("", "Smit"),
        ("de", "Boer"), ("", "Mulder"), ("van den", "Berg"), ("", "Visser"), ("", "Bos")]
GROUP_LETTERS = "abcd"

COLUMNS = {
    "schools": ("id", "brin", "vestiging", "name", "city", "entra_tenant_id"),
    "people": ("id", "basispoort_key", "eck_id", "first_name", "tussenvoegsel", "last_name",
               "email", "aad_tenant_id", "aad_object_id", "status", "language"),
    "groups": ("id", "school_id", "basispoort_key", "name", "year_levels", "login_mode",
               "deleted_at"),
    "roles": ("id", "person_id", "school_id", "role"),
    "group_members": ("id", "group_id", "person_id", "role"),
    "licences": ("id", "school_id", "product_id", "year_levels", "school_year", "model",
                 "seats", "seats_taken"),
    "licence_groups": ("id", "licence_id", "group_id", "origin", "linked_by", "linked_at"),
}


@dataclass
class Batch:
    rows: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in COLUMNS})


@dataclass
class Ids:
    """The next free id of each table (the demo data came first)."""
    next: dict[str, int]

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def brin_of(index: int) -> tuple[str, str]:
    """A unique (brin, vestiging) apart from the demo's: two digits, two letters, '77'."""
    return (f"{index // 676 % 100:02d}{chr(65 + index // 26 % 26)}{chr(65 + index % 26)}",
            f"{70 + index // 67600:02d}")


def batches(count: int, seed: int, ids: Ids, products: list[tuple[int, int, int]],
            school_year: str, now: datetime) -> Iterator[Batch]:
    """The generated schools' rows, CHUNK schools at a time."""
    rng = random.Random(seed)
    batch = Batch()
    for index in range(count):
        school_id = ids.take("schools")
        brin, vestiging = brin_of(index)
        batch.rows["schools"].append((school_id, brin, vestiging, f"Basisschool {brin}",
                                      "Nederland", None))
        groups: list[tuple[int, int]] = []
        for g in range(rng.randint(*GROUPS_PER_SCHOOL)):
            level = g % 8 + 1
            group_id = ids.take("groups")
            name = f"Groep {level}{GROUP_LETTERS[g // 8]}"
            batch.rows["groups"].append((group_id, school_id, f"n{index}-g{g}", name,
                                         str(level), "pictures", None))
            groups.append((group_id, level))
            teacher = ids.take("people")
            first = rng.choice(FIRST)
            tv, last = rng.choice(LAST)
            batch.rows["people"].append((
                teacher, f"n{index}-t{g}", None, first, tv, last,
                f"{first.lower()}.{g}@{brin.lower()}{vestiging}.school.invalid", None, None,
                "active", None))
            batch.rows["roles"].append((ids.take("roles"), teacher, school_id, "teacher"))
            batch.rows["group_members"].append((ids.take("group_members"), group_id, teacher,
                                                "teacher"))
            for p in range(rng.randint(*PUPILS_PER_GROUP)):
                pupil = ids.take("people")
                tv, last = rng.choice(LAST)
                key = f"n{index}-g{g}-p{p}"
                batch.rows["people"].append((
                    pupil, key, f"https://ketenid.nl/201703/{key}", rng.choice(FIRST), tv,
                    last, None, None, None, "active", None))
                batch.rows["roles"].append((ids.take("roles"), pupil, school_id, "pupil"))
                batch.rows["group_members"].append((ids.take("group_members"), group_id,
                                                    pupil, "pupil"))
        for product_id, low, _high in rng.sample(products, min(4, len(products))):
            licence = ids.take("licences")
            batch.rows["licences"].append((licence, school_id, product_id, str(low),
                                           school_year, "group", None, 0))
            for group_id, level in groups:
                if level == low:
                    batch.rows["licence_groups"].append((ids.take("licence_groups"), licence,
                                                         group_id, "auto", None, now))
        if (index + 1) % CHUNK == 0:
            yield batch
            batch = Batch()
    if batch.rows["schools"]:
        yield batch


async def build(url: str, scale: float = 1.0, seed: int = 13,
                now: datetime | None = None) -> dict[str, int]:
    """Migrate `url` (an empty database), load the demo schools, then add the generated ones.
    Returns the row count of each generated table."""
    now = now or datetime.now(UTC)
    await upgrade(url)
    engine = create_engine(url)
    try:
        await load_demo(create_sessions(engine))
    finally:
        await engine.dispose()
    count = max(1, round(SCHOOLS * scale))
    year = school_year_of(now.date())
    path = sqlite_file(url)
    if path is not None:
        return _build_sqlite(str(path), count, seed, year, now)
    return await _build_postgres(url, count, seed, year, now)


def _build_sqlite(path: str, count: int, seed: int, year: str, now: datetime
                  ) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA synchronous=OFF")
        ids = Ids({t: db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {t}").fetchone()[0]
                   for t in COLUMNS})
        products = _products(db.execute(
            "SELECT id, min_level, max_level FROM products WHERE offers_group").fetchall())
        totals = dict.fromkeys(COLUMNS, 0)
        for batch in batches(count, seed, ids, products, year, now):
            with db:
                for table, rows in batch.rows.items():
                    columns = COLUMNS[table]
                    db.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) "
                        f"VALUES ({', '.join('?' * len(columns))})",
                        [_sqlite_row(r) for r in rows])
                    totals[table] += len(rows)
        db.execute("ANALYZE")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    # Written with synchronous=OFF, the 430 MB were still the kernel's to write: the first WAL
    # checkpoint of a measured turn flushed them all (151 ms, in the first cells whose turns
    # write state). On disk now, as a database that has served before is.
    with open(path, "rb") as written:
        os.fsync(written.fileno())
    return totals


def _sqlite_row(row: tuple) -> tuple:
    return tuple(v.isoformat(" ") if isinstance(v, datetime) else v for v in row)


async def _build_postgres(url: str, count: int, seed: int, year: str, now: datetime
                          ) -> dict[str, int]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        ids = Ids({t: await conn.fetchval(f"SELECT coalesce(max(id), 0) + 1 FROM {t}")
                   for t in COLUMNS})
        products = _products([tuple(r) for r in await conn.fetch(
            "SELECT id, min_level, max_level FROM products WHERE offers_group")])
        totals = dict.fromkeys(COLUMNS, 0)
        for batch in batches(count, seed, ids, products, year, now):
            async with conn.transaction():
                for table, rows in batch.rows.items():
                    await conn.copy_records_to_table(table, records=rows,
                                                     columns=list(COLUMNS[table]))
                    totals[table] += len(rows)
        for table in COLUMNS:  # the serial sequences continue after the copied ids
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT max(id) FROM {table}))")
        await conn.execute("ANALYZE")
        # The copied rows written out now, not by a checkpoint during the measured turns.
        with contextlib.suppress(asyncpg.InsufficientPrivilegeError):
            await conn.execute("CHECKPOINT")
        return totals
    finally:
        await conn.close()


def _products(rows: list[tuple]) -> list[tuple[int, int, int]]:
    return [(int(i), int(low), int(high)) for i, low, high in rows]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    totals = asyncio.run(build(args.url, args.scale, args.seed))
    print(f"{totals} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
