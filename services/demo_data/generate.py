"""Development only: write the demo schools' Basispoort deliveries (`make demo-deliveries`).

The deliveries are shipped files; this script made them once from a seeded generator and is
kept so they can be made again the same way. De Regenboog (12AB) comes as EDEXML 2.1, Het
Kompas (34CD) as Basispoort JSON; De Regenboog's Groep 5b arrives in a second, later delivery.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from services.demo import (
    DEMO_LATE_GROUP,
    DEMO_SANNE,
    FIRST_NAMES,
    LAST_NAMES,
    PLAYGROUND_COORDINATOR,
    PLAYGROUND_TEACHER,
    SCHOOLS,
    TEACHER_FIRST,
)
from services.sync.edexml import to_edexml

HERE = Path(__file__).parent
SCHOOL_YEAR = "2026-2027"  # the loader rewrites the year to the one it loads for


def _teacher(rng, key, domain, used):
    first = rng.choice(TEACHER_FIRST)
    tv, last = rng.choice(LAST_NAMES)
    base = f"{first[0]}.{(tv + last).replace(' ', '').replace(chr(39), '')}".lower()
    email = f"{base}@{domain}"
    n = 2
    while email in used:
        email = f"{base}{n}@{domain}"
        n += 1
    used.add(email)
    return {"key": key, "roepnaam": first, "voorvoegsel": tv, "achternaam": last,
            "email": email}


def build() -> list[dict]:
    """The demo schools as plain data, in the order the generator has always drawn them."""
    rng = random.Random(20262027)
    used: set[str] = set()
    key = 0
    schools = []
    for index, spec in enumerate(SCHOOLS):
        groups, pupils, staff = [], [], []
        for g_index, (name, levels) in enumerate(spec.groups):
            gkey = f"{spec.brin}-G{g_index + 1:02d}"
            groups.append({"key": gkey, "naam": name, "jaargroep": levels})
            if index == 0 and name == "Groep 5a":
                first, tv, last, _ = PLAYGROUND_TEACHER
                teacher = {"key": "teacher-megan", "roepnaam": first, "voorvoegsel": tv,
                           "achternaam": last, "email": f"megan.bowen@{spec.domain}"}
                used.add(teacher["email"])
            else:
                teacher = _teacher(rng, f"{spec.brin}-T{g_index + 1:02d}", spec.domain, used)
            staff.append({**teacher, "rollen": ["Leerkracht"], "groepen": [gkey]})
            for _ in range(rng.randint(22, 28)):
                key += 1
                first = rng.choice(FIRST_NAMES)
                tv, last = rng.choice(LAST_NAMES)
                pupils.append({"key": f"P{key:06d}", "eckid": _eck(f"P{key:06d}"),
                               "roepnaam": first, "voorvoegsel": tv, "achternaam": last,
                               "jaargroep": levels.split("/")[0], "groep": gkey})
        if DEMO_SANNE[0] == spec.brin:
            _, group_name, skey, first, tv, last = DEMO_SANNE
            group = next(g for g in groups if g["naam"] == group_name)
            pupils.append({"key": skey, "eckid": _eck(skey), "roepnaam": first,
                           "voorvoegsel": tv, "achternaam": last,
                           "jaargroep": group["jaargroep"], "groep": group["key"]})
        schools.append({"spec": spec, "groups": groups, "pupils": pupils, "staff": staff})
    return schools


def _eck(key: str) -> str:
    return f"https://ketenid.nl/201703/demo{key.lower()}"


def edexml(school: dict, without_group: str | None) -> str:
    """De Regenboog as EDEXML, without one group (its pupils and teacher) for the first
    delivery. The school's name is left out: EDEXML deliveries often carry none."""
    spec = school["spec"]
    skip = {g["key"] for g in school["groups"] if g["naam"] == without_group}
    document = {
        "instelling": {"brin": spec.brin, "vestiging": spec.vestiging},
        "schooljaar": SCHOOL_YEAR,
        "groepen": [g for g in school["groups"] if g["key"] not in skip],
        "leerlingen": [p for p in school["pupils"] if p["groep"] not in skip],
        "staf": [t for t in school["staff"] if not set(t["groepen"]) & skip],
    }
    return to_edexml(document).decode()


def basispoort_json(school: dict) -> str:
    spec = school["spec"]
    first, tv, last, _ = PLAYGROUND_COORDINATOR
    coordinators = [
        {"key": "coord-alex", "roepnaam": first, "voorvoegsel": tv, "achternaam": last,
         "email": "alex.wilber@malmberg-demo.nl", "rollen": ["ICTCoordinator"], "groepen": []},
        {"key": "coord-fatima", "roepnaam": "Fatima", "voorvoegsel": "el",
         "achternaam": "Amrani", "email": "f.elamrani@cbshetkompas.nl",
         "rollen": ["ICTCoordinator"], "groepen": []},
    ]
    document = {
        "instelling": {"brin": spec.brin, "vestiging": spec.vestiging, "naam": spec.name,
                       "plaats": spec.city},
        "schooljaar": SCHOOL_YEAR,
        "groepen": school["groups"],
        "leerlingen": school["pupils"],
        "staf": coordinators + school["staff"],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    regenboog, kompas = build()
    (HERE / "12AB-00-2026-08-20.edexml.xml").write_text(edexml(regenboog, DEMO_LATE_GROUP[1]))
    (HERE / "12AB-00-2026-10-02.edexml.xml").write_text(edexml(regenboog, None))
    (HERE / "34CD-01-2026-08-20.basispoort.json").write_text(basispoort_json(kompas))
    return 0


if __name__ == "__main__":
    sys.exit(main())
