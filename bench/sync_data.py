"""Basispoort deliveries as plain data, written in either format (EDEXML 2.1 or Basispoort JSON),
and a seeded generator of many schools with a small delta: what the sync benchmark loads and
what the sync tests build their deliveries from."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator

from services.sync.edexml import to_edexml

SCHOOL_YEAR = "2026-2027"
FIRST = ["Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess", "Finn", "Lotte", "Levi",
         "Noor", "Milan", "Fleur", "Jesse", "Sara", "Bram", "Anouk", "Thijs", "Zoë", "Mohamed"]
LAST = [("de", "Vries"), ("", "Jansen"), ("van", "Dijk"), ("", "Bakker"), ("", "Öztürk"),
        ("van der", "Meer"), ("in 't", "Veld"), ("el", "Amrani"), ("", "Yilmaz"), ("", "Smit")]


def school(brin: str, vestiging: str = "00", name: str | None = None,
           year: str = SCHOOL_YEAR) -> dict:
    """An empty school delivery; fill 'groepen', 'leerlingen' and 'staf'."""
    return {"instelling": {"brin": brin, "vestiging": vestiging,
                           "naam": name or f"School {brin}-{vestiging}"},
            "schooljaar": year, "groepen": [], "leerlingen": [], "staf": []}


def group(key: str, name: str, levels: str = "", composite: bool = False) -> dict:
    item = {"key": key, "naam": name, "jaargroep": levels}
    if composite:
        item["samengesteld"] = True
    return item


def pupil(key: str, first: str, last: str, group_key: str | list[str], level: str = "5",
          tv: str = "", composites: tuple[str, ...] = ()) -> dict:
    item = {"key": key, "eckid": f"https://ketenid.nl/201703/{key.lower()}", "roepnaam": first,
            "voorvoegsel": tv, "achternaam": last, "jaargroep": level, "groep": group_key}
    if composites:
        item["samengestelde_groepen"] = list(composites)
    return item


def staff(key: str, first: str, last: str, email: str, groups: tuple[str, ...] = (),
          roles: tuple[str, ...] = ("Leerkracht",), tv: str = "") -> dict:
    return {"key": key, "roepnaam": first, "voorvoegsel": tv, "achternaam": last,
            "email": email, "rollen": list(roles), "groepen": list(groups)}


def to_json(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def write(data: dict, fmt: str) -> bytes:
    return to_edexml(data) if fmt == "edexml" else to_json(data)


# -- many schools, reproducible from a seed -----------------------------------------------------
GROUPS = (("1/2", "1/2a"), ("1/2", "1/2b"), ("3", "3"), ("4", "4"), ("5", "5"), ("6", "6"),
          ("7", "7"), ("8", "8"), ("6/7", "6/7"))


def brin_of(index: int) -> tuple[str, str]:
    """A distinct valid BRIN and vestiging per index (up to 100 × 676 × 100 schools)."""
    letters = index // 100
    first, second = divmod(letters % 676, 26)
    return (f"{index % 100:02d}{chr(65 + first)}{chr(65 + second)}",
            f"{(letters // 676) % 100:02d}")


def generate(count: int, seed: int = 2026, pupils_per_school: int = 230,
             first_index: int = 0) -> list[dict]:
    """`count` schools of about `pupils_per_school` pupils in nine groups, with a teacher per
    group and one ict-coördinator; the same seed gives the same schools."""
    return list(iter_schools(count, seed, pupils_per_school, first_index))


def iter_schools(count: int, seed: int = 2026, pupils_per_school: int = 230,
                 first_index: int = 0) -> Iterator[dict]:
    """The schools of `generate` one at a time, so a national night need not fit in memory."""
    rng = random.Random(seed)
    for index in range(first_index, first_index + count):
        brin, vestiging = brin_of(index)
        data = school(brin, vestiging, f"Basisschool {index}")
        prefix = f"{brin}{vestiging}"
        for g_index, (levels, label) in enumerate(GROUPS):
            data["groepen"].append(group(f"{prefix}-G{g_index}", f"Groep {label}", levels))
            data["staf"].append(staff(
                f"{prefix}-T{g_index}", rng.choice(FIRST), rng.choice(LAST)[1],
                f"t{g_index}@s{prefix.lower()}.nl", (f"{prefix}-G{g_index}",)))
        data["staf"].append(staff(f"{prefix}-C", rng.choice(FIRST), rng.choice(LAST)[1],
                                  f"ict@s{prefix.lower()}.nl", (), ("ICTCoordinator",)))
        for p_index in range(pupils_per_school):
            g_index = rng.randrange(len(GROUPS))
            tv, last = rng.choice(LAST)
            data["leerlingen"].append(pupil(
                f"{prefix}-P{p_index}", rng.choice(FIRST), last, f"{prefix}-G{g_index}",
                GROUPS[g_index][0].split("/")[0], tv))
        yield data


def delta(data: dict, rng: random.Random, fraction: float = 0.02) -> dict:
    """The school a night later: about `fraction` of its pupils moved, left or arrived."""
    changed = copy.deepcopy(data)
    pupils = changed["leerlingen"]
    prefix = changed["instelling"]["brin"] + changed["instelling"]["vestiging"]
    group_keys = [g["key"] for g in changed["groepen"]]
    n = max(1, round(len(pupils) * fraction))
    for step in range(n):
        kind = step % 3
        if kind == 0 and pupils:
            victim = pupils[rng.randrange(len(pupils))]
            victim["groep"] = rng.choice([k for k in group_keys if k != victim["groep"]])
        elif kind == 1 and pupils:
            pupils.pop(rng.randrange(len(pupils)))
        else:
            tv, last = rng.choice(LAST)
            pupils.append(pupil(f"{prefix}-N{step}-{rng.randrange(10**6)}", rng.choice(FIRST),
                                last, rng.choice(group_keys), "5", tv))
    return changed
