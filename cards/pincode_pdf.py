"""The printable pincode sheet of a group: A4, one cut-out card per pupil (pure: returns bytes)."""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Callable
from functools import cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from cards.i18n import Texts
from services.pincodes.results import MODE_DIGITS, PincodeSheetDTO, picture_names

COLUMNS = 2
ROWS = 5
MARGIN = 12 * mm
HEADER = 10 * mm
MIN_FONT = 7  # smallest size a long name may shrink to
INK = colors.HexColor("#1f2937")
GREY = colors.HexColor("#6b7280")
# Bitstream Vera, shipped inside reportlab: unlike the PDF standard fonts (Latin-1 only) it
# has ğ ş ı İ Ł ł Œ Š Ž, so Turkish and Polish names print as written.
SANS, SANS_BOLD = "BeheerSans", "BeheerSans-Bold"
_FONT_FILES = {SANS: "Vera.ttf", SANS_BOLD: "VeraBd.ttf"}


@cache
def _font(name: str) -> TTFont:
    """Registered once per process; reportlab finds the file in its own fonts folder."""
    font = TTFont(name, _FONT_FILES[name])
    pdfmetrics.registerFont(font)
    return font


def legible(text: str, font: str = SANS) -> str:
    """`text` with every letter the font lacks replaced by its base letter (ą → a), so a name
    never prints as a black box."""
    glyphs = _font(font).face.charToGlyph
    out = []
    for char in text:
        if ord(char) in glyphs:
            out.append(char)
            continue
        base = [c for c in unicodedata.normalize("NFKD", char) if ord(c) in glyphs
                and not unicodedata.combining(c)]
        out.append("".join(base) or "?")
    return "".join(out)


def pincode_pdf(t: Texts, sheet: PincodeSheetDTO) -> bytes:
    """The sheet as PDF bytes: pupils in the order given (sorted by name by the service)."""
    buffer = io.BytesIO()
    for font in (SANS, SANS_BOLD):
        _font(font)
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(t("pdf.title", group=sheet.group_name))
    canvas.setAuthor(sheet.school_name)
    canvas.setCreator("beheerbot")
    width, height = A4
    card_w = (width - 2 * MARGIN) / COLUMNS
    card_h = (height - 2 * MARGIN - HEADER) / ROWS
    per_page = COLUMNS * ROWS
    pages = max(1, math.ceil(len(sheet.cards) / per_page))
    for page in range(pages):
        _header(canvas, t, sheet, width, height)
        for slot, pupil in enumerate(sheet.cards[page * per_page : (page + 1) * per_page]):
            col, row = slot % COLUMNS, slot // COLUMNS
            x = MARGIN + col * card_w
            y = height - MARGIN - HEADER - (row + 1) * card_h
            _card(canvas, t, sheet, pupil.name, pupil.code, x, y, card_w, card_h)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _header(canvas: Canvas, t: Texts, sheet: PincodeSheetDTO, width: float, height: float
            ) -> None:
    canvas.setFillColor(GREY)
    canvas.setFont(SANS, 9)
    canvas.drawString(MARGIN, height - MARGIN - 4 * mm,
                      legible(t("pdf.header", school=sheet.school_name, group=sheet.group_name,
                                count=len(sheet.cards))))


def _card(canvas: Canvas, t: Texts, sheet: PincodeSheetDTO, name: str, code: str,
          x: float, y: float, w: float, h: float) -> None:
    pad = 4 * mm
    canvas.saveState()
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.6)
    canvas.setDash(3, 3)
    canvas.rect(x, y, w, h, stroke=1, fill=0)  # the cut line
    canvas.restoreState()
    top = y + h - pad
    canvas.setFillColor(GREY)
    group = legible(sheet.group_name)
    canvas.setFont(SANS, 7.5)
    canvas.drawRightString(x + w - pad, top - 2 * mm, group)
    room = w - 2 * pad - pdfmetrics.stringWidth(group, SANS, 7.5) - 3 * mm
    _draw_fitted(canvas, legible(sheet.school_name), SANS, 7.5, x + pad, top - 2 * mm, room)
    canvas.setFillColor(INK)
    _draw_fitted(canvas, legible(name, SANS_BOLD), SANS_BOLD, 13, x + pad, top - 8 * mm,
                 w - 2 * pad)
    canvas.setFont(SANS, 8)
    if not code:
        canvas.drawString(x + pad, top - 14 * mm, t("pdf.no_code"))
        return
    if sheet.login_mode == MODE_DIGITS:
        canvas.drawString(x + pad, top - 14 * mm, t("pdf.code_digits"))
        canvas.setFont("Courier-Bold", 24)
        canvas.drawString(x + pad, top - 24 * mm, code)
        return
    canvas.drawString(x + pad, top - 13 * mm, t("pdf.code_pictures"))
    names = picture_names(code)
    slot = (w - 2 * pad) / len(names)
    size = min(slot - 2 * mm, 16 * mm)
    for index, picture in enumerate(names):
        cx = x + pad + slot * index + slot / 2
        cy = y + 4 * mm + 4 * mm + size / 2
        canvas.saveState()
        canvas.setFillColor(GREY)
        canvas.setFont(SANS, 7)
        canvas.drawString(x + pad + slot * index, cy + size / 2 - 2 * mm, str(index + 1))
        canvas.restoreState()
        draw_picture(canvas, picture, cx, cy, size)
        canvas.setFillColor(INK)
        canvas.setFont(SANS, 8.5)
        canvas.drawCentredString(cx, y + 3.5 * mm, legible(t(f"picture.{picture}")))


def _draw_fitted(canvas: Canvas, text: str, font: str, size: float, x: float, y: float,
                 width: float) -> None:
    """Draw `text` within `width`: smaller when it is long (a name with tussenvoegsels and a
    double surname), cut off with '…' only when even the smallest size does not fit."""
    fitted = max(MIN_FONT, min(size, size * width / max(pdfmetrics.stringWidth(text, font, size),
                                                        0.01)))
    while text and pdfmetrics.stringWidth(text, font, fitted) > width:
        text = text[:-2] + "…"
    canvas.setFont(font, fitted)
    canvas.drawString(x, y, text)


# -- the 16 pictures, drawn from simple shapes; (cx, cy) is the centre, s the size --------------

def _fill(canvas: Canvas, hex_colour: str) -> None:
    canvas.setFillColor(colors.HexColor(hex_colour))


def _stroke(canvas: Canvas, hex_colour: str, width: float) -> None:
    canvas.setStrokeColor(colors.HexColor(hex_colour))
    canvas.setLineWidth(width)


def _polygon(canvas: Canvas, points: list[tuple[float, float]], *, stroke=0, fill=1) -> None:
    path = canvas.beginPath()
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    path.close()
    canvas.drawPath(path, stroke=stroke, fill=fill)


def _zon(c: Canvas, x: float, y: float, s: float) -> None:
    _stroke(c, "#f59e0b", s * 0.05)
    for k in range(8):
        a = k * math.pi / 4
        c.line(x + math.cos(a) * s * 0.3, y + math.sin(a) * s * 0.3,
               x + math.cos(a) * s * 0.47, y + math.sin(a) * s * 0.47)
    _fill(c, "#fbbf24")
    c.circle(x, y, s * 0.24, stroke=0, fill=1)


def _maan(c: Canvas, x: float, y: float, s: float) -> None:
    _fill(c, "#facc15")
    c.circle(x, y, s * 0.38, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.circle(x + s * 0.17, y + s * 0.1, s * 0.33, stroke=0, fill=1)


def _ster(c: Canvas, x: float, y: float, s: float) -> None:
    points = []
    for k in range(10):
        r = s * (0.47 if k % 2 == 0 else 0.2)
        a = math.pi / 2 + k * math.pi / 5
        points.append((x + math.cos(a) * r, y + math.sin(a) * r))
    _fill(c, "#fbbf24")
    _stroke(c, "#d97706", s * 0.02)
    _polygon(c, points, stroke=1)


def _hart(c: Canvas, x: float, y: float, s: float) -> None:
    _fill(c, "#dc2626")
    r = s * 0.17
    c.circle(x - r * 0.95, y + s * 0.12, r, stroke=0, fill=1)
    c.circle(x + r * 0.95, y + s * 0.12, r, stroke=0, fill=1)
    _polygon(c, [(x - s * 0.34, y + s * 0.07), (x + s * 0.34, y + s * 0.07), (x, y - s * 0.38)])


def _huis(c: Canvas, x: float, y: float, s: float) -> None:
    _fill(c, "#fca5a5")
    c.rect(x - s * 0.3, y - s * 0.42, s * 0.6, s * 0.45, stroke=0, fill=1)
    _fill(c, "#b91c1c")
    _polygon(c, [(x - s * 0.42, y + s * 0.03), (x + s * 0.42, y + s * 0.03), (x, y + s * 0.44)])
    _fill(c, "#78350f")
    c.rect(x - s * 0.08, y - s * 0.42, s * 0.16, s * 0.25, stroke=0, fill=1)


def _boom(c: Canvas, x: float, y: float, s: float) -> None:
    _fill(c, "#92400e")
    c.rect(x - s * 0.06, y - s * 0.45, s * 0.12, s * 0.35, stroke=0, fill=1)
    _fill(c, "#16a34a")
    c.circle(x, y + s * 0.1, s * 0.32, stroke=0, fill=1)


def _bloem(c: Canvas, x: float, y: float, s: float) -> None:
    _stroke(c, "#15803d", s * 0.05)
    c.line(x, y - s * 0.47, x, y)
    _fill(c, "#ec4899")
    for k in range(5):
        a = math.pi / 2 + k * 2 * math.pi / 5
        c.circle(x + math.cos(a) * s * 0.18, y + s * 0.12 + math.sin(a) * s * 0.18, s * 0.12,
                 stroke=0, fill=1)
    _fill(c, "#facc15")
    c.circle(x, y + s * 0.12, s * 0.09, stroke=0, fill=1)


def _vis(c: Canvas, x: float, y: float, s: float) -> None:
    _fill(c, "#f97316")
    _polygon(c, [(x + s * 0.15, y), (x + s * 0.47, y + s * 0.2), (x + s * 0.47, y - s * 0.2)])
    c.ellipse(x - s * 0.45, y - s * 0.2, x + s * 0.25, y + s * 0.2, stroke=0, fill=1)
    c.setFillColor(colors.black)
    c.circle(x - s * 0.27, y + s * 0.05, s * 0.035, stroke=0, fill=1)


def _appel(c: Canvas, x: float, y: float, s: float) -> None:
    _fill(c, "#dc2626")
    c.circle(x, y - s * 0.06, s * 0.34, stroke=0, fill=1)
    _stroke(c, "#78350f", s * 0.05)
    c.line(x, y + s * 0.25, x + s * 0.04, y + s * 0.42)
    _fill(c, "#16a34a")
    c.ellipse(x + s * 0.06, y + s * 0.28, x + s * 0.3, y + s * 0.4, stroke=0, fill=1)


def _bal(c: Canvas, x: float, y: float, s: float) -> None:
    c.setFillColor(colors.white)
    _stroke(c, "#111827", s * 0.04)
    c.circle(x, y, s * 0.4, stroke=1, fill=1)
    points = [(x + math.cos(math.pi / 2 + k * 2 * math.pi / 5) * s * 0.15,
               y + math.sin(math.pi / 2 + k * 2 * math.pi / 5) * s * 0.15) for k in range(5)]
    c.setFillColor(colors.black)
    _polygon(c, points)
    for px, py in points:
        c.line(px, py, x + (px - x) * 2.6, y + (py - y) * 2.6)


def _auto(c: Canvas, x: float, y: float, s: float) -> None:
    _fill(c, "#2563eb")
    c.roundRect(x - s * 0.47, y - s * 0.18, s * 0.94, s * 0.24, s * 0.06, stroke=0, fill=1)
    _polygon(c, [(x - s * 0.28, y + s * 0.06), (x - s * 0.16, y + s * 0.26),
                 (x + s * 0.18, y + s * 0.26), (x + s * 0.3, y + s * 0.06)])
    c.setFillColor(colors.HexColor("#bfdbfe"))
    c.rect(x - s * 0.14, y + s * 0.09, s * 0.12, s * 0.13, stroke=0, fill=1)
    c.rect(x + s * 0.02, y + s * 0.09, s * 0.13, s * 0.13, stroke=0, fill=1)
    c.setFillColor(colors.black)
    c.circle(x - s * 0.26, y - s * 0.2, s * 0.1, stroke=0, fill=1)
    c.circle(x + s * 0.26, y - s * 0.2, s * 0.1, stroke=0, fill=1)


def _boot(c: Canvas, x: float, y: float, s: float) -> None:
    _fill(c, "#92400e")
    _polygon(c, [(x - s * 0.45, y - s * 0.2), (x + s * 0.45, y - s * 0.2),
                 (x + s * 0.3, y - s * 0.42), (x - s * 0.3, y - s * 0.42)])
    _stroke(c, "#374151", s * 0.04)
    c.line(x, y - s * 0.2, x, y + s * 0.45)
    c.setFillColor(colors.white)
    _polygon(c, [(x + s * 0.03, y + s * 0.42), (x + s * 0.03, y - s * 0.14),
                 (x + s * 0.38, y - s * 0.14)], stroke=1)


def _paraplu(c: Canvas, x: float, y: float, s: float) -> None:
    _fill(c, "#7c3aed")
    c.wedge(x - s * 0.45, y - s * 0.3, x + s * 0.45, y + s * 0.6, 0, 180, stroke=0, fill=1)
    _stroke(c, "#374151", s * 0.05)
    c.line(x, y + s * 0.15, x, y - s * 0.32)
    c.arc(x - s * 0.16, y - s * 0.46, x, y - s * 0.3, 180, 180)


def _sleutel(c: Canvas, x: float, y: float, s: float) -> None:
    _stroke(c, "#b45309", s * 0.08)
    c.circle(x - s * 0.27, y, s * 0.15, stroke=1, fill=0)
    c.line(x - s * 0.12, y, x + s * 0.45, y)
    c.line(x + s * 0.3, y, x + s * 0.3, y - s * 0.15)
    c.line(x + s * 0.42, y, x + s * 0.42, y - s * 0.12)


def _wolk(c: Canvas, x: float, y: float, s: float) -> None:
    _fill(c, "#93c5fd")
    c.circle(x - s * 0.22, y - s * 0.05, s * 0.18, stroke=0, fill=1)
    c.circle(x + s * 0.22, y - s * 0.05, s * 0.18, stroke=0, fill=1)
    c.circle(x, y + s * 0.1, s * 0.25, stroke=0, fill=1)
    c.rect(x - s * 0.22, y - s * 0.23, s * 0.44, s * 0.2, stroke=0, fill=1)


def _kroon(c: Canvas, x: float, y: float, s: float) -> None:
    _fill(c, "#eab308")
    _polygon(c, [(x - s * 0.42, y - s * 0.25), (x - s * 0.42, y + s * 0.3),
                 (x - s * 0.21, y + s * 0.05), (x, y + s * 0.38), (x + s * 0.21, y + s * 0.05),
                 (x + s * 0.42, y + s * 0.3), (x + s * 0.42, y - s * 0.25)])
    _fill(c, "#dc2626")
    c.circle(x, y - s * 0.08, s * 0.07, stroke=0, fill=1)


DRAWINGS: dict[str, Callable[[Canvas, float, float, float], None]] = {
    "appel": _appel, "auto": _auto, "bal": _bal, "bloem": _bloem, "boom": _boom,
    "boot": _boot, "hart": _hart, "huis": _huis, "kroon": _kroon, "maan": _maan,
    "paraplu": _paraplu, "sleutel": _sleutel, "ster": _ster, "vis": _vis, "wolk": _wolk,
    "zon": _zon,
}


def draw_picture(canvas: Canvas, name: str, x: float, y: float, size: float) -> None:
    canvas.saveState()
    DRAWINGS[name](canvas, x, y, size)
    canvas.restoreState()
