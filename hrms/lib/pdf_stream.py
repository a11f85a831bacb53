"""One PDF written as it goes, from many small ones: memory stays flat whatever their number.

``pypdf.PdfWriter`` keeps every page it is given until the end; a merged file of thousands of
dossiers would hold them all. ``StreamingPdfWriter`` instead copies each source document's
objects to the output file as soon as it is appended (renumbered, nothing rewritten inside
their streams) and keeps only what the end of the file needs: each object's offset (8 bytes),
one entry per source document in the page tree, and the previous bookmark.

The document gets a title (metadata, shown by viewers in place of the file name) and, when
asked, a bookmark (outline entry) per source document, pointing to its first page.
"""

from __future__ import annotations

import hashlib
import io
import json
from array import array
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


class StreamingPdfWriter:
    """Write to ``handle`` (a binary file open for writing): ``append()`` each source document,
    then ``close()`` (which writes the page tree, the bookmarks and the cross-reference table).
    """

    def __init__(self, handle: BinaryIO, *, title: str = "", producer: str = "hrms"):
        self._out = handle
        self._offsets = array("Q", [0])  # by object number; object 0 is the free list head
        self._out.write(HEADER)
        self._catalog = self._reserve()
        self._pages = self._reserve()
        self._outline = self._reserve()
        self._info = self._reserve()
        self._title = title
        self._producer = producer
        self._kids = array("Q")  # one page-tree node per source document
        self.page_count = 0
        self.bookmark_count = 0
        self._first_bookmark = 0
        self._last_bookmark = 0
        self._pending: tuple[int, str, int, int] | None = None  # (number, title, page, prev)
        self._digest = hashlib.md5(usedforsecurity=False)

    # --- Public ----------------------------------------------------------------------------

    def append(self, source: Path | bytes, *, bookmark: str = "") -> int:
        """Copy every page of ``source`` (a file or PDF bytes); with ``bookmark``, an outline
        entry pointing to its first page. Returns the number of pages copied."""
        reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else str(source))
        node = self._reserve()
        numbers: dict[tuple[int, int], int] = {}
        queue: list[IndirectObject] = []
        pages = []
        for page in reader.pages:
            reference = page.indirect_reference
            number = self._reserve()
            numbers[(reference.idnum, reference.generation)] = number
            pages.append((number, page))
        for number, page in pages:
            entries = {key: value for key, value in page.items() if key != "/Parent"}
            for key in INHERITED:
                if key not in entries:
                    inherited = _inherited(page, key)
                    if inherited is not None:
                        entries[key] = inherited
            body = io.BytesIO()
            body.write(b"<<")
            for key, value in entries.items():
                NameObject(key).write_to_stream(body)
                body.write(b" ")
                self._serialize(value, body, numbers, queue)
                body.write(b"\n")
            body.write(b"/Parent ")
            self._ref(body, node)
            body.write(b">>")
            self._write(number, body.getvalue())
        while queue:
            reference = queue.pop()
            number = numbers[(reference.idnum, reference.generation)]
            body = io.BytesIO()
            self._serialize(reader.get_object(reference), body, numbers, queue)
            self._write(number, body.getvalue())
        body = io.BytesIO()
        body.write(b"<</Type /Pages /Parent ")
        self._ref(body, self._pages)
        body.write(b" /Kids [")
        for index, (number, _page) in enumerate(pages):
            if index:
                body.write(b" ")
            self._ref(body, number)
        body.write(b"] /Count %d>>" % len(pages))
        self._write(node, body.getvalue())
        self._kids.append(node)
        self.page_count += len(pages)
        if bookmark and pages:
            self._bookmark(bookmark, pages[0][0])
        return len(pages)

    def place(self, fragment: Path) -> None:
        """Copy a fragment (see ``PdfFragmentWriter``) as it stands: its objects renumbered
        in place, without parsing them again."""
        index = json.loads(fragment.with_suffix(".json").read_text())
        data = bytearray(fragment.read_bytes())
        base = len(self._offsets) - FIRST_LOCAL
        self._offsets.extend([0] * (index["count"] - FIRST_LOCAL))
        pages = self._pages
        for position in array("Q", fragment.with_suffix(".refs").read_bytes()):
            local = int(data[position : position + 10])
            data[position : position + 10] = b"%010d" % (
                pages if local == LOCAL_PAGES else base + local
            )
        start = self._out.tell()
        self._out.write(data)
        for local, offset in zip(index["objects"][0::2], index["objects"][1::2], strict=True):
            self._offsets[base + local] = start + offset
        self._kids.extend(base + local for local in index["kids"])
        self.page_count += index["pages"]
        for title, local in index["bookmarks"]:
            self._bookmark(title, base + local)
        self._digest.update(bytes(data[:64]))

    def close(self) -> None:
        """Write what ties the document together; the handle stays open."""
        if self._pending is not None:
            self._write_bookmark(*self._pending, following=0)
            self._pending = None
        kids = b" ".join(b"%d 0 R" % number for number in self._kids)
        self._write(self._pages, b"<</Type /Pages /Kids [%s] /Count %d>>" % (kids, self.page_count))
        catalog = b"<</Type /Catalog /Pages %d 0 R" % self._pages
        if self.bookmark_count:
            self._write(
                self._outline,
                b"<</Type /Outlines /First %d 0 R /Last %d 0 R /Count %d>>"
                % (self._first_bookmark, self._last_bookmark, self.bookmark_count),
            )
            catalog += b" /Outlines %d 0 R /PageMode /UseOutlines" % self._outline
        else:
            self._write(self._outline, b"null")
        if self._title:
            catalog += b" /ViewerPreferences <</DisplayDocTitle true>>"
        self._write(self._catalog, catalog + b" /Lang (vi)>>")
        info = io.BytesIO()
        info.write(b"<<")
        for key, value in (("/Title", self._title), ("/Producer", self._producer)):
            if value:
                info.write(key.encode() + b" ")
                TextStringObject(value).write_to_stream(info)
        info.write(b">>")
        self._write(self._info, info.getvalue())
        start = self._out.tell()
        count = len(self._offsets)
        self._out.write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
        for begin in range(1, count, 4096):
            batch = self._offsets[begin : begin + 4096]
            self._out.write(b"".join(b"%010d 00000 n \n" % offset for offset in batch))
        identifier = self._digest.hexdigest().encode()
        self._out.write(
            b"trailer\n<</Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>]>>\n"
            % (count, self._catalog, self._info, identifier, identifier)
        )
        self._out.write(b"startxref\n%d\n%%%%EOF\n" % start)

    # --- Internals ---------------------------------------------------------------------------

    def _reserve(self) -> int:
        self._offsets.append(0)
        return len(self._offsets) - 1

    def _ref(self, out, number: int) -> None:
        out.write(b"%d 0 R" % number)

    def _write(self, number: int, body: bytes) -> None:
        self._offsets[number] = self._out.tell()
        self._out.write(b"%d 0 obj\n" % number)
        self._out.write(body)
        self._out.write(b"\nendobj\n")
        self._digest.update(body[:64])

    def _bookmark(self, title: str, page: int) -> None:
        number = self._reserve()
        if self._pending is not None:
            self._write_bookmark(*self._pending, following=number)
        else:
            self._first_bookmark = number
        self._pending = (number, title, page, self._last_bookmark)
        self._last_bookmark = number
        self.bookmark_count += 1

    def _write_bookmark(self, number: int, title: str, page: int, previous: int, *, following):
        body = io.BytesIO()
        body.write(b"<</Title ")
        TextStringObject(title).write_to_stream(body)
        body.write(b" /Parent %d 0 R /Dest [%d 0 R /Fit]" % (self._outline, page))
        if previous:
            body.write(b" /Prev %d 0 R" % previous)
        if following:
            body.write(b" /Next %d 0 R" % following)
        body.write(b">>")
        self._write(number, body.getvalue())

    def _serialize(self, value, out, numbers, queue) -> None:
        """Write ``value`` with its references renumbered; objects met for the first time are
        given a number and queued for copying."""
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            number = numbers.get(key)
            if number is None:
                number = numbers[key] = self._reserve()
                queue.append(value)
            self._ref(out, number)
        elif isinstance(value, StreamObject):
            data = value._data
            out.write(b"<<")
            for key, item in value.items():
                if key == "/Length":
                    continue
                NameObject(key).write_to_stream(out)
                out.write(b" ")
                self._serialize(item, out, numbers, queue)
                out.write(b"\n")
            out.write(b"/Length %d>>\nstream\n" % len(data))
            out.write(data)
            out.write(b"\nendstream")
        elif isinstance(value, DictionaryObject):
            out.write(b"<<")
            for key, item in value.items():
                NameObject(key).write_to_stream(out)
                out.write(b" ")
                self._serialize(item, out, numbers, queue)
                out.write(b"\n")
            out.write(b">>")
        elif isinstance(value, ArrayObject):
            out.write(b"[")
            for index, item in enumerate(value):
                if index:
                    out.write(b" ")
                self._serialize(item, out, numbers, queue)
            out.write(b"]")
        else:
            value.write_to_stream(out)


def _inherited(page, key):
    node = page.get("/Parent")
    while node is not None:
        node = node.get_object()
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


FIRST_LOCAL = 5  # a fragment's objects 1-4 stand for the document's own (catalog, pages…)
LOCAL_PAGES = 2


class PdfFragmentWriter(StreamingPdfWriter):
    """The pages of several PDFs, copied as ``StreamingPdfWriter.append`` copies them, into a
    fragment that ``StreamingPdfWriter.place`` later puts into a document without parsing
    anything again: object numbers are written ten digits wide (leading zeros are valid PDF
    integers) and their positions are kept, so they can be renumbered in place. Parts of a
    bulk export are written as fragments by every worker; the one assembling only copies.

    ``path`` gets the objects, ``path.json`` the index, ``path.refs`` the positions."""

    def __init__(self, path: Path):
        self._path = path
        self._handle = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._positions = array("Q")
        self._objects: list[int] = []
        self._bookmarks: list[tuple[str, int]] = []
        self._body_refs: list[int] = []
        super().__init__(self._handle)
        self._handle.seek(0)
        self._handle.truncate()  # no header: the fragment goes inside a document

    def _ref(self, out, number: int) -> None:
        self._body_refs.append(out.tell())
        out.write(b"%010d 0 R" % number)

    def _write(self, number: int, body: bytes) -> None:
        start = self._out.tell()
        header = b"%010d 0 obj\n" % number
        self._positions.append(start)
        self._positions.extend(start + len(header) + position for position in self._body_refs)
        self._body_refs = []
        self._objects += [number, start]
        self._out.write(header)
        self._out.write(body)
        self._out.write(b"\nendobj\n")

    def _bookmark(self, title: str, page: int) -> None:
        self._bookmarks.append((title, page))

    def close(self) -> None:
        self._handle.close()
        self._path.with_suffix(".refs").write_bytes(self._positions.tobytes())
        self._path.with_suffix(".json").write_text(
            json.dumps(
                {
                    "count": len(self._offsets),
                    "objects": self._objects,
                    "kids": list(self._kids),
                    "pages": self.page_count,
                    "bookmarks": self._bookmarks,
                }
            )  # fmt: skip
        )
