"""Validators for identifiers used in personnel records, with Vietnamese-first messages.

Formats: administrative-unit codes (QĐ 124/2004/QĐ-TTg), electronic agency identifiers
(QĐ 20/2020/QĐ-TTg, amended QĐ 09/2025/QĐ-TTg; lenient pattern from RULES.md §10).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
