"""Partial dates: typed the Vietnamese way, stored sortable, compared by their meaning."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hrms.lib.partial_dates import PartialDate, PartialDateFormField


@pytest.mark.parametrize(
    ("text", "iso", "shown", "precision"),
    [
        ("17/05/1962", "1962-05-17", "17/05/1962", "day"),
        ("1/5/1962", "1962-05-01", "01/05/1962", "day"),
        ("05/1962", "1962-05", "05/1962", "month"),
        ("1962", "1962", "1962", "year"),
        ("1962-05-17", "1962-05-17", "17/05/1962", "day"),
        ("1962-05", "1962-05", "05/1962", "month"),
        (" 17.05.1962 ", "1962-05-17", "17/05/1962", "day"),
    ],
)
def test_parse_store_and_show(text, iso, shown, precision):
    value = PartialDate.parse(text)
    assert (value.iso(), str(value), value.precision) == (iso, shown, precision)
    assert PartialDate.parse(value.iso()) == value


@pytest.mark.parametrize("text", ["31/02/1990", "13/1990", "00/1990", "abc", "19", "1990-13", ""])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_unknown_parts_count_as_the_first_day_and_the_last_day():
    assert PartialDate(1962).first_day == datetime.date(1962, 1, 1)
    assert PartialDate(1962).last_day == datetime.date(1962, 12, 31)
    assert PartialDate(2024, 2).last_day == datetime.date(2024, 2, 29)


def test_ordering_follows_time():
    values = [PartialDate.parse(t) for t in ["05/1962", "1961", "17/05/1962", "1962"]]
    assert [str(v) for v in sorted(values)] == ["1961", "1962", "05/1962", "17/05/1962"]


def test_form_field_message_is_vietnamese():
    field = PartialDateFormField(required=False)
    with pytest.raises(ValidationError) as error:
        field.clean("32/13/2000")
    assert "dd/mm/yyyy" in error.value.messages[0] and "Nhập ngày" in error.value.messages[0]
    assert field.clean("") is None
    assert field.clean("03/2001") == PartialDate(2001, 3)
