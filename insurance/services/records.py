"""A person's insurance record, the absences a clerk records, a unit's registration with the
insurance office, and importing the office's statement."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from hrms.lib.audit import audited
from insurance.importers.statement import check_file, read_statement
from insurance.models import Absence, InsuranceProfile, InsuranceUnit, StatementImport
from insurance.services.participation import participation_rebuild
from personnel.models import OrgUnit, Staff

PROFILE_FIELDS = ("health_card_number", "hospital_name", "hospital_code", "book_held_by_unit")
UNIT_FIELDS = ("code", "office", "address")


class EditConflict(ValidationError):
    """Someone else saved the record since it was opened."""


def _clean(instance, fields) -> None:
    try:
        instance.full_clean(exclude=[f.name for f in instance._meta.fields if f.name not in fields])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


@transaction.atomic
def insurance_profile_update(
    *, staff: Staff, values: dict, expected_version: int | None, actor
) -> InsuranceProfile:
    """Save the health-insurance card, the initial-care hospital and who holds the book; a
    save over someone else's newer one is refused."""
    profile, _created = InsuranceProfile.objects.get_or_create(staff=staff)
    profile = InsuranceProfile.objects.select_for_update().get(pk=profile.pk)
    if expected_version is not None and profile.version != expected_version:
        raise EditConflict(
            _("Someone else saved this insurance record meanwhile; reload it and try again.")
        )
    for name in PROFILE_FIELDS:
        if name in values:
            value = values[name]
            setattr(profile, name, value.strip().upper() if name != "hospital_name" and
                    isinstance(value, str) else value)  # fmt: skip
    _clean(profile, PROFILE_FIELDS)
    profile.version += 1
    with audited(actor, _("Insurance record updated")):
        profile.save()
    return profile


@transaction.atomic
def absence_record(
    *,
    staff: Staff,
    kind: str,
    start: datetime.date,
    end: datetime.date | None,
    actor,
    decision: str = "",
    note: str = "",
) -> Absence:
    """Record an absence without contributions (maternity leave…) and rebuild the person's
    participation periods. Overlapping absences are refused."""
    if end is not None and end < start:
        raise ValidationError({"end": _("Last day: it is before the first day.")})
    overlapping = Absence.objects.filter(staff=staff, start__lte=end or datetime.date.max).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    if overlapping.exists():
        raise ValidationError({"start": _("First day: this overlaps an absence already recorded.")})
    absence = Absence(staff=staff, kind=kind, start=start, end=end, decision=decision, note=note,
                      recorded_by=actor)  # fmt: skip
    _clean(absence, ("kind", "start", "end", "decision", "note"))
    with audited(actor, _("Absence recorded")):
        absence.save()
    participation_rebuild(staff_ids=[staff.pk], actor=actor)
    return absence


@transaction.atomic
def absence_end(*, absence: Absence, end: datetime.date, actor) -> Absence:
    """Close an open absence on its last day and rebuild the person's periods."""
    absence = Absence.objects.select_for_update().get(pk=absence.pk)
    if end < absence.start:
        raise ValidationError({"end": _("Last day: it is before the first day.")})
    absence.end = end
    with audited(actor, _("Absence ended")):
        absence.save(update_fields=["end", "updated_at"])
    participation_rebuild(staff_ids=[absence.staff_id], actor=actor)
    return absence


@transaction.atomic
def insurance_unit_update(*, unit: OrgUnit, values: dict, actor) -> InsuranceUnit:
    """Save a unit's insurance-office code, the office it reports to and its address."""
    registration, _created = InsuranceUnit.objects.get_or_create(unit=unit)
    registration = InsuranceUnit.objects.select_for_update().get(pk=registration.pk)
    for name in UNIT_FIELDS:
        if name in values:
            value = (values[name] or "").strip()
            setattr(registration, name, value.upper() if name == "code" else value)
    _clean(registration, UNIT_FIELDS)
    if (
        registration.code
        and InsuranceUnit.objects.filter(code=registration.code)
        .exclude(pk=registration.pk)
        .exists()
    ):
        raise ValidationError({"code": _("Another unit already has this insurance-office code.")})
    with audited(actor, _("Insurance-office registration updated")):
        registration.save()
    return registration


def _text(value) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def statement_import(
    *, unit: OrgUnit, year: int, month: int, filename: str, content: bytes, actor
) -> StatementImport:
    """Read the office's statement of a month for a reporting unit and keep its rows (the file
    itself is not kept). Hostile or unreadable files are refused before parsing."""
    check_file(filename, content)
    statement = read_statement(content)
    if not statement.rows:
        raise ValidationError({"file": _("File: no row with a social-insurance number was found.")})
    rows = [
        [row["social_insurance_number"], row["personal_id"], row["full_name"],
         _text(row["salary"]), _text(row["employee"]), _text(row["employer"]),
         _text(row["total"])]
        for row in statement.rows
    ]  # fmt: skip
    with audited(actor, _("Insurance statement imported")):
        return StatementImport.objects.create(
            unit=unit, year=year, month=month, filename=filename[:255],
            sha256=hashlib.sha256(content).hexdigest(), rows=rows, columns=statement.columns,
            uploaded_by=actor,
        )  # fmt: skip
