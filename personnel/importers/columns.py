"""Columns of an import template and how loose files are matched to them.

Headers are compared without accents, case, punctuation or repeated spaces, and each column
has known aliases (the names units' own spreadsheets use). Values are read leniently: numbers
stored as text, identifiers typed as numbers (the leading zeros Excel dropped are put back),
dates as real dates or as text, and partial dates (``1962``, ``05/1962``) where the form
allows them.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hrms.lib.partial_dates import PartialDate
from hrms.lib.text import normalize_text
from hrms.lib.vietnamese import fold
from personnel.importers.reading import cell_text, is_blank


def header_key(text) -> str:
    """A header reduced to accent-free lower-case words: "Ngày sinh (*)" → "ngay sinh"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(cell_text(text))).split())


@dataclass
class Column:
    """One column of a template: the field it fills, its header and aliases, and its reader."""

    key: str
    header: str
    parse: Callable
    aliases: tuple[str, ...] = ()
    example: object = ""
    choices: Callable | None = None  # the drop-down list: () -> list of texts
    width: int = 16
    note: str = ""

    def header_keys(self) -> set[str]:
        return {header_key(self.header), *(header_key(alias) for alias in self.aliases)}


@dataclass
class Header:
    """Which column of the file feeds which template column, and what was left unread."""

    positions: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


IGNORED_HEADERS = {"stt", "tt", "so tt", "so thu tu", "loi", "ghi chu loi"}


def match_header(row: list, columns: list[Column]) -> Header:
    """Match the file's header row to ``columns`` (first match wins; unknown headers ignored)."""
    lookup = {}
    for column in columns:
        for key in column.header_keys():
            lookup.setdefault(key, column.key)
    header = Header()
    for position, text in enumerate(row):
        key = header_key(text)
        if not key:
            continue
        name = lookup.get(key)
        if name and name not in header.positions:
            header.positions[name] = position
        elif key not in IGNORED_HEADERS:
            header.ignored.append(cell_text(text))
    return header


# --- Readers: cell value → Python value, or ValidationError with a message --------------------


def text(max_length: int):
    def read(value) -> str:
        # as the forms store text: no control or invisible characters, NFC, one line
        result = " ".join(normalize_text(cell_text(value)).split())
        if len(result) > max_length:
            raise ValidationError(
                _("At most %(limit)d characters (this cell has %(count)d).")
                % {"limit": max_length, "count": len(result)}
            )
        return result

    return read


def digits(width: int):
    """An identifier of digits: a number Excel stored loses its leading zeros, put back."""

    def read(value) -> str:
        if isinstance(value, float | int) and not isinstance(value, bool):
            if value != int(value) or value < 0:
                raise ValidationError(_("Only digits are expected here."))
            result = str(int(value))
            return result.zfill(width) if len(result) < width else result
        result = re.sub(r"[\s.]", "", cell_text(value)).lstrip("'")
        return result

    return read


def phone(value) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = str(int(value))
        return number if number.startswith("84") else "0" + number
    return " ".join(cell_text(value).split())


def partial_date(value) -> PartialDate:
    if isinstance(value, datetime.datetime):
        return PartialDate.from_date(value.date())
    if isinstance(value, datetime.date):
        return PartialDate.from_date(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return PartialDate.parse(cell_text(value))
    except ValueError as error:
        raise ValidationError(
            _("Enter a date as dd/mm/yyyy, mm/yyyy or just the year (yyyy).")
        ) from error


def full_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        partial = PartialDate.parse(cell_text(value))
    except ValueError:
        partial = None
    if partial is None or partial.day is None:
        raise ValidationError(_("Enter a full date as dd/mm/yyyy."))
    return partial.first_day


def choice(options: list[tuple[str, str, tuple[str, ...]]]):
    """One of ``options`` (value, Vietnamese name, aliases), by name, alias or value."""
    lookup = {}
    for value, name, aliases in options:
        for key in (value, name, *aliases):
            lookup[header_key(key)] = value

    def read(raw) -> str:
        found = lookup.get(_choice_key(raw) if isinstance(raw, str) else header_key(raw))
        if found is None:
            raise ValidationError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": cell_text(raw), "choices": ", ".join(name for _v, name, _a in options)}
            )
        return found

    read.names = [name for _value, name, _aliases in options]
    return read


@lru_cache(maxsize=4096)
def _choice_key(text: str) -> str:
    return header_key(text)


def blank(value) -> bool:
    return is_blank(value)
