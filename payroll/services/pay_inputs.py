"""Writes to a person's pay inputs: allowances of their own, registered dependants, union
membership and the bank account (docs/rules.md §3, §6.2, §5.6, §10.4).

Every write is keyword-only, runs in one transaction, locks the staff row (and the row it
changes), checks everything before writing anything, and is attributed in the history with the
actor and the reason. Nobody edits their own pay inputs (four eyes). Allowances are never
deleted once paid: they are end-dated; a mistaken row that no locked payslip month covers may be
removed. A change to a month already locked is paid as arrears by the next run (§7.5).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hrms.lib.audit import audited
from payroll.models import (
    AllowanceAssignment,
    AllowanceType,
    Dependant,
    PayProfile,
)
from payroll.selectors.month import (
    BEYOND_SCALE_CODE,
    LEADERSHIP_CODE,
    RESERVED_CODE,
    SENIORITY_CODE,
)
from payroll.selectors.pay_inputs import covers_locked_month, locked_periods
from personnel.models import Staff
from personnel.permissions import Act, four_eyes_refusal
from personnel.validators import validate_tax_code

# Allowances a person never receives through an assignment of their own: the salary decision
# carries leadership, beyond-scale seniority and the reserved difference (docs/rules.md §3.2,
# §3.3, §3.5); the public-service and area allowances come with the unit (§3.6, §3.8).
FROM_SALARY_DECISION = frozenset({LEADERSHIP_CODE, BEYOND_SCALE_CODE, RESERVED_CODE})
PUBLIC_SERVICE_CODE = "CONGVU"
AREA_CODE = "KHUVUC"
FROM_UNIT = frozenset({PUBLIC_SERVICE_CODE, AREA_CODE})
NOT_ASSIGNABLE = FROM_SALARY_DECISION | FROM_UNIT

BANK_ACCOUNT = re.compile(r"^[0-9]{6,32}$")
_NAME_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class AllowanceValues:
    """What a clerk enters for a person's allowance."""

    allowance_type: AllowanceType
    valid_from: datetime.date
    value: Decimal = Decimal(0)
    since: datetime.date | None = None
    valid_to: datetime.date | None = None
    decision: str = ""
    note: str = ""


@dataclass(frozen=True)
class DependantValues:
    """What a clerk enters for a registered dependant (months as any day of the month)."""

    full_name: str
    relation: str
    from_month: datetime.date
    to_month: datetime.date | None = None
    birth_date: datetime.date | None = None
    tax_code: str = ""


def _refuse_own(actor, staff_id: int) -> None:
    refusal = four_eyes_refusal(actor=actor, act=Act.EDIT, concerns=[staff_id])
    if refusal:
        raise ValidationError(refusal, code="four_eyes")


def _lock_staff(staff_id: int) -> Staff:
    return Staff.objects.select_for_update().get(pk=staff_id)


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _month(day: datetime.date) -> str:
    return day.strftime("%m/%Y")


def _number(value: Decimal) -> str:
    """0.100 → "0,1", 10.000 → "10" (in the user's language)."""
    return number_format(int(value) if value == value.to_integral() else value.normalize())


def _first_of_month(day: datetime.date | None) -> datetime.date | None:
    return day.replace(day=1) if day else None


def _in_force(allowance_type: AllowanceType, day: datetime.date) -> bool:
    return allowance_type.valid_from <= day and (
        allowance_type.valid_to is None or allowance_type.valid_to >= day
    )


def assignable_types(on: datetime.date):
    """Allowance types a person can be granted on ``on``: in force, and not carried by the
    salary decision or the unit."""
    return (
        AllowanceType.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(valid_from__lte=on)
        .exclude(code__in=NOT_ASSIGNABLE)
        .order_by("name")
    )


# --- Allowances ----------------------------------------------------------------------------


def _check_allowance(
    staff: Staff, values: AllowanceValues, *, exclude_pk: int | None = None
) -> dict[str, str]:
    """Every problem with ``values`` for ``staff``, keyed by field (nothing is written)."""
    errors: dict[str, str] = {}
    kind = values.allowance_type
    name = kind.name
    if kind.code in FROM_SALARY_DECISION:
        errors["allowance_type"] = _(
            "Allowance: %(name)s comes with the salary decision; enter it there."
        ) % {"name": name}
        return errors
    if kind.code in FROM_UNIT:
        errors["allowance_type"] = _(
            "Allowance: %(name)s comes with the unit the person works in (an allowance of the "
            "unit); it is not granted to one person."
        ) % {"name": name}
        return errors
    if not _in_force(kind, values.valid_from):
        errors["allowance_type"] = _("Allowance: %(name)s is not in force on %(date)s.") % {
            "name": name,
            "date": _date(values.valid_from),
        }
    value = values.value if values.value is not None else Decimal(0)
    if kind.code == SENIORITY_CODE:
        # The percentage follows from the years counted from ``since`` (docs/rules.md §3.4).
        if values.since is None:
            errors["since"] = _(
                "Counting from: professional seniority needs the date the years in the "
                "profession count from."
            )
        elif values.since > values.valid_from:
            errors["since"] = _(
                "Counting from: the years in the profession cannot count from a date after the "
                "allowance starts (%(date)s)."
            ) % {"date": _date(values.valid_from)}
        if value:
            errors["value"] = _(
                "Value: professional seniority follows from the date it counts from; leave the "
                "value at 0."
            )
    else:
        if values.since is not None:
            errors["since"] = _(
                "Counting from: only professional seniority counts from a date; leave it empty."
            )
        problem = _value_problem(kind, value)
        if problem:
            errors["value"] = problem
    if values.valid_to is not None and values.valid_to < values.valid_from:
        errors["valid_to"] = _("Until: the end (%(end)s) comes before the start (%(start)s).") % {
            "end": _date(values.valid_to),
            "start": _date(values.valid_from),
        }
    elif kind.time_limited and values.valid_to is None:
        errors["valid_to"] = _(
            "Until: %(name)s is granted for a limited time; enter the last day it is paid."
        ) % {"name": name}
    if not errors:
        overlapping = _overlapping_allowance(staff, values, exclude_pk=exclude_pk)
        if overlapping is not None:
            errors["valid_from"] = _(
                "From: the person already receives %(name)s from %(start)s%(until)s; end that "
                "row first or correct it."
            ) % {
                "name": name,
                "start": _date(overlapping.valid_from),
                "until": _(" until %(date)s") % {"date": _date(overlapping.valid_to)}
                if overlapping.valid_to
                else "",
            }
    return errors


def _value_problem(kind: AllowanceType, value: Decimal) -> str | None:
    """Why ``value`` cannot be granted to a person for ``kind`` (the values and range on the
    allowance type, with their legal basis; docs/rules.md §3.9–§3.12), or None."""
    if value <= 0:
        return _("Value: enter the coefficient or percentage, above zero.")
    if kind.person_values:
        allowed = sorted(kind.person_values)
        if value not in allowed:
            return _("Value: %(name)s is granted at %(values)s only (%(basis)s).") % {
                "name": kind.name,
                "values": "; ".join(_number(item) for item in allowed),
                "basis": kind.legal_basis,
            }
    low, high = kind.person_min, kind.person_max
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            limits = _("from %(low)s to %(high)s") % {"low": _number(low), "high": _number(high)}
        elif low is not None:
            limits = _("at least %(low)s") % {"low": _number(low)}
        else:
            limits = _("at most %(high)s") % {"high": _number(high)}
        return _("Value: %(name)s is %(limits)s (%(basis)s).") % {
            "name": kind.name,
            "limits": limits,
            "basis": kind.legal_basis,
        }
    return None


def _overlapping_allowance(
    staff: Staff, values: AllowanceValues, *, exclude_pk: int | None
) -> AllowanceAssignment | None:
    """A row of the same allowance for ``staff`` whose period meets ``values``' period (one
    row of a kind at a time: the payroll pays the latest)."""
    rows = AllowanceAssignment.objects.filter(
        staff=staff, allowance_type=values.allowance_type
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=values.valid_from))
    if values.valid_to is not None:
        rows = rows.filter(valid_from__lte=values.valid_to)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.order_by("valid_from").first()


@transaction.atomic
def allowance_assign(*, staff: Staff, values: AllowanceValues, actor) -> AllowanceAssignment:
    """Grant ``staff`` an allowance of their own from a date (until a date, or open-ended)."""
    _refuse_own(actor, staff.pk)
    staff = _lock_staff(staff.pk)
    errors = _check_allowance(staff, values)
    if errors:
        raise ValidationError(errors)
    with audited(actor, _("Allowance granted")):
        return AllowanceAssignment.objects.create(
            staff=staff,
            allowance_type=values.allowance_type,
            value=values.value or Decimal(0),
            since=values.since,
            valid_from=values.valid_from,
            valid_to=values.valid_to,
            decision=values.decision.strip(),
            note=values.note.strip(),
            recorded_by=actor,
        )


def _lock_assignment(assignment: AllowanceAssignment) -> tuple[Staff, AllowanceAssignment]:
    staff = _lock_staff(assignment.staff_id)
    locked = (
        AllowanceAssignment.objects.select_for_update()
        .select_related("allowance_type")
        .get(pk=assignment.pk)
    )
    return staff, locked


@transaction.atomic
def allowance_correct(
    *, assignment: AllowanceAssignment, values: AllowanceValues, actor
) -> AllowanceAssignment:
    """Correct a person's allowance (value, dates, decision, note; not its kind). Months
    already locked keep what was paid; the next run pays the difference as arrears."""
    _refuse_own(actor, assignment.staff_id)
    staff, assignment = _lock_assignment(assignment)
    if values.allowance_type.pk != assignment.allowance_type_id:
        raise ValidationError(
            {
                "allowance_type": _(
                    "Allowance: the kind of a recorded allowance cannot change; end it and add "
                    "the new one."
                )
            }
        )
    errors = _check_allowance(staff, values, exclude_pk=assignment.pk)
    if errors:
        raise ValidationError(errors)
    with audited(actor, _("Allowance corrected")):
        assignment.value = values.value or Decimal(0)
        assignment.since = values.since
        assignment.valid_from = values.valid_from
        assignment.valid_to = values.valid_to
        assignment.decision = values.decision.strip()
        assignment.note = values.note.strip()
        assignment.save()
    return assignment


@transaction.atomic
def allowance_end(
    *, assignment: AllowanceAssignment, valid_to: datetime.date, actor
) -> AllowanceAssignment:
    """End a person's allowance: ``valid_to`` is the last day it is paid."""
    _refuse_own(actor, assignment.staff_id)
    _staff, assignment = _lock_assignment(assignment)
    if valid_to is None:
        raise ValidationError({"valid_to": _("Until: enter the last day it is paid.")})
    if valid_to < assignment.valid_from:
        raise ValidationError(
            {
                "valid_to": _(
                    "Until: the allowance starts on %(start)s; it cannot end before. If it was "
                    "recorded by mistake, remove it."
                )
                % {"start": _date(assignment.valid_from)}
            }
        )
    with audited(actor, _("Allowance ended")):
        assignment.valid_to = valid_to
        assignment.save(update_fields=["valid_to", "updated_at"])
    return assignment


@transaction.atomic
def allowance_remove(*, assignment: AllowanceAssignment, reason: str, actor) -> None:
    """Remove an allowance recorded by mistake. Refused once any locked payslip month falls in
    its period: a paid allowance stays (end it instead)."""
    _refuse_own(actor, assignment.staff_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {"reason": _("Reason: say why the allowance is removed (it was recorded by mistake…).")}
        )
    _staff, assignment = _lock_assignment(assignment)
    if covers_locked_month(
        assignment.valid_from, assignment.valid_to, locked_periods(assignment.staff_id)
    ):
        raise ValidationError(
            _(
                "This allowance falls in a month whose payroll is locked: it was paid and stays "
                "on record. End it (or correct it) instead; the next payroll settles the "
                "difference."
            ),
            code="paid",
        )
    with audited(actor, _("Allowance removed: %(reason)s") % {"reason": reason[:200]}):
        assignment.delete()


# --- Dependants ----------------------------------------------------------------------------


def _clean_dependant(values: DependantValues) -> DependantValues:
    return DependantValues(
        full_name=_NAME_SPACES.sub(" ", values.full_name or "").strip(),
        relation=values.relation,
        from_month=_first_of_month(values.from_month),
        to_month=_first_of_month(values.to_month),
        birth_date=values.birth_date,
        tax_code=(values.tax_code or "").strip(),
    )


def _check_dependant(
    staff: Staff, values: DependantValues, *, exclude_pk: int | None = None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values.full_name:
        errors["full_name"] = _("Full name: enter the dependant's full name.")
    if values.relation not in Dependant.Relation.values:
        errors["relation"] = _("Relation: choose how the dependant is related to the person.")
    if values.from_month is None:
        errors["from_month"] = _("From month: enter the first month the deduction counts.")
        return errors
    if values.to_month is not None and values.to_month < values.from_month:
        errors["to_month"] = _("To month: %(to)s comes before the first month (%(from)s).") % {
            "to": _month(values.to_month),
            "from": _month(values.from_month),
        }
    born = values.birth_date
    if born is not None:
        if born > timezone.localdate():
            errors["birth_date"] = _("Date of birth: this date is in the future.")
        elif values.from_month < born.replace(day=1):
            errors["from_month"] = _(
                "From month: the dependant was born in %(month)s; the deduction cannot count "
                "from before."
            ) % {"month": _month(born)}
    if values.tax_code:
        try:
            validate_tax_code(values.tax_code)
        except ValidationError as error:
            errors["tax_code"] = _("Tax code or personal ID: %(problem)s") % {
                "problem": " ".join(error.messages)
            }
    if errors:
        return errors
    overlapping = Dependant.objects.filter(
        Q(to_month__isnull=True) | Q(to_month__gte=values.from_month)
    )
    if values.to_month is not None:
        overlapping = overlapping.filter(from_month__lte=values.to_month)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    same_person = Q(full_name__iexact=values.full_name, birth_date=values.birth_date)
    if values.tax_code:
        same_person |= Q(tax_code=values.tax_code)
    if overlapping.filter(same_person, staff=staff).exists():
        errors["full_name"] = _(
            "Full name: %(name)s is already registered as this person's dependant for some of "
            "these months."
        ) % {"name": values.full_name}
    elif values.tax_code and overlapping.filter(tax_code=values.tax_code).exists():
        # A dependant is deducted for one taxpayer only (Luật Thuế TNCN Điều 19).
        errors["tax_code"] = _(
            "Tax code or personal ID: this dependant is already registered for another staff "
            "member for some of these months; a dependant counts for one taxpayer only."
        )
    return errors


def dependant_problems(
    *, staff: Staff, values: DependantValues, exclude: Dependant | None = None
) -> tuple[DependantValues, dict[str, str]]:
    """``values`` as ``dependant_register`` (or ``dependant_correct`` of ``exclude``) would
    store them, and everything it would refuse in them, field by field (empty when they may be
    registered). Nothing is locked or written: a staff member's proposal and a spreadsheet row
    (payroll.importers.pay_inputs) are checked as the clerk's entry will be."""
    values = _clean_dependant(values)
    return values, _check_dependant(
        staff, values, exclude_pk=exclude.pk if exclude is not None else None
    )


@transaction.atomic
def dependant_register(
    *, staff: Staff, values: DependantValues, actor, reason: str = ""
) -> Dependant:
    """Register a dependant of ``staff`` for the family deduction from a month (``reason``,
    when given, is what the history records, e.g. the staff member's approved request)."""
    _refuse_own(actor, staff.pk)
    staff = _lock_staff(staff.pk)
    values = _clean_dependant(values)
    errors = _check_dependant(staff, values)
    if errors:
        raise ValidationError(errors)
    with audited(actor, reason or _("Dependant registered")):
        return Dependant.objects.create(
            staff=staff,
            full_name=values.full_name,
            relation=values.relation,
            birth_date=values.birth_date,
            tax_code=values.tax_code,
            from_month=values.from_month,
            to_month=values.to_month,
        )


def _lock_dependant(dependant: Dependant) -> Dependant:
    _lock_staff(dependant.staff_id)
    return Dependant.objects.select_for_update().get(pk=dependant.pk)


@transaction.atomic
def dependant_correct(
    *, dependant: Dependant, values: DependantValues, actor, reason: str = ""
) -> Dependant:
    """Correct a registered dependant (name, relation, dates, tax code, months)."""
    _refuse_own(actor, dependant.staff_id)
    dependant = _lock_dependant(dependant)
    values = _clean_dependant(values)
    errors = _check_dependant(dependant.staff, values, exclude_pk=dependant.pk)
    if errors:
        raise ValidationError(errors)
    with audited(actor, reason or _("Dependant corrected")):
        dependant.full_name = values.full_name
        dependant.relation = values.relation
        dependant.birth_date = values.birth_date
        dependant.tax_code = values.tax_code
        dependant.from_month = values.from_month
        dependant.to_month = values.to_month
        dependant.save()
    return dependant


@transaction.atomic
def dependant_end(
    *, dependant: Dependant, to_month: datetime.date, actor, reason: str = ""
) -> Dependant:
    """End a dependant's deduction: ``to_month`` is the last month it counts."""
    _refuse_own(actor, dependant.staff_id)
    dependant = _lock_dependant(dependant)
    if to_month is None:
        raise ValidationError(
            {"to_month": _("To month: enter the last month the deduction counts.")}
        )
    to_month = _first_of_month(to_month)
    if to_month < dependant.from_month:
        raise ValidationError(
            {
                "to_month": _("To month: %(to)s comes before the first month (%(from)s).")
                % {"to": _month(to_month), "from": _month(dependant.from_month)}
            }
        )
    with audited(actor, reason or _("Dependant ended")):
        dependant.to_month = to_month
        dependant.save(update_fields=["to_month", "updated_at"])
    return dependant


# --- Union membership and bank account ----------------------------------------------------


def normalise_bank_account(value: str) -> str:
    """The account number as digits only (spaces, dots and dashes people type are dropped)."""
    return re.sub(r"[\s.\-]", "", value or "")


@transaction.atomic
def pay_profile_update(
    *,
    staff: Staff,
    union_member: bool,
    actor,
    bank_account: str | None = None,
    bank_name: str | None = None,
    union_month: datetime.date | None = None,
) -> PayProfile:
    """Set union membership and, when given, the bank account and bank (None keeps them;
    empty strings clear them: paid in cash). Membership is dated: joining counts from the first
    day of ``union_month`` (this month by default), leaving ends it on the last day of the
    month before ``union_month`` (docs/rules.md §5.6)."""
    _refuse_own(actor, staff.pk)
    staff = _lock_staff(staff.pk)
    profile = PayProfile.objects.select_for_update().filter(staff=staff).first()
    account = (
        normalise_bank_account(bank_account)
        if bank_account is not None
        else (profile.bank_account if profile else "")
    )
    bank = (
        " ".join(bank_name.split())
        if bank_name is not None
        else (profile.bank_name if profile else "")
    )
    errors = {}
    if account and not BANK_ACCOUNT.match(account):
        errors["bank_account"] = _("Bank account number: enter 6 to 32 digits.")
    if account and not bank:
        errors["bank_name"] = _("Bank: name the bank the account is with.")
    if bank and not account:
        errors["bank_account"] = _(
            "Bank account number: enter the account number, or leave the bank empty."
        )
    if errors:
        raise ValidationError(errors)
    with audited(actor, _("Union membership and bank account")):
        if profile is None:
            profile = PayProfile(staff=staff)
        month = (union_month or timezone.localdate()).replace(day=1)
        if union_member and not profile.union_member:
            profile.union_since, profile.union_until = month, None
        elif profile.union_member and not union_member:
            profile.union_until = month - datetime.timedelta(days=1)
        profile.union_member = bool(union_member)
        profile.bank_account = account
        profile.bank_name = bank[:120]
        profile.save()
    return profile


# --- Checks without writing (the spreadsheet import: payroll.importers.pay_inputs) ---------


def allowance_problems(staff: Staff, values: AllowanceValues) -> dict[str, str]:
    """Every problem with granting ``values`` to ``staff`` (keyed by field; empty when it may
    be granted). Nothing is locked or written."""
    return _check_allowance(staff, values)
