"""Validators for identifiers used in personnel records, with Vietnamese-first messages.

Formats: administrative-unit codes (QĐ 124/2004/QĐ-TTg), electronic agency identifiers
(QĐ 20/2020/QĐ-TTg, amended QĐ 09/2025/QĐ-TTg; lenient pattern: docs/rules.md §9.4).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hrms.lib.partial_dates import PartialDate

ADMIN_CODE_PATTERNS = {
    "province": r"^[0-9]{2}$",
    "district": r"^[0-9]{3}$",
    "commune": r"^[0-9]{5}$",
}
AGENCY_CODE_PATTERN = re.compile(r"^[0-9A-Z]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$")


def validate_agency_code(value: str) -> None:
    """Electronic agency identifier: four dot-separated groups, e.g. 000.00.00.H41."""
    if value and not AGENCY_CODE_PATTERN.match(value):
        raise ValidationError(
            _(
                "The electronic agency identifier “%(value)s” is not valid: it has four groups "
                "separated by dots, like 000.00.00.H41."
            ),
            code="invalid_agency_code",
            params={"value": value},
        )


# --- Personal identifiers (docs/rules.md §8) ------------------------------------------------------

TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def validate_personal_id(value: str) -> None:
    """Personal ID (CCCD): exactly 12 digits. There is no checksum (docs/rules.md §8.2)."""
    if value and not re.fullmatch(r"[0-9]{12}", value):
        raise ValidationError(
            _("The personal ID number has exactly 12 digits (you entered “%(value)s”)."),
            code="invalid_personal_id",
            params={"value": value},
        )


def validate_old_id_number(value: str) -> None:
    """Old identity card (CMND): 9 digits."""
    if value and not re.fullmatch(r"[0-9]{9}", value):
        raise ValidationError(
            _("The old identity card number has exactly 9 digits."), code="invalid_old_id"
        )


def tax_code_check_digit(first_nine: str) -> int | None:
    """N10 = 10 − (Σ Ni×wi mod 11) with weights 31,29,23,19,17,13,7,5,3; None when it would be
    10, a value never issued (Thông tư 105/2020/TT-BTC; docs/rules.md §8.3)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, TAX_CODE_WEIGHTS, strict=True)
    )
    check = 10 - total % 11
    return None if check == 10 else check


def validate_tax_code(value: str) -> None:
    """Tax code: 10 digits with a valid check digit, or a 12-digit personal ID (from 7/2025)."""
    if not value:
        return
    if re.fullmatch(r"[0-9]{12}", value):
        return
    if not re.fullmatch(r"[0-9]{10}", value):
        raise ValidationError(
            _("The tax code has 10 digits (or 12, the personal ID number)."),
            code="invalid_tax_code",
        )
    if tax_code_check_digit(value[:9]) != int(value[9]):
        raise ValidationError(
            _("The tax code “%(value)s” is not valid: its last digit does not match the others."),
            code="invalid_tax_code_check",
            params={"value": value},
        )


def validate_social_insurance_number(value: str) -> None:
    """Social-insurance number: 10 digits."""
    if value and not re.fullmatch(r"[0-9]{10}", value):
        raise ValidationError(
            _("The social-insurance number has exactly 10 digits."), code="invalid_si_number"
        )


def personal_id_warnings(personal_id: str, *, sex: str, birth_year: int | None) -> list[str]:
    """Soft checks of a personal ID against the record: the century/sex digit and the two
    birth-year digits (docs/rules.md §8.2). Returned as messages; they never block saving."""
    if not personal_id or not re.fullmatch(r"[0-9]{12}", personal_id):
        return []
    warnings = []
    digit = int(personal_id[3])
    if digit > 3:
        # Births after 2099 or before 1900 use other digits; nobody on staff has them.
        return [str(_("The 4th digit of the personal ID should be 0–3 (century and sex)."))]
    female = digit % 2 == 1
    if sex and female != (sex == "female"):
        warnings.append(
            str(_("The personal ID's 4th digit says %(id_sex)s, the record says %(record_sex)s."))
            % {
                "id_sex": _("female") if female else _("male"),
                "record_sex": _("female") if sex == "female" else _("male"),
            }
        )
    if birth_year:
        century = 1900 if digit < 2 else 2000
        id_year = century + int(personal_id[4:6])
        if id_year != birth_year:
            warnings.append(
                str(_("The personal ID gives the birth year %(id_year)d, the record %(year)d."))
                % {"id_year": id_year, "year": birth_year}
            )
    return warnings


# --- Dates and other bounds (issue 8) -----------------------------------------------------------
#
# Every date of a dossier, its rows, movements and salary decisions lies between 1 January 1900
# and either today (what has happened: births, papers, recruitment, training started,
# disciplines, Party and military dates, decisions signed) or 31 December of the fifth year
# ahead (what may be planned: movements, salary decisions taking effect, status and position
# changes, periods ending, due lists). Movements and the record's own dates are not before the
# date of birth. The database holds the same bounds as check constraints (personnel and payroll
# migrations), computed in the project's time zone.

EARLIEST_DATE = datetime.date(1900, 1, 1)
PLANNING_YEARS = 5
PHONE_PATTERN = r"^\+?([0-9][ .]?){7,14}[0-9]$"  # 8 to 15 digits, single spaces or dots between


def today() -> datetime.date:
    return timezone.localdate()


def latest_planned_date(day: datetime.date | None = None) -> datetime.date:
    """The latest date a planned change may take effect: 31 December five years ahead."""
    return datetime.date((day or today()).year + PLANNING_YEARS, 12, 31)


def _first_day(value) -> datetime.date | None:
    """The earliest day a date, a partial date or its text form ("1962-05") may mean."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return PartialDate.parse(value).first_day
    return value.first_day


def validate_not_before_1900(value) -> None:
    """Dates before 1900 are typing mistakes (nobody on the records was born earlier)."""
    day = _first_day(value)
    if day is not None and day < EARLIEST_DATE:
        raise ValidationError(_("Dates before 1900 are not accepted."), code="before_1900")


def validate_not_in_future(value) -> None:
    """What has happened cannot be dated after today."""
    validate_not_before_1900(value)
    day = _first_day(value)
    if day is not None and day > today():
        raise ValidationError(_("This date is in the future."), code="future")


def validate_planned(value) -> None:
    """A planned change takes effect at most five years ahead (31 December)."""
    validate_not_before_1900(value)
    day = _first_day(value)
    if day is not None and day > latest_planned_date():
        raise ValidationError(
            _("This date is too far ahead: at most %(date)s."),
            code="too_far_ahead",
            params={"date": latest_planned_date().strftime("%d/%m/%Y")},
        )


def validate_year_not_in_future(value) -> None:
    """A year from 1900 to this year."""
    if value is not None and value < EARLIEST_DATE.year:
        raise ValidationError(_("Years before 1900 are not accepted."), code="before_1900")
    if value is not None and value > today().year:
        raise ValidationError(_("This year is in the future."), code="future")


def validate_phone(value: str) -> None:
    """A phone number: digits with an optional leading +, single spaces or dots between."""
    if value and not re.fullmatch(PHONE_PATTERN, value):
        raise ValidationError(
            _(
                "The phone number has 8 to 15 digits, may start with + and may be grouped by "
                "spaces or dots (you entered “%(value)s”)."
            ),
            code="invalid_phone",
            params={"value": value},
        )
