"""A school's whole delivery checked before anything is applied: every problem is reported with
its line, and one problem rejects the delivery as a whole."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from services.schoolyear import school_year_of
from services.sync.snapshot import Problem, Snapshot

BRIN = re.compile(r"^[0-9]{2}[A-Z]{2}$")
VESTIGING = re.compile(r"^[0-9]{2}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LEVEL = re.compile(r"^[1-8](/[1-8])*$")
MAX_NAME = 100
MAX_KEY = 64


def allowed_school_years(today: date) -> tuple[str, str]:
    """This school year and the next (a delivery for the new year may come in July)."""
    this = school_year_of(today)
    start = int(this[:4]) + 1
    return this, f"{start}-{start + 1}"


def validate(snapshot: Snapshot, today: date) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    school = snapshot.school
    if not BRIN.match(school.brin):
        add(Problem(school.line, f"BRIN '{school.brin}' is geen geldige BRIN (twee cijfers en "
                                 "twee letters, zoals 12AB)"))
    if not VESTIGING.match(school.vestiging):
        add(Problem(school.line, f"vestiging '{school.vestiging}' moet twee cijfers zijn"))
    if school.school_year and school.school_year not in allowed_school_years(today):
        this, following = allowed_school_years(today)
        add(Problem(school.line, f"schooljaar {school.school_year} is niet dit schooljaar "
                                 f"({this}) of het volgende ({following})"))

    group_kinds: dict[str, bool] = {}
    for key, n in Counter(g.key for g in snapshot.groups).items():
        if key and n > 1:
            add(Problem(_line_of(snapshot.groups, key), f"groep-key '{key}' komt {n} keer voor"))
    for group in snapshot.groups:
        group_kinds[group.key] = group.composite
        if not _key_ok(group.key):
            add(Problem(group.line, "een groep zonder geldige key"))
        if not group.name:
            add(Problem(group.line, f"groep '{group.key}' heeft geen naam"))
        elif len(group.name) > MAX_NAME:
            add(Problem(group.line, f"de naam van groep '{group.key}' is te lang"))
        if not group.composite and not LEVEL.match(group.levels):
            add(Problem(group.line, f"groep '{group.name or group.key}' heeft jaargroep "
                                    f"'{group.levels}'; verwacht 1 tot en met 8, zoals '5' of "
                                    "'6/7'"))

    person_keys = Counter([p.key for p in snapshot.pupils] + [s.key for s in snapshot.staff])
    for key, n in person_keys.items():
        if key and n > 1:
            add(Problem(_line_of(snapshot.pupils + snapshot.staff, key),  # type: ignore[operator]
                        f"persoon-key '{key}' komt {n} keer voor"))
    for pupil in snapshot.pupils:
        label = f"leerling '{pupil.key}'"
        if not _key_ok(pupil.key):
            add(Problem(pupil.line, "een leerling zonder geldige key"))
        if not pupil.first_name or not pupil.last_name:
            add(Problem(pupil.line, f"{label} heeft geen roepnaam of achternaam"))
        elif max(len(pupil.first_name), len(pupil.last_name)) > MAX_NAME:
            add(Problem(pupil.line, f"de naam van {label} is te lang"))
        if not pupil.group_keys:
            add(Problem(pupil.line, f"{label} zit in geen stamgroep"))
        elif len(pupil.group_keys) > 1:
            add(Problem(pupil.line, f"{label} zit in {len(pupil.group_keys)} stamgroepen "
                                    f"({', '.join(pupil.group_keys)}); dat kan er maar één zijn"))
        for key in pupil.group_keys:
            if group_kinds.get(key) is not False:
                add(Problem(pupil.line, f"{label} verwijst naar onbekende stamgroep '{key}'"))
        for key in pupil.composite_keys:
            if group_kinds.get(key) is not True:
                add(Problem(pupil.line, f"{label} verwijst naar onbekende samengestelde "
                                        f"groep '{key}'"))

    emails = Counter(s.email for s in snapshot.staff if s.email)
    for email, n in emails.items():
        if n > 1:
            add(Problem(_line_of_email(snapshot, email),
                        f"e-mailadres {email} hoort bij {n} medewerkers"))
    for member in snapshot.staff:
        label = f"medewerker '{member.key}'"
        if not _key_ok(member.key):
            add(Problem(member.line, "een medewerker zonder geldige key"))
        if not member.first_name or not member.last_name:
            add(Problem(member.line, f"{label} heeft geen roepnaam of achternaam"))
        if member.email and (not EMAIL.match(member.email) or len(member.email) > 254):
            add(Problem(member.line, f"{label} heeft geen geldig e-mailadres"))
        for key in member.group_keys:
            if key not in group_kinds:
                add(Problem(member.line, f"{label} verwijst naar onbekende groep '{key}'"))
    return problems


def _key_ok(key: str) -> bool:
    return bool(key) and len(key) <= MAX_KEY and key.isprintable()


def _line_of(items, key: str) -> int:
    lines = [item.line for item in items if item.key == key]
    return lines[1] if len(lines) > 1 else (lines[0] if lines else 0)


def _line_of_email(snapshot: Snapshot, email: str) -> int:
    lines = [s.line for s in snapshot.staff if s.email == email]
    return lines[1] if len(lines) > 1 else 0
