"""Check constraints that hold, at the database, the date and number rules the forms apply
(``personnel.validators``): dates from 1900 to today or to 31 December five years ahead, not
before the date of birth or an earlier date of the same row, years from 1900 to this year.

"Today" is computed by the database in the project's time zone (``hrms.lib.db``). Each
constraint's message names its field; services show it when the database refuses a row.
"""

from django.conf import settings
from django.db.models import CheckConstraint, F, Q, Value
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from hrms.lib.db import LocalToday, LocalYear, PartialDateStart, PlanningLimit
from personnel.validators import EARLIEST_DATE, PLANNING_YEARS

BIRTH = "date_of_birth"


def _value(field: str, partial: bool):
    return PartialDateStart(F(field)) if partial else F(field)


def date_check(
    model_name: str,
    field: str,
    label,
    *,
    planned: bool = False,
    partial: bool = False,
    not_before_birth: bool = False,
) -> CheckConstraint:
    """``field`` from 1 January 1900 to today (or, ``planned``, to 31 December five years
    ahead), and with ``not_before_birth`` not before the row's ``date_of_birth``."""
    value = _value(field, partial)
    upper = (
        PlanningLimit(settings.TIME_ZONE, PLANNING_YEARS)
        if planned
        else LocalToday(settings.TIME_ZONE)
    )
    condition = Q(GreaterThanOrEqual(value, Value(EARLIEST_DATE))) & Q(
        LessThanOrEqual(value, upper)
    )
    if not_before_birth:
        condition &= Q(GreaterThanOrEqual(value, F(BIRTH)))
    if planned:
        template = _("{field}: a date from 1900 to 31 December five years ahead.")
    else:
        template = _("{field}: a date from 1900 to today.")
    message = format_lazy(template, field=capfirst(label))
    if not_before_birth:
        message = format_lazy("{} {}", message, _("Not before the date of birth."))
    return CheckConstraint(
        condition=condition, name=f"{model_name}_{field}_range", violation_error_message=message
    )


def order_check(
    model_name: str, earlier: str, later: str, label, earlier_label, *, partial: bool = False
) -> CheckConstraint:
    """``later`` is not before ``earlier`` (both of the same row)."""
    return CheckConstraint(
        condition=Q(GreaterThanOrEqual(_value(later, partial), _value(earlier, partial))),
        name=f"{model_name}_{later}_after_{earlier}",
        violation_error_message=format_lazy(
            _("{field}: not before {other}."), field=capfirst(label), other=earlier_label
        ),
    )


def year_check(model_name: str, field: str, label) -> CheckConstraint:
    """A year from 1900 to this year."""
    return CheckConstraint(
        condition=Q(
            GreaterThanOrEqual(F(field), Value(EARLIEST_DATE.year)),
            LessThanOrEqual(F(field), LocalYear(settings.TIME_ZONE)),
        ),
        name=f"{model_name}_{field}_range",
        violation_error_message=format_lazy(
            _("{field}: a year from 1900 to this year."), field=capfirst(label)
        ),
    )
