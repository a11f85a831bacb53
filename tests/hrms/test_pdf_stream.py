"""Merged PDFs written as they go (``hrms.lib.pdf_stream``): every page of every source, in
order, a title and a bookmark per source, whether appended directly or placed from fragments
written elsewhere (the parts of a bulk export)."""

import io

from pypdf import PdfReader
from reportlab.pdfgen import canvas

from hrms.lib.pdf import BOLD, register_fonts
from hrms.lib.pdf_stream import PdfFragmentWriter, StreamingPdfWriter


def document(number: int, pages: int) -> bytes:
    """A small PDF with the embedded Vietnamese font, as the dossiers have."""
    font = register_fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for index in range(pages):
        page.setFont(font if index else BOLD, 12)
        page.drawString(72, 720, f"Hồ sơ số {number}, trang {index + 1}")
        page.showPage()
    page.save()
    return buffer.getvalue()


SOURCES = [(number, 1 + number % 3) for number in range(7)]  # 1, 2 or 3 pages each


def check(path):
    reader = PdfReader(path, strict=True)
    assert reader.metadata.title == "Sơ yếu lý lịch - Trường THPT Tân Yên"
    assert len(reader.pages) == sum(pages for _number, pages in SOURCES)
    assert [item.title for item in reader.outline] == [f"Người số {n}" for n, _p in SOURCES]
    first = 0
    for (number, pages), item in zip(SOURCES, reader.outline, strict=True):
        assert reader.get_destination_page_number(item) == first
        for index in range(pages):
            text = reader.pages[first + index].extract_text()
            assert f"Hồ sơ số {number}, trang {index + 1}" in text
        first += pages


def test_sources_appended_one_by_one(tmp_path):
    path = tmp_path / "merged.pdf"
    with open(path, "wb") as handle:
        writer = StreamingPdfWriter(handle, title="Sơ yếu lý lịch - Trường THPT Tân Yên")
        for number, pages in SOURCES:
            source = tmp_path / f"{number}.pdf"
            source.write_bytes(document(number, pages))
            assert writer.append(source, bookmark=f"Người số {number}") == pages
        writer.close()
    check(path)


def test_sources_placed_from_fragments_written_elsewhere(tmp_path):
    fragments = []
    for part, chunk in enumerate((SOURCES[:3], SOURCES[3:4], SOURCES[4:])):
        fragment = PdfFragmentWriter(tmp_path / f"part-{part}.frag")
        for number, pages in chunk:
            fragment.append(document(number, pages), bookmark=f"Người số {number}")
        fragment.close()
        fragments.append(tmp_path / f"part-{part}.frag")
    path = tmp_path / "merged.pdf"
    with open(path, "wb") as handle:
        writer = StreamingPdfWriter(handle, title="Sơ yếu lý lịch - Trường THPT Tân Yên")
        for fragment in fragments:
            writer.place(fragment)
        writer.close()
    check(path)


def test_an_empty_document_is_still_a_valid_pdf(tmp_path):
    path = tmp_path / "empty.pdf"
    with open(path, "wb") as handle:
        writer = StreamingPdfWriter(handle, title="Trống")
        writer.close()
    reader = PdfReader(path, strict=True)
    assert len(reader.pages) == 0 and reader.metadata.title == "Trống" and not reader.outline
