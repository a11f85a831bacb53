"""A streaming XLSX writer for lists too long for openpyxl: the payroll register of a province
is 100,000 rows of about thirty cells, which openpyxl (even in write-only mode) writes at some
100,000 cells a second on our machines — half a minute. This writer produces the same kind of
file (inline strings, a fixed style sheet) straight into the ZIP stream, row by row, at several
times that speed and with memory bounded by one batch of rows.

The safety rules are those of ``hrms.lib.exports``: text goes through ``printable()`` and is
XML-escaped; text cells are always of the string type, so nothing is ever a formula, and a
value starting with a formula trigger (``= + - @``, tab, carriage return) also carries Excel's
quote prefix, so it stays text when someone edits the cell. Numbers are written as numbers
(``Decimal`` exactly, never through a float), dates as dates.

Usage::

    with XlsxStream(file) as book:
        with book.sheet("Bảng lương", widths=(6, 28), freeze="A3") as sheet:
            sheet.row(["STT", "Họ và tên"], style=Style.HEADER)
            sheet.row([1, "Nguyễn Văn An"])
            sheet.merge(0, 0, 0, 5)
"""

from __future__ import annotations

import datetime
import enum
import zipfile
from decimal import Decimal
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from hrms.lib.exports import FORMULA_TRIGGERS
from hrms.lib.printable import printable

_EPOCH = datetime.date(1899, 12, 30)
_BATCH = 500  # rows joined before each write to the ZIP stream


class Style(enum.IntEnum):
    """The cell styles of the fixed style sheet (their index in ``cellXfs``)."""

    NORMAL = 0
    TEXT_QUOTED = 1  # text starting with a formula trigger
    BOLD = 2
    HEADER = 3  # bold, centred, wrapped, bordered, grey
    MONEY = 4  # #,##0
    MONEY_BOLD = 5
    DECIMAL = 6  # 0.00## (coefficients)
    DECIMAL_BOLD = 7
    DATE = 8  # DD/MM/YYYY
    TITLE = 9  # bold 13 pt, centred
    CENTER_ITALIC = 10
    CENTER_BOLD = 11
    WRAP = 12
    TEXT_QUOTED_BOLD = 13


# For a row written in bold: the bold variant of each automatic style.
_BOLD = {
    Style.NORMAL: Style.BOLD,
    Style.TEXT_QUOTED: Style.TEXT_QUOTED_BOLD,
    Style.MONEY: Style.MONEY_BOLD,
    Style.DECIMAL: Style.DECIMAL_BOLD,
}

_STYLES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="0.00##"/>\
<numFmt numFmtId="165" formatCode="DD/MM/YYYY"/></numFmts>
<fonts count="4">
<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>
<font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font>
<font><i/><sz val="11"/><name val="Calibri"/><family val="2"/></font>
</fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill>\
<fill><patternFill patternType="solid"><fgColor rgb="FFEFEFEF"/><bgColor indexed="64"/>\
</patternFill></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/>\
<diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="14">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" \
applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" \
wrapText="1"/></xf>
<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="3" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" \
applyFont="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" \
applyFont="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment horizontal="center"/></xf>
<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment horizontal="center"/></xf>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment horizontal="center"/></xf>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_S = {style: str(int(style)) for style in Style}

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def column_letter(index: int) -> str:
    """The letters of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_LETTERS = [column_letter(index) for index in range(256)]


class Cell:
    """A value with an explicit style (otherwise the style follows from the value's type)."""

    __slots__ = ("style", "value")

    def __init__(self, value, style: Style):
        self.value = value
        self.style = style


def _text(value: str) -> str:
    # a carriage return as a character reference: XML parsers turn a literal one into \n
    value = escape(printable(value), {"\r": "&#13;"})
    if value != value.strip() or "\n" in value:
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def _text_style(value: str, style: Style | None, bold: bool) -> Style:
    style = Style.NORMAL if style is None else style
    if bold:
        style = _BOLD.get(style, style)
    if value.startswith(FORMULA_TRIGGERS) and style not in (
        Style.TEXT_QUOTED,
        Style.TEXT_QUOTED_BOLD,
    ):
        # only these two carry the quote prefix: it matters more than the alignment
        bolder = style in (Style.BOLD, Style.HEADER, Style.TITLE, Style.CENTER_BOLD)
        style = Style.TEXT_QUOTED_BOLD if bolder else Style.TEXT_QUOTED
    return style


def _number(value) -> tuple[str, bool] | None:
    """A number's XML text and whether it is whole, or None when ``value`` is no number."""
    kind = value.__class__
    if kind is int:
        return str(value), True
    if kind is Decimal:
        text = str(value)
        if "E" in text:
            text = format(value, "f")
        return text, "." not in text
    if kind is float:
        return repr(value), value.is_integer()
    if kind is bool:
        return str(int(value)), True
    return None


def _cell(ref: str, value, style: Style | None, bold: bool) -> str:
    if value is None:
        return f'<c r="{ref}" s="{_S[style]}"/>' if style is not None else ""
    number = _number(value)
    if number is not None:
        if style is None:
            style = Style.MONEY if number[1] else Style.DECIMAL
        if bold:
            style = _BOLD.get(style, style)
        return f'<c r="{ref}" s="{_S[style]}"><v>{number[0]}</v></c>'
    if isinstance(value, str):
        style = _text_style(value, style, bold)
        return f'<c r="{ref}" s="{_S[style]}" t="inlineStr">{_text(value)}</c>'
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        style = Style.DATE if style is None else style
        return f'<c r="{ref}" s="{_S[style]}"><v>{(value - _EPOCH).days}</v></c>'
    return _cell(ref, str(value), style, bold)


class SheetWriter:
    """One worksheet being written (see ``XlsxStream.sheet``)."""

    def __init__(self, stream, *, widths, freeze: str | None, landscape: bool):
        self._stream = stream
        self._row = 0
        self._pending: list[str] = []
        self._merges: list[str] = []
        self.print_title_rows: tuple[int, int] | None = None
        head = [
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_REL_NS}>'
        ]
        if landscape:
            head.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        if freeze:
            row = int("".join(ch for ch in freeze if ch.isdigit()))
            head.append(
                '<sheetViews><sheetView workbookViewId="0"><pane ySplit="'
                f'{row - 1}" topLeftCell="{freeze}" activePane="bottomLeft" state="frozen"/>'
                "</sheetView></sheetViews>"
            )
        if widths:
            cols = "".join(
                f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'
                for index, width in enumerate(widths, start=1)
            )
            head.append(f"<cols>{cols}</cols>")
        head.append("<sheetData>")
        self._landscape = landscape
        self._stream.write("".join(head).encode())

    @property
    def rows_written(self) -> int:
        return self._row

    def row(self, values, *, style: Style | None = None, bold: bool = False, height=None) -> int:
        """Append a row; returns its 1-based number. ``style`` applies to every cell that is not
        a ``Cell``; ``bold`` turns each automatic style into its bold variant."""
        self._row += 1
        number = self._row
        cells = []
        for index, value in enumerate(values):
            ref = f"{_LETTERS[index] if index < 256 else column_letter(index)}{number}"
            if value.__class__ is Cell:
                cells.append(_cell(ref, value.value, value.style, bold))
            else:
                cells.append(_cell(ref, value, style, bold))
        extra = f' ht="{height}" customHeight="1"' if height else ""
        self._pending.append(f'<row r="{number}"{extra}>{"".join(cells)}</row>')
        if len(self._pending) >= _BATCH:
            self._flush()
        return number

    def skip(self, count: int = 1) -> None:
        """Leave ``count`` empty rows."""
        self._row += count

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Merge a block of cells (1-based rows, 0-based columns)."""
        self._merges.append(
            f'<mergeCell ref="{column_letter(first_col)}{first_row}:'
            f'{column_letter(last_col)}{last_row}"/>'
        )

    def _flush(self) -> None:
        if self._pending:
            self._stream.write("".join(self._pending).encode())
            self._pending.clear()

    def close(self) -> None:
        self._flush()
        tail = ["</sheetData>"]
        if self._merges:
            tail.append(
                f'<mergeCells count="{len(self._merges)}">{"".join(self._merges)}</mergeCells>'
            )
        tail.append(
            '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" footer="0.3"/>'
        )
        if self._landscape:
            tail.append(
                '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            )
        tail.append("</worksheet>")
        self._stream.write("".join(tail).encode())
        self._stream.close()


class XlsxStream:
    """A workbook written sheet by sheet into ``target`` (a binary file open for writing)."""

    def __init__(self, target: BinaryIO):
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=5)
        self._sheets: list[tuple[str, SheetWriter]] = []
        self._open: SheetWriter | None = None

    def __enter__(self) -> XlsxStream:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.close()
            return
        # an error while writing: release the file; what was written is not a workbook
        if self._open is not None:
            self._open._stream.close()
            self._open = None
        self._zip.close()

    def sheet(
        self, title: str, *, widths=(), freeze: str | None = None, landscape: bool = False
    ) -> _SheetContext:
        """A new worksheet; write its rows inside ``with`` (one sheet at a time)."""
        if self._open is not None:
            raise RuntimeError("Close the previous sheet first.")
        name = _sheet_name(title, {existing for existing, _w in self._sheets})
        index = len(self._sheets) + 1
        stream = self._zip.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True)
        writer = SheetWriter(stream, widths=widths, freeze=freeze, landscape=landscape)
        self._sheets.append((name, writer))
        self._open = writer
        return _SheetContext(self, writer)

    def _closed(self, writer: SheetWriter) -> None:
        writer.close()
        self._open = None

    def close(self) -> None:
        if self._open is not None:
            self._closed(self._open)
        if not self._sheets:
            with self.sheet("Sheet1"):
                pass
        count = len(self._sheets)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
            for i in range(1, count + 1)
        )
        self._zip.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>',
        )
        self._zip.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        sheets = "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _writer) in enumerate(self._sheets, start=1)
        )
        defined = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
            f"{escape(_quoted_sheet(name))}!${writer.print_title_rows[0]}:"
            f"${writer.print_title_rows[1]}</definedName>"
            for i, (name, writer) in enumerate(self._sheets)
            if writer.print_title_rows
        )
        self._zip.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_REL_NS}>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{defined}</definedNames>" if defined else "")
            + "</workbook>",
        )
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1)
        )
        self._zip.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{relations}<Relationship Id="rId{count + 1}" Type="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        )
        self._zip.writestr("xl/styles.xml", _STYLES_XML)
        self._zip.close()


class _SheetContext:
    def __init__(self, book: XlsxStream, writer: SheetWriter):
        self._book = book
        self._writer = writer

    def __enter__(self) -> SheetWriter:
        return self._writer

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self._book._closed(self._writer)


_FORBIDDEN_IN_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _sheet_name(title: str, taken: set[str]) -> str:
    name = " ".join(printable(title).translate(_FORBIDDEN_IN_NAMES).split())[:31].strip("'")
    name = name or "Sheet"
    candidate, number = name, 2
    while candidate.lower() in {existing.lower() for existing in taken}:
        suffix = f" ({number})"
        candidate = name[: 31 - len(suffix)] + suffix
        number += 1
    return candidate


def _quoted_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"
