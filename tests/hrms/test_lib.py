"""Money formatting and Vietnamese text helpers."""

from decimal import Decimal

import pytest

from hrms.lib.money import format_vnd, round_vnd
from hrms.lib.vietnamese import collation_key, fold, given_name


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1234567"), "1.234.567 đ"),
        (Decimal("0"), "0 đ"),
        (Decimal("999"), "999 đ"),
        (Decimal("123337.5"), "123.338 đ"),
        (Decimal("-2530000"), "-2.530.000 đ"),
        (7590000, "7.590.000 đ"),
        (None, ""),
    ],
)
def test_money_is_shown_the_vietnamese_way(amount, text):
    assert format_vnd(amount) == text


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [("123337.5", "123338"), ("1438937.5", "1438938"), ("0.49", "0"), ("-0.5", "-1")],
)
def test_rounding_is_half_up_to_whole_dong(amount, rounded):
    assert round_vnd(Decimal(amount)) == Decimal(rounded)


def test_fold_removes_accents_and_d_stroke():
    assert fold("  Nguyễn   ĐỨC Ánh ") == "nguyen duc anh"
    assert fold("Nguye\u0302\u0303n") == "nguyen"  # decomposed input


def test_given_name_is_the_last_word():
    assert given_name("Lê Thị Minh Phương") == "Phương"
    assert given_name("") == ""


def test_names_sort_by_given_name_in_vietnamese_alphabet_order():
    names = ["Đỗ Văn Dũng", "Trần Thị Ánh", "Nguyễn Văn An", "Lê Văn Ân", "Phạm Văn Ấn",
             "Vũ Thị Ăn", "Bùi Văn Dung", "Hồ Văn Đông", "Lý Văn Bình"]  # fmt: skip
    ordered = sorted(names, key=collation_key)
    assert [given_name(name) for name in ordered] == [
        "An", "Ánh", "Ăn", "Ân", "Ấn", "Bình", "Dung", "Dũng", "Đông",
    ]  # fmt: skip


def test_same_given_name_sorts_by_the_whole_name():
    assert sorted(["Trần An", "Đặng An", "Dương An"], key=collation_key) == [
        "Dương An",
        "Đặng An",
        "Trần An",
    ]
