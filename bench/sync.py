"""The nightly sync at scale: N generated schools (about 230 pupils each, half EDEXML, half
Basispoort JSON, reproducible from a seed) loaded, changed by about 2 % and loaded again, on
SQLite and on PostgreSQL, next to PostgreSQL COPY of the same rows as the floor.

The deliveries are written to files first (streamed: a national night of 6,500 schools need
not fit in memory) and each phase applies them from disk as the nightly run does, so the
figures include reading the files. `--schools 6500` measures the national night itself;
fewer schools are extrapolated linearly.

Usage: python -m bench sync [--schools N] [--seed S] [--pg postgresql://...] [--workers W]
       [--no-sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bench.sync_data import delta, iter_schools, write
from services.db import create_engine, create_sessions, normalise_url
from services.models import Base
from services.secrets import SecretBox
from services.shared.context import ServiceContext
from services.sync import SyncService

NOW = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
AIM_SCHOOLS = 6500


def rows_of(school: dict) -> int:
    """The rows a school's delivery becomes at least: a person and a role per pupil and member
    of staff, a group row per group and a membership per pupil and taught group."""
    staff_links = sum(len(s["groepen"]) for s in school["staf"])
    return (len(school["groepen"]) + 3 * len(school["leerlingen"])
            + 2 * len(school["staf"]) + staff_links)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run_phase(sync: SyncService, files: list[Path], workers: int
                    ) -> tuple[float, float]:
    """Wall-clock seconds, and this process's CPU seconds (the part the sync's Python costs;
    the rest is the database, or other work on a shared machine)."""
    queue = list(reversed(files))

    async def worker() -> None:
        while queue:
            path = queue.pop()
            result = await sync.apply_file(path)
            if result.status == "rejected":
                raise RuntimeError(f"{path.name}: {result.report}")

    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return time.perf_counter() - start, time.process_time() - cpu


def write_deliveries(folder: Path, count: int, seed: int) -> tuple[int, int]:
    """The first deliveries in `folder/eerste`, the same schools a night later (about 2 % of
    their pupils moved, left or arrived) in `folder/later`, and those once more with other
    bytes but the same content (a line end added) in `folder/anders`; half EDEXML, half JSON.
    Returns (pupils, rows)."""
    rng = random.Random(seed + 1)
    fmt = ("edexml", "json")
    (folder / "eerste").mkdir()
    (folder / "later").mkdir()
    (folder / "anders").mkdir()
    pupils = rows = 0
    for i, data in enumerate(iter_schools(count, seed=seed)):
        kind = fmt[i % 2]
        (folder / "eerste" / f"{i:05d}.{kind}").write_bytes(write(data, kind))
        later = write(delta(data, rng, 0.02), kind)
        (folder / "later" / f"{i:05d}.{kind}").write_bytes(later)
        (folder / "anders" / f"{i:05d}.{kind}").write_bytes(later + b"\n")
        pupils += len(data["leerlingen"])
        rows += rows_of(data)
    return pupils, rows


async def bench_backend(url: str, folder: Path, rows: int, workers: int
                        ) -> list[tuple[str, int, float, float, float]]:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    # With a secret box, as in production: every new pupil gets a login code.
    sync = SyncService(ServiceContext(create_sessions(engine), clock=lambda: NOW,
                                      secrets=SecretBox(b"b" * 32)))
    first = sorted((folder / "eerste").iterdir())
    later = sorted((folder / "later").iterdir())
    other_bytes = sorted((folder / "anders").iterdir())
    out = []
    # 'zelfde levering': the very files again (recognised by their bytes); 'zelfde inhoud':
    # files whose bytes differ but whose content does not (read, and found unchanged).
    for name, files in (("eerste levering", first), ("2 % wijzigingen", later),
                        ("zelfde levering", later), ("zelfde inhoud", other_bytes)):
        seconds, cpu = await run_phase(sync, files, workers)
        out.append((name, rows, seconds, cpu, peak_mb()))
    await engine.dispose()
    return out


COPY_BATCH = 250  # schools per COPY of each table: the floor's memory stays bounded too


async def copy_floor(url: str, count: int, seed: int) -> tuple[int, float]:
    """PostgreSQL COPY of the same rows into the same tables: the floor no sync can beat.
    Only the COPY itself is timed, in one transaction, a batch of schools at a time."""
    import asyncpg

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    await engine.dispose()
    dsn = normalise_url(url).replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    tables = (
        ("schools", ["id", "brin", "vestiging", "name", "city"]),
        ("groups", ["id", "school_id", "basispoort_key", "name", "year_levels", "login_mode"]),
        ("people", ["id", "basispoort_key", "eck_id", "first_name", "tussenvoegsel",
                    "last_name", "email", "status"]),
        ("roles", ["person_id", "school_id", "role"]),
        ("group_members", ["group_id", "person_id", "role"]),
    )
    person_id = group_id = total = 0
    seconds = 0.0
    schools = iter_schools(count, seed=seed)
    async with conn.transaction():
        for first in range(1, count + 1, COPY_BATCH):
            batch: dict[str, list[tuple]] = {name: [] for name, _ in tables}
            for school_id in range(first, min(first + COPY_BATCH, count + 1)):
                s = next(schools)
                inst = s["instelling"]
                batch["schools"].append((school_id, inst["brin"], inst["vestiging"],
                                         inst["naam"], ""))
                ids = {}
                for g in s["groepen"]:
                    group_id += 1
                    ids[g["key"]] = group_id
                    batch["groups"].append((group_id, school_id, g["key"], g["naam"],
                                            g["jaargroep"], "digits"))
                for p in s["leerlingen"]:
                    person_id += 1
                    batch["people"].append((person_id, p["key"], p["eckid"], p["roepnaam"],
                                            p["voorvoegsel"], p["achternaam"], None, "active"))
                    batch["roles"].append((person_id, school_id, "pupil"))
                    batch["group_members"].append((ids[p["groep"]], person_id, "pupil"))
                for t in s["staf"]:
                    person_id += 1
                    batch["people"].append((person_id, t["key"], None, t["roepnaam"],
                                            t["voorvoegsel"], t["achternaam"], t["email"],
                                            "active"))
                    batch["roles"].append((person_id, school_id, "teacher"))
                    batch["group_members"].extend((ids[k], person_id, "teacher")
                                                  for k in t["groepen"])
            start = time.perf_counter()
            for name, columns in tables:
                await conn.copy_records_to_table(name, records=batch[name], columns=columns)
            seconds += time.perf_counter() - start
            total += sum(len(rows) for rows in batch.values())
    await conn.close()
    return total, seconds


async def fresh_pg(url: str) -> tuple[str, str]:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"bench_sync_{uuid.uuid4().hex[:8]}"
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return normalise_url(url).rsplit("/", 1)[0] + f"/{name}", name


async def drop_pg(url: str, name: str) -> None:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    await admin.dispose()


async def main_async(args) -> int:
    table: list[tuple[str, str, int, float, float | None, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pupils, rows = write_deliveries(folder, args.schools, args.seed)
        print(f"{args.schools} scholen, {pupils} leerlingen, zaad {args.seed}")
        if not args.no_sqlite:
            url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
            for name, n, seconds, cpu, mb in await bench_backend(url, folder, rows, 1):
                table.append(("SQLite", name, n, seconds, cpu, mb))
        floor = None
        if args.pg:
            db, name = await fresh_pg(args.pg)
            try:
                for phase, n, seconds, cpu, mb in await bench_backend(db, folder, rows,
                                                                      args.workers):
                    table.append((f"PostgreSQL ×{args.workers}", phase, n, seconds, cpu, mb))
            finally:
                await drop_pg(args.pg, name)
            db, name = await fresh_pg(args.pg)
            try:
                n, seconds = await copy_floor(db, args.schools, args.seed)
                floor = seconds
                table.append(("PostgreSQL", "COPY (vloer)", n, seconds, None, peak_mb()))
            finally:
                await drop_pg(args.pg, name)
    scale = AIM_SCHOOLS / args.schools
    print(f"{'database':<16} {'fase':<16} {'rijen':>9} {'sec':>8} {'cpu s':>7} {'rijen/s':>9} "
          f"{'piek MB':>8} {'6500 scholen':>13}")
    for backend, phase, n, seconds, cpu, mb in table:
        cpu_text = f"{cpu:>7.2f}" if cpu is not None else f"{'':>7}"
        print(f"{backend:<16} {phase:<16} {n:>9} {seconds:>8.2f} {cpu_text} "
              f"{n / seconds:>9.0f} {mb:>8.0f} {seconds * scale:>12.0f}s")
    if floor:
        for backend, phase, _, seconds, _, _ in table:
            if phase == "eerste levering":
                print(f"eerste levering op {backend}: {seconds / floor:.1f}× de COPY-vloer "
                      "(doel ≤ 3× op PostgreSQL)")
    print("piek MB: het hoogste geheugengebruik van dit proces tot dan toe (ru_maxrss)")
    if args.schools != AIM_SCHOOLS:
        print("6500 scholen: lineair doorgerekend uit deze meting ", end="")
    print("(doel: eerste levering ≤ 600 s, wijzigingen ≤ 60 s, zelfde levering ≤ 20 s; "
          "'zelfde inhoud' is een levering met andere bytes maar niets nieuws)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pg", help="PostgreSQL-URL (een beheerdatabase; er wordt een "
                                     "tijdelijke database naast gemaakt)")
    parser.add_argument("--workers", type=int, default=2,
                        help="scholen tegelijk op PostgreSQL (SQLite: één schrijver)")
    parser.add_argument("--no-sqlite", action="store_true",
                        help="alleen PostgreSQL meten (de landelijke nacht op SQLite duurt lang)")
    return asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
