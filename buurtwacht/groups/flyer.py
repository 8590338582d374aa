"""R-CRE-2: the printable A4 door-to-door flyer: the group's name, its streets, the house
rules in short, and a QR code of the share link.  segno draws the QR code, fpdf2 the PDF
(pure Python, no system libraries).

The PDF uses the standard Helvetica font, which covers Latin-1 (all Dutch letters, é, ë,
ï, ...); any other character is printed as its closest Latin-1 form or "?"."""

import io
import unicodedata
from dataclasses import dataclass

import segno
from django.utils.translation import gettext as _
from fpdf import FPDF

from .rules import NATIONAL_RULES

QR_SIZE_MM = 70
MAX_STREETS = 40  # beyond this the flyer says "and N more"


@dataclass(frozen=True)
class FlyerContent:
    group_name: str
    streets: list[str]
    own_rules: str
    link: str
    # The country's official scheme, as the heading (Belgium: "Buurtinformatienetwerk
    # (BIN)"); '' for the plain "Neighbourhood watch".
    scheme: str = ""


def _latin1(text: str) -> str:
    """What Helvetica can print of `text`."""
    replaced = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    replaced = replaced.replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
    replaced = replaced.replace("\u2026", "...").replace("\u00a0", " ")
    out = []
    for char in replaced:
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            out.append(base or "?")
        else:
            out.append(char)
    return "".join(out)


def qr_png(link: str) -> bytes:
    """The share link as a QR code (PNG, error correction M: survives a crease)."""
    buffer = io.BytesIO()
    segno.make(link, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


@dataclass(frozen=True)
class _Fit:
    """How much of the text fits above the QR code: font scale, streets, own rules."""

    scale: float
    streets: int
    own_rules: int


# Tried in order until the text ends above the QR code.
_FITS = (
    _Fit(scale=1.0, streets=MAX_STREETS, own_rules=600),
    _Fit(scale=0.9, streets=25, own_rules=300),
    _Fit(scale=0.8, streets=12, own_rules=120),
    _Fit(scale=0.75, streets=6, own_rules=0),
)


def _text_part(content: FlyerContent, fit: _Fit) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(_latin1(content.group_name))
    pdf.set_creator("Buurtwacht")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def text(line: str, *, size: float, style: str = "", gap: float = 1.5) -> None:
        size *= fit.scale
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(width, size * 0.45, _latin1(line), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap * fit.scale)

    text(content.scheme or _("Neighbourhood watch"), size=14, style="B")
    text(content.group_name, size=24, style="B", gap=4)
    text(
        _(
            "Neighbours watch out for each other and warn each other about suspicious "
            "situations. Join us: it costs nothing but attention."
        ),
        size=12,
        gap=4,
    )
    shown = content.streets[: fit.streets]
    streets = ", ".join(shown)
    if len(content.streets) > len(shown):
        streets += " " + _("and %(count)s more") % {"count": len(content.streets) - len(shown)}
    text(_("Our streets"), size=13, style="B")
    text(streets, size=11, gap=4)
    text(_("House rules"), size=13, style="B")
    for rule in NATIONAL_RULES:
        text(f"- {rule}", size=10, gap=0.8)
    if content.own_rules and fit.own_rules:
        own = content.own_rules
        if len(own) > fit.own_rules:
            own = own[: fit.own_rules].rsplit(" ", 1)[0] + "..."
        pdf.ln(1)
        text(_("Our own rules"), size=11, style="B")
        text(own, size=10)
    return pdf


def render_flyer(content: FlyerContent) -> bytes:
    # The QR code and how to join sit right below the text, above the footer.
    for fit in _FITS:
        pdf = _text_part(content, fit)
        limit = pdf.h - pdf.b_margin - QR_SIZE_MM - 12
        if pdf.get_y() + 8 <= limit:
            break
    width = pdf.w - pdf.l_margin - pdf.r_margin
    top = min(pdf.get_y() + 8, limit)
    pdf.image(io.BytesIO(qr_png(content.link)), x=pdf.l_margin, y=top, w=QR_SIZE_MM)
    column_x = pdf.l_margin + QR_SIZE_MM + 8
    column = width - QR_SIZE_MM - 8

    def beside(line: str, *, size: float, style: str = "", height: float = 5) -> None:
        pdf.set_x(column_x)
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(column, height, _latin1(line), align="L", new_x="LEFT", new_y="NEXT")

    pdf.set_y(top + 6)
    beside(_("Ask to join"), size=14, style="B", height=7)
    beside(
        _(
            "Scan the code or open the link. An admin of the group contacts you "
            "personally before you are admitted: only residents of these streets, "
            "18 or older."
        ),
        size=11,
    )
    pdf.set_y(pdf.get_y() + 3)
    beside(content.link, size=9, height=4.5)
    pdf.set_xy(pdf.l_margin, pdf.h - pdf.b_margin - 8)
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(
        width,
        4,
        _latin1(_("In an emergency always call 112.")),
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
