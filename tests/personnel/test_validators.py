"""Identifier rules (docs/rules.md §8, §9.4)."""

import pytest
from django.core.exceptions import ValidationError

from personnel.validators import (
    personal_id_warnings,
    tax_code_check_digit,
    validate_old_id_number,
    validate_personal_id,
    validate_social_insurance_number,
    validate_tax_code,
)


@pytest.mark.parametrize("value", ["037185000123", "001099123456"])
def test_twelve_digit_personal_ids_pass(value):
    validate_personal_id(value)


@pytest.mark.parametrize(
    "value", ["03718500012", "0371850001234", "03718500012A", "037 185 000 12"]
)
def test_other_personal_ids_are_refused_with_the_value_named(value):
    with pytest.raises(ValidationError) as error:
        validate_personal_id(value)
    assert "12 chữ số" in error.value.messages[0] and value in error.value.messages[0]


@pytest.mark.parametrize(
    ("first_nine", "check"),
    [("010010910", 6), ("010124315", 0), ("800000000", 4)],
)
def test_tax_code_check_digit(first_nine, check):
    assert tax_code_check_digit(first_nine) == check


def test_a_check_digit_of_ten_is_never_issued():
    candidates = (f"{n:09d}" for n in range(10**5))
    nine = next(c for c in candidates if tax_code_check_digit(c) is None)
    for last in "0123456789":
        with pytest.raises(ValidationError):
            validate_tax_code(nine + last)


@pytest.mark.parametrize("value", ["0100109106", "0101243150", "037185000123", ""])
def test_valid_tax_codes(value):
    validate_tax_code(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0100109107", "chữ số kiểm tra"),
        ("010010910", "10 chữ số"),
        ("01001091061", "10 chữ số"),
        ("0100109106-001", "10 chữ số"),
    ],
)
def test_invalid_tax_codes(value, message):
    with pytest.raises(ValidationError) as error:
        validate_tax_code(value)
    assert message in error.value.messages[0]


def test_social_insurance_and_old_id_numbers():
    validate_social_insurance_number("0123456789")
    validate_old_id_number("123456789")
    with pytest.raises(ValidationError, match="10 chữ số"):
        validate_social_insurance_number("012345678")
    with pytest.raises(ValidationError, match="9 chữ số"):
        validate_old_id_number("1234567890")


@pytest.mark.parametrize(
    ("personal_id", "sex", "year", "warnings"),
    [
        ("037185000123", "female", 1985, 0),  # 1 = female, 1900s; year 85
        ("037185000123", "male", 1985, 1),  # the sex digit disagrees
        ("037085000123", "female", 1985, 1),
        ("037185000123", "female", 1986, 1),  # the year digits disagree
        ("037303000123", "female", 2003, 0),  # 3 = female, 2000s
        ("037203000123", "female", 1903, 2),  # both disagree
        ("037703000123", "male", 1980, 1),  # century digit out of range
    ],
)
def test_personal_id_soft_checks(personal_id, sex, year, warnings):
    found = personal_id_warnings(personal_id, sex=sex, birth_year=year)
    assert len(found) == warnings, found
