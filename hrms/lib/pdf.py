"""PDF building blocks (reportlab): one Vietnamese-capable font, safe paragraphs, numbered pages.

The font is IBM Plex Serif from the ``fontpkg-ibm-plex-serif`` wheel (static TTFs covering every
Vietnamese letter), registered once. All text goes through ``text()``: NFC-normalised and
XML-escaped before it reaches a ``Paragraph`` — reportlab parses markup, so a name containing
``<`` or ``&`` would otherwise break the render or inject formatting — and rid of control
characters (``printable()``: pasted from Word, they would print as empty boxes).
"""

from __future__ import annotations

import functools
from xml.sax.saxutils import escape

import fontpkg
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Paragraph

from hrms.lib.printable import printable
from hrms.lib.vietnamese import nfc

FAMILY = "IBM Plex Serif"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = (
    "HrmsSerif",
    "HrmsSerif-Bold",
    "HrmsSerif-Italic",
    "HrmsSerif-BoldItalic",
)


@functools.cache
def register_fonts() -> str:
    """Register the serif family with reportlab (once per process); returns its name."""
    faces = {
        REGULAR: (400, "normal"),
        BOLD: (700, "normal"),
        ITALIC: (400, "italic"),
        BOLD_ITALIC: (700, "italic"),
    }
    for name, (weight, style) in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(fontpkg.path(FAMILY, weight, style))))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )
    return REGULAR


def text(value) -> str:
    """Any value as safe Paragraph markup: NFC-normalised, printable, XML-escaped, line breaks
    kept."""
    if value is None:
        return ""
    lines = printable(nfc(str(value))).replace("\r\n", "\n").replace("\r", "\n")
    return escape(lines).replace("\n", "<br/>")


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of official documents (13 pt headings, 11 pt body)."""
    base = register_fonts()
    body = ParagraphStyle("body", fontName=base, fontSize=10.5, leading=14, alignment=TA_LEFT)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=11.5),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=body, fontName=BOLD, fontSize=9, leading=11.5, alignment=TA_CENTER
        ),
        "heading": ParagraphStyle(
            "heading", parent=body, fontName=BOLD, fontSize=11.5, leading=15, alignment=TA_CENTER
        ),
        "motto": ParagraphStyle(
            "motto", parent=body, fontName=BOLD, fontSize=11, leading=14, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=BOLD,
            fontSize=14,
            leading=19,
            alignment=TA_CENTER,
            spaceBefore=6,
            spaceAfter=8,
        ),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "center_italic": ParagraphStyle(
            "center_italic", parent=body, fontName=ITALIC, alignment=TA_CENTER
        ),
        "section": ParagraphStyle(
            "section", parent=body, fontName=BOLD, spaceBefore=8, spaceAfter=3, keepWithNext=1
        ),
    }


def paragraph(value, style: str = "body", *, markup: str | None = None) -> Paragraph:
    """A paragraph of plain ``value`` (escaped), or of trusted ``markup`` we wrote ourselves."""
    return Paragraph(markup if markup is not None else text(value), styles()[style])


class NumberedCanvas(pdf_canvas.Canvas):
    """A canvas that knows the page count, for "Trang x/y" footers (drawn after the last page).

    ``footer_text`` is set by the document before building.
    """

    footer_text = ""
    footer_font = REGULAR

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages: list[dict] = []

    def showPage(self):
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(self.footer_font, 8)
        self.setFillGray(0.35)
        page = f"Trang {self._pageNumber}/{total}"
        self.drawString(42, 24, " ".join(printable(nfc(self.footer_text)).split())[:160])
        self.drawRightString(width - 42, 24, page)
        self.restoreState()
