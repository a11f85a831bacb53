"""Validators for insurance identifiers, with messages that name the item and the problem
(docs/rules.md §5.8)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The card printed before 2021: 2 letters (beneficiary group), 1 digit (benefit level), 2 digits
# (province), 10 digits (the social-insurance number); the card issued since is the 10-digit
# social-insurance number itself.
HEALTH_CARD_PATTERN = re.compile(r"^(?:[A-Z]{2}[1-5][0-9]{2})?[0-9]{10}$")
HOSPITAL_CODE_PATTERN = re.compile(r"^[0-9]{5}$")
UNIT_CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,10}$")


def validate_health_card(value: str) -> None:
    """A health-insurance card number: 15 characters (e.g. GD4797931234567) or 10 digits."""
    if value and not HEALTH_CARD_PATTERN.match(value):
        raise ValidationError(
            _(
                "The health-insurance card number has 15 characters (two letters, then 13 "
                "digits, e.g. GD4797931234567) or the 10 digits of the social-insurance number."
            ),
            code="invalid_health_card",
        )


def validate_hospital_code(value: str) -> None:
    """The code of the initial-care hospital: 5 digits (province, then facility)."""
    if value and not HOSPITAL_CODE_PATTERN.match(value):
        raise ValidationError(
            _("The initial-care hospital code has exactly 5 digits, e.g. 79024."),
            code="invalid_hospital_code",
        )


def validate_insurance_unit_code(value: str) -> None:
    """The unit's code at the insurance office: 2 to 10 capital letters or digits."""
    if value and not UNIT_CODE_PATTERN.match(value):
        raise ValidationError(
            _(
                "The insurance-office unit code has 2 to 10 capital letters or digits, "
                "e.g. TA0123A."
            ),
            code="invalid_insurance_unit_code",
        )
