"""Partial dates: a year, a month and year, or a full date, as old dossiers often only know.

Stored as text that sorts chronologically ("1962", "1962-05", "1962-05-17"); shown and typed the
Vietnamese way ("1962", "05/1962", "17/05/1962"). When a rule needs a day, an unknown day or
month counts as the first (a birth date known only by year is 1 January of that year).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_INPUT = [
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), ("day", "month", "year")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("year", "month", "day")),
    (re.compile(r"^(\d{1,2})[/.-](\d{4})$"), ("month", "year")),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("year", "month")),
    (re.compile(r"^(\d{4})$"), ("year",)),
]


@dataclass(frozen=True, order=False)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        if not 1000 <= self.year <= 9999:
            raise ValueError("year out of range")
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError("month out of range")
        if self.day is not None:
            datetime.date(self.year, self.month, self.day)  # raises on 31/02 and the like

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read "17/05/1962", "05/1962", "1962" (or the ISO forms); ValueError if not a date."""
        text = (text or "").strip()
        for pattern, parts in _INPUT:
            match = pattern.match(text)
            if match:
                values = dict(zip(parts, (int(group) for group in match.groups()), strict=True))
                return cls(values["year"], values.get("month"), values.get("day"))
        raise ValueError(f"not a date: {text!r}")

    @classmethod
    def from_date(cls, value: datetime.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first_day(self) -> datetime.date:
        """The earliest day the value may mean (unknown parts count as the first)."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> datetime.date:
        """The latest day the value may mean."""
        if self.day:
            return self.first_day
        month = self.month or 12
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        if self.day:
            return f"{self.day:02d}/{self.month:02d}/{self.year:04d}"
        if self.month:
            return f"{self.month:02d}/{self.year:04d}"
        return f"{self.year:04d}"

    def __lt__(self, other: PartialDate) -> bool:
        return self.iso() < other.iso()

    def __le__(self, other: PartialDate) -> bool:
        return self.iso() <= other.iso()

    def is_after(self, day: datetime.date) -> bool:
        """Certainly after ``day`` (even its earliest meaning)."""
        return self.first_day > day


def _to_partial(value) -> PartialDate | None:
    if value in (None, ""):
        return None
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, datetime.date):
        return PartialDate.from_date(value)
    return PartialDate.parse(str(value))


class PartialDateFormField(forms.CharField):
    """Accepts dd/mm/yyyy, mm/yyyy or yyyy."""

    default_error_messages = {
        "invalid": _("Enter a date as dd/mm/yyyy, mm/yyyy or just the year (yyyy)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "data-date": "partial"}
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        partial = value if isinstance(value, PartialDate) else None
        if partial is None and value not in (None, ""):
            try:
                partial = _to_partial(value)
            except ValueError:
                return value
        return str(partial) if partial else ""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error

    def run_validators(self, value):
        super().run_validators(value.iso() if isinstance(value, PartialDate) else value)


class PartialDateField(models.CharField):
    """A model field holding a ``PartialDate`` (text "YYYY", "YYYY-MM" or "YYYY-MM-DD")."""

    description = "A date that may be only a year or a month and year"

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 10
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return _to_partial(value) if value else None

    def to_python(self, value):
        try:
            return _to_partial(value)
        except ValueError as error:
            raise ValidationError(
                _("Enter a date as dd/mm/yyyy, mm/yyyy or just the year (yyyy)."), code="invalid"
            ) from error

    def run_validators(self, value):
        super().run_validators(value.iso() if isinstance(value, PartialDate) else value)

    def get_prep_value(self, value):
        partial = self.to_python(value)
        return partial.iso() if partial else ""

    def value_to_string(self, obj):
        partial = self.value_from_object(obj)
        return partial.iso() if partial else ""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PartialDateFormField, **kwargs})
