"""The Resultatenmonitor's result exports (JSON or CSV; see docs/uwlr.md) read into checked rows.

Every row is checked on its own: a bad row is reported with its line and the reason, and the
good rows go on. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

MAX_DOCUMENT_BYTES = 20_000_000  # a large school's year of results is a few MB
MAX_ROWS = 100_000
MAX_NORM_BANDS = 20

BRIN = re.compile(r"\d{2}[A-Z]{2}")
VESTIGING = re.compile(r"\d{2}")
EARLIEST = date(2000, 1, 1)
DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")

CSV_COLUMNS = ("key", "brin", "vestiging", "leerling", "eckid", "toetscode", "toetsnaam",
               "afnamedatum", "score", "vaardigheidsscore", "norm", "bingel_oefening")
REQUIRED_COLUMNS = ("key", "brin", "toetscode", "afnamedatum")
TRUE = {"1", "true", "ja", "j", "yes", "waar"}
FALSE = {"", "0", "false", "nee", "n", "no", "onwaar"}


class DocumentError(ValueError):
    """The document as a whole cannot be read (not JSON/CSV, no results, too large)."""


@dataclass(frozen=True)
class NormBand:
    """One band of a test's norm: its term and score range, and the school grades it maps to."""

    term: str
    begin: int
    end: int
    grade_from: str | None = None  # decimals as text, exactly as they will be sent
    grade_to: str | None = None

    def as_json(self) -> dict:
        return {"term": self.term, "van": self.begin, "tot": self.end,
                "schoolcijfer_vanaf": self.grade_from, "schoolcijfer_totenmet": self.grade_to}

    @classmethod
    def from_json(cls, item: dict) -> NormBand:
        return cls(item["term"], item["van"], item["tot"], item.get("schoolcijfer_vanaf"),
                   item.get("schoolcijfer_totenmet"))


@dataclass(frozen=True)
class ResultRow:
    line: int
    key: str
    brin: str
    vestiging: str
    pupil_key: str | None  # the LAS key (UWLR leerlingid)
    eck_id: str | None
    test_code: str
    test_name: str
    taken_on: date
    score: int | None
    ability: str | None
    norm: tuple[NormBand, ...]
    practice: bool


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str  # Dutch, for the operator who made the export


@dataclass(frozen=True)
class ParsedDocument:
    rows: tuple[ResultRow, ...]
    bad: tuple[BadRow, ...]


class _Bad(ValueError):
    pass


def parse_document(data: bytes, *, kind: str | None = None) -> ParsedDocument:
    """Read a JSON or CSV export. `kind` is 'json' or 'csv'; None guesses from the content.
    Raises DocumentError when the whole document is unusable."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"Het bestand is te groot (meer dan {MAX_DOCUMENT_BYTES} bytes).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError("Het bestand is geen UTF-8-tekst.") from None
    if kind is None:
        kind = "json" if text.lstrip()[:1] in ("{", "[") else "csv"
    if kind == "json":
        items = _json_items(text)
    elif kind == "csv":
        items = _csv_items(text)
    else:
        raise DocumentError("Alleen JSON of CSV.")
    rows: list[ResultRow] = []
    bad: list[BadRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, item in items:
        try:
            row = _row(line, item)
        except _Bad as exc:
            bad.append(BadRow(line, str(exc)))
            continue
        where = (row.brin, row.vestiging, row.key)
        if where in seen:
            bad.append(BadRow(line, f"resultaat-key {row.key!r} staat al op regel {seen[where]}"))
            continue
        seen[where] = line
        rows.append(row)
    return ParsedDocument(tuple(rows), tuple(bad))


def _json_items(text: str) -> list[tuple[int, object]]:
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise DocumentError("Het bestand is geen geldige JSON.") from None
    if isinstance(doc, dict):
        doc = doc.get("resultaten")
    if not isinstance(doc, list):
        raise DocumentError("JSON verwacht: een lijst 'resultaten'.")
    if len(doc) > MAX_ROWS:
        raise DocumentError(f"Te veel resultaten in één bestand (meer dan {MAX_ROWS}).")
    return [(n, item) for n, item in enumerate(doc, 1)]


def _csv_items(text: str) -> list[tuple[int, object]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error):
        raise DocumentError("Het CSV-bestand heeft geen kopregel.") from None
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise DocumentError("Kolommen ontbreken in de kopregel: " + ", ".join(missing))
    items: list[tuple[int, object]] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(items) >= MAX_ROWS:
                raise DocumentError(f"Te veel resultaten in één bestand (meer dan {MAX_ROWS}).")
            line = reader.line_num
            if len(values) != len(header):
                items.append((line, f"{len(values)} velden, de kopregel heeft er {len(header)}"))
                continue
            # Columns we do not know (a class, a teacher's note) are left out, not refused.
            item: dict = {name: v.strip() for name, v in zip(header, values, strict=True)
                          if name in CSV_COLUMNS}
            item["norm"] = _csv_norm(item.get("norm", ""))
            items.append((line, item))
    except csv.Error as exc:
        raise DocumentError(f"Het CSV-bestand is onleesbaar bij regel {reader.line_num}: {exc}"
                            ) from None
    return items


def _csv_norm(text: str) -> object:
    """'A=30-40@8.0-10.0|B=20-29' → the JSON form; anything unreadable is passed on as text
    so that the row is refused with a reason."""
    if not text:
        return []
    bands = []
    for part in text.split("|"):
        m = re.fullmatch(r"\s*([^=]+?)\s*=\s*(\d+)\s*-\s*(\d+)\s*"
                         r"(?:@\s*([\d.,]+)\s*-\s*([\d.,]+)\s*)?", part)
        if not m:
            return text
        term, begin, end, g_from, g_to = m.groups()
        bands.append({"term": term, "van": int(begin), "tot": int(end),
                      "schoolcijfer_vanaf": g_from, "schoolcijfer_totenmet": g_to})
    return bands


def _row(line: int, item: object) -> ResultRow:
    if isinstance(item, str):  # a CSV line that could not be split into the columns
        raise _Bad(item)
    if not isinstance(item, dict):
        raise _Bad("geen object met velden")
    key = _text(item, "key", 256, required=True)
    brin = _text(item, "brin", 4, required=True).upper()
    if not BRIN.fullmatch(brin):
        raise _Bad(f"brin {brin!r} is geen BRIN-code (twee cijfers en twee letters)")
    vestiging = _text(item, "vestiging", 2) or "00"
    if not VESTIGING.fullmatch(vestiging):
        raise _Bad(f"vestiging {vestiging!r} moet twee cijfers zijn")
    pupil = _text(item, "leerling", 256)
    eck = _text(item, "eckid", 256)
    if not pupil and not eck:
        raise _Bad("leerling (LAS-sleutel) of eckid ontbreekt")
    code = _text(item, "toetscode", 256, required=True)
    name = _text(item, "toetsnaam", 128)
    taken = _date(item.get("afnamedatum"))
    score, ability = _result(item)
    norm = _norm(item.get("norm"))
    if norm and score is None:
        raise _Bad("een normering hoort alleen bij een score")
    return ResultRow(line, key, brin, vestiging, pupil or None, eck or None, code, name, taken,
                     score, ability, norm, _flag(item.get("bingel_oefening")))


def _text(item: dict, name: str, limit: int, *, required: bool = False) -> str:
    value = item.get(name)
    if value is None:
        value = ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _Bad(f"{name} moet tekst zijn")
    value = value.strip()
    if required and not value:
        raise _Bad(f"{name} ontbreekt")
    if len(value) > limit:
        raise _Bad(f"{name} is te lang ({len(value)} tekens, hooguit {limit})")
    if any(ord(c) < 32 for c in value):
        raise _Bad(f"{name} bevat een stuurteken")
    return value


def _date(value: object) -> date:
    if not isinstance(value, str) or not value.strip():
        raise _Bad("afnamedatum ontbreekt")
    text = value.strip()
    dutch = DUTCH_DATE.fullmatch(text)  # dd-mm-jjjj, as Dutch Excel writes a date
    try:
        if dutch:
            taken = date(int(dutch[3]), int(dutch[2]), int(dutch[1]))
        else:
            taken = date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"afnamedatum {value!r} is geen datum als 2026-11-20 of 20-11-2026"
                   ) from None
    if taken < EARLIEST:
        raise _Bad(f"afnamedatum {value} ligt voor {EARLIEST.year}")
    return taken


def _result(item: dict) -> tuple[int | None, str | None]:
    score, ability = item.get("score"), item.get("vaardigheidsscore")
    if score in (None, ""):
        score = None
    if ability in (None, ""):
        ability = None
    if (score is None) == (ability is None):
        raise _Bad("precies één van score en vaardigheidsscore is nodig")
    if score is not None:
        if isinstance(score, str) and score.strip().isdigit():
            score = int(score.strip())
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score < 10**9:
            raise _Bad(f"score {score!r} moet een heel getal van 0 of meer zijn")
        return score, None
    return None, _decimal(ability, "vaardigheidsscore", low=Decimal(-10**6), high=Decimal(10**6))


def _decimal(value: object, name: str, *, low: Decimal, high: Decimal) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Bad(f"{name} moet een getal zijn")
    text = str(value).strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Bad(f"{name} {value!r} is geen getal") from None
    if not number.is_finite() or not low <= number <= high:
        raise _Bad(f"{name} {value!r} ligt niet tussen {low} en {high}")
    if number.as_tuple().exponent < -4:  # type: ignore[operator]
        raise _Bad(f"{name} {value!r} heeft te veel decimalen")
    return format(number, "f")


def _norm(value: object) -> tuple[NormBand, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        raise _Bad(f"normering {value!r} is onleesbaar (verwacht A=30-40@8.0-10.0|B=…)")
    if not isinstance(value, list) or len(value) > MAX_NORM_BANDS:
        raise _Bad(f"normering moet een lijst van hooguit {MAX_NORM_BANDS} banden zijn")
    bands = []
    terms: set[str] = set()
    for band in value:
        if not isinstance(band, dict):
            raise _Bad("een band van de normering is geen object")
        term = _text(band, "term", 64, required=True)
        if term in terms:
            raise _Bad(f"normering noemt term {term!r} twee keer")
        terms.add(term)
        begin, end = band.get("van"), band.get("tot")
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                   for v in (begin, end)) or begin > end:  # type: ignore[operator]
            raise _Bad(f"normering {term!r}: van en tot moeten hele getallen zijn, van ≤ tot")
        g_from, g_to = band.get("schoolcijfer_vanaf"), band.get("schoolcijfer_totenmet")
        if (g_from in (None, "")) != (g_to in (None, "")):
            raise _Bad(f"normering {term!r}: schoolcijfer_vanaf en _totenmet horen samen")
        if g_from not in (None, ""):
            g_from = _decimal(g_from, "schoolcijfer_vanaf", low=Decimal(1), high=Decimal(10))
            g_to = _decimal(g_to, "schoolcijfer_totenmet", low=Decimal(1), high=Decimal(10))
            if Decimal(g_from) > Decimal(g_to):
                raise _Bad(f"normering {term!r}: schoolcijfer_vanaf is groter dan _totenmet")
        else:
            g_from = g_to = None
        bands.append(NormBand(term, begin, end, g_from, g_to))  # type: ignore[arg-type]
    return tuple(bands)


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise _Bad(f"bingel_oefening {value!r} moet ja of nee zijn")
