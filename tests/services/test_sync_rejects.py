"""Deliveries the sync must refuse as a whole: invalid content with a report naming the line,
broken or hostile files; the school's data stays as it was and other schools go on."""

from __future__ import annotations

import copy
import gc
import tracemalloc

import pytest
from sqlalchemy import select

from bench.sync_data import pupil, staff, write
from services.models import RUN_APPLIED, RUN_REJECTED, RUN_UNCHANGED, SyncRun
from services.sync import DeliveryError, parse_delivery
from tests.sync_support import (
    FORMATS,
    apply,
    base_school,
    dump,
    sync_sessions,  # noqa: F401  (the `sessions` fixture: SQLite, and PostgreSQL)
)

P = "56EF00"


def line_of(text: bytes, marker: str, occurrence: int = 1) -> int:
    """The line (1-based) of the `occurrence`-th line that contains `marker`."""
    seen = 0
    for number, line in enumerate(text.decode().splitlines(), start=1):
        if marker in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{marker} not in the delivery")


def key_marker(fmt: str, key: str) -> str:
    return f'key="{key}"' if fmt == "edexml" else f'"key": "{key}"'


def unknown_group(data):
    data["leerlingen"][2]["groep"] = f"{P}-NOPE"
    return f"{P}-P3", 1, "onbekende stamgroep"


def duplicate_key(data):
    data["leerlingen"].append(pupil(f"{P}-P2", "Bram", "Kok", f"{P}-G5"))
    return f"{P}-P2", 2, "komt 2 keer voor"


def duplicate_email(data):
    data["staf"][1]["email"] = data["staf"][0]["email"]
    return f"{P}-T2", 1, "hoort bij 2 medewerkers"


def two_stamgroepen(data):
    data["leerlingen"][3]["groep"] = [f"{P}-G5", f"{P}-G3"]
    return f"{P}-P4", 1, "2 stamgroepen"


def empty_name(data):
    data["leerlingen"][4]["roepnaam"] = ""
    return f"{P}-P5", 1, "geen roepnaam"


def empty_group_name(data):
    data["groepen"][1]["naam"] = ""
    return f"{P}-G5", 1, "heeft geen naam"


def malformed_brin(data):
    data["instelling"]["brin"] = "5E6F"
    return None, 0, "geen geldige BRIN"


def old_school_year(data):
    data["schooljaar"] = "2024-2025"
    return None, 0, "niet dit schooljaar"


INVALID = [unknown_group, duplicate_key, duplicate_email, two_stamgroepen, empty_name,
           empty_group_name, malformed_brin, old_school_year]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("spoil", INVALID, ids=lambda f: f.__name__)
async def test_an_invalid_delivery_is_rejected_whole_and_changes_nothing(
        services, sessions, fmt, spoil):
    await apply(services, base_school(), fmt)
    before = await dump(sessions)
    data = base_school()
    # A change that would apply, next to the problem: it must not be applied either.
    data["leerlingen"].append(pupil(f"{P}-P9", "Noor", "Vos", f"{P}-G3", "3"))
    key, occurrence, text = spoil(data)
    body = write(data, fmt)
    result = await services.sync.apply_delivery(body, "kapot")
    assert result.status == RUN_REJECTED
    assert text in result.report
    if key is not None:
        assert f"regel {line_of(body, key_marker(fmt, key), occurrence)}:" in result.report
    else:
        assert "regel " in result.report  # the school's element
    assert await dump(sessions) == before
    # Other schools in the same night go on.
    other = await apply(services, base_school("78GH"), fmt)
    assert other.status == RUN_APPLIED


@pytest.mark.parametrize("body,text", [
    (b"<?xml version='1.0'?>\n<EDEX>\n  <school>\n    <brincode>12AB</brincode>\n",
     "geen geldige XML"),
    (b'{\n "instelling": {"brin": "12AB",\n', "geen geldige JSON"),
    (b"<?xml version='1.0'?>\n<LeerlingGegevens/>", "niet <EDEX>"),
    (b'{"school": {"brin": "12AB"}}', "'instelling' ontbreekt"),
    (b'[1, 2, 3]', "verwacht een JSON-object"),
    (b'{"instelling": {"brin": "12AB"}, "leerlingen": {"a": 1}}',
     "'leerlingen' moet een lijst"),
    (b"\xff\xfe\x00garbage", "geen EDEXML"),
    (b'{"instelling": {"brin": "12AB"}, "x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
     "te diep genest"),
])
async def test_broken_files_and_wrong_roots_are_rejected(services, sessions, demo, body, text):
    before = await dump(sessions)
    result = await services.sync.apply_delivery(body, "kapot")
    assert result.status == RUN_REJECTED
    assert text in result.report
    assert await dump(sessions) == before


async def test_a_broken_file_names_its_line(services):
    body = write(base_school(), "json").replace(b'"Daan"', b'"Daan,', 1)
    result = await services.sync.apply_delivery(body, "kapot")
    assert f"regel {line_of(body, 'Daan')}" in result.report
    xml = write(base_school(), "edexml").replace(b"<roepnaam>Daan</roepnaam>",
                                                 b"<roepnaam>Daan</voornaam>", 1)
    result = await services.sync.apply_delivery(xml, "kapot")
    assert f"regel {line_of(xml, 'Daan')}" in result.report


async def test_a_rejected_run_is_recorded_with_its_report(services, sessions):
    await apply(services, base_school(), "json")
    data = base_school()
    unknown_group(data)
    result = await apply(services, data, "json")
    async with sessions() as session:
        run = await session.get(SyncRun, result.run_id)
    assert run.status == RUN_REJECTED and run.school_id is not None
    assert "onbekende stamgroep" in run.report


# -- JSON line numbers --------------------------------------------------------------------------
async def test_json_lines_point_at_the_item_itself_not_at_an_earlier_reference(services):
    """A group key also appears in the pupils that refer to it: with the pupils first in the
    file, a problem of the group must still name the group's own line."""
    data = base_school()
    data = {"instelling": data["instelling"], "schooljaar": data["schooljaar"],
            "leerlingen": data["leerlingen"], "staf": data["staf"], "groepen": data["groepen"]}
    data["groepen"][1]["naam"] = ""
    body = write(data, "json")
    result = await services.sync.apply_delivery(body, "kapot")
    assert f"regel {line_of(body, key_marker('json', f'{P}-G5'))}:" in result.report


async def test_json_lines_of_a_duplicated_staff_key(services):
    data = base_school()
    data["staf"].append(staff(f"{P}-T1", "Kees", "Bos", "k.bos@x.nl"))
    body = write(data, "json")
    result = await services.sync.apply_delivery(body, "kapot")
    assert f"regel {line_of(body, key_marker('json', f'{P}-T1'), 2)}:" in result.report


# -- hostile XML --------------------------------------------------------------------------------
SECRET = "geheim-uit-een-bestand"

HOSTILE = {
    "xxe_file": (
        '<?xml version="1.0"?>\n<!DOCTYPE EDEX [<!ENTITY x SYSTEM "file://{path}">]>\n'
        "<EDEX><school><brincode>12AB</brincode><schooljaar>2026-2027</schooljaar>"
        "<naam>&x;</naam></school></EDEX>"),
    "billion_laughs": (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                  for i in range(1, 10))
        + ']>\n<EDEX><school><naam>&lol9;</naam></school></EDEX>'),
    "dtd": ('<?xml version="1.0"?>\n<!DOCTYPE EDEX SYSTEM "http://127.0.0.1:9/edex.dtd">\n'
            "<EDEX><school><brincode>12AB</brincode></school></EDEX>"),
    "parameter_entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE EDEX [<!ENTITY % p SYSTEM "file://{path}"> %p;]>\n'
        "<EDEX/>"),
    "late_doctype": ("<!-- " + "x" * 5000 + ' -->\n<!DOCTYPE EDEX [<!ENTITY x "y">]>\n'
                     "<EDEX><school><naam>&x;</naam></school></EDEX>"),
    "utf16_doctype": None,  # built in the test: the same XXE, encoded as UTF-16
    "utf16_no_mark": None,  # and as UTF-16 without a byte-order mark
}


@pytest.mark.parametrize("name", HOSTILE)
async def test_hostile_xml_is_refused_and_reads_nothing(services, sessions, tmp_path, name):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    if name == "utf16_doctype":
        body = HOSTILE["xxe_file"].replace("{path}", str(secret)).replace(
            '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16")
    elif name == "utf16_no_mark":
        body = HOSTILE["xxe_file"].replace("{path}", str(secret)).replace(
            '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16LE"?>'
        ).encode("utf-16-le")
    else:
        body = HOSTILE[name].replace("{path}", str(secret)).encode()
    before = await dump(sessions)
    tracemalloc.start()
    try:
        result = await services.sync.apply_delivery(body, name)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == RUN_REJECTED
    assert SECRET not in result.report
    assert peak < 5 * 1024 * 1024
    assert await dump(sessions) == before
    async with sessions() as session:
        runs = (await session.scalars(select(SyncRun.report))).all()
    assert all(SECRET not in (r or "") for r in runs)


async def test_a_50_mb_delivery_is_refused_with_bounded_memory(services, sessions, tmp_path):
    path = tmp_path / "groot.xml"
    with path.open("wb") as out:
        out.write(b'<?xml version="1.0"?>\n<EDEX><leerlingen>\n')
        row = b'<leerling key="x"><roepnaam>' + b"a" * 1000 + b"</roepnaam></leerling>\n"
        for _ in range(50 * 1024):
            out.write(row)
        out.write(b"</leerlingen></EDEX>\n")
    assert path.stat().st_size > 50 * 1000 * 1000
    gc.collect()
    tracemalloc.start()
    try:
        result = await services.sync.apply_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == RUN_REJECTED
    assert "groter dan" in result.report
    assert peak < 5 * 1024 * 1024  # refused by its size, never read into memory


async def test_a_large_delivery_in_memory_is_refused_before_parsing(services):
    body = b'<?xml version="1.0"?>\n<EDEX>' + b" " * (50 * 1024 * 1024) + b"</EDEX>"
    with pytest.raises(DeliveryError) as raised:
        parse_delivery(body, "groot")
    assert "groter dan" in raised.value.report()


@pytest.mark.parametrize("fmt", FORMATS)
async def test_parsing_a_valid_delivery_keeps_every_item_with_its_line(fmt):
    data = base_school()
    body = write(data, fmt)
    snapshot = parse_delivery(body, "goed")
    assert [p.key for p in snapshot.pupils] == [p["key"] for p in data["leerlingen"]]
    for item in snapshot.pupils:
        assert item.line == line_of(body, key_marker(fmt, item.key))
    assert [(g.key, g.name, g.levels) for g in snapshot.groups] == [
        (g["key"], g["naam"], g["jaargroep"]) for g in data["groepen"]]
    changed = copy.deepcopy(data)
    changed["leerlingen"][0]["roepnaam"] = "Saskia"
    assert parse_delivery(write(changed, fmt), "x").digest() != snapshot.digest()


async def test_a_delivery_in_which_most_pupils_leave_is_refused_unless_meant(services, sessions):
    data = base_school()
    data["leerlingen"] += [pupil(f"{P}-X{n}", f"Kind{n}", "Extra", f"{P}-G5", "5")
                           for n in range(20)]
    await apply(services, data, "json")
    before = await dump(sessions)
    broken = copy.deepcopy(data)
    broken["leerlingen"] = broken["leerlingen"][:10]  # 16 of 26 would leave
    refused = await apply(services, broken, "json")
    assert refused.status == RUN_REJECTED
    assert "16 van de 26 leerlingen" in refused.report and "--allow-mass-leaving" in refused.report
    assert await dump(sessions) == before
    # Half leaving is still a normal night (the end of a school year comes close).
    half = copy.deepcopy(data)
    half["leerlingen"] = half["leerlingen"][:13]
    assert (await apply(services, half, "json")).status == RUN_APPLIED
    meant = await services.sync.apply_delivery(write(broken, "json"), "sluit",
                                               allow_mass_leaving=True)
    assert meant.status == RUN_APPLIED and meant.counts["pupil_left"] == 3


@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_utf16_export_is_read_like_utf8(services, sessions, fmt):
    """Some Windows exports write UTF-16 with a byte-order mark; the content is the same."""
    data = base_school()
    data["leerlingen"][0]["roepnaam"] = "Renée"
    await apply(services, data, fmt)
    before = await dump(sessions)
    text = write(data, fmt).decode()
    if fmt == "edexml":
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    for body in (text.encode("utf-16"), b"\xfe\xff" + text.encode("utf-16-be")):
        result = await services.sync.apply_delivery(body, "windows")
        assert result.status == RUN_UNCHANGED, result.report
    assert await dump(sessions) == before
    spoiled = await services.sync.apply_delivery(text.encode("utf-16")[:-1], "kapot")
    assert spoiled.status == RUN_REJECTED
    assert ("geen geldige UTF-16" if fmt == "json" else "geen geldige XML") in spoiled.report
    assert await dump(sessions) == before
