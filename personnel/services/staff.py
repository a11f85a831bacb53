"""Writes to staff dossiers and employment movements.

Every write locks the staff row, checks that nobody saved it since the editor loaded it
(``version``), applies the change, bumps the version, and runs inside a history context so the
database triggers (django-pghistory) attribute each row change to the actor and the reason.
Nothing is ever deleted from a dossier by a movement: transfers, leave, retirement, resignation
and death are dated rows.
"""

import datetime
from collections.abc import Iterable

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from hrms.lib.audit import audited
from hrms.lib.db import constraint_refusal
from hrms.lib.partial_dates import PartialDate
from personnel.models import (
    AnnualRating,
    Award,
    Certificate,
    Discipline,
    FamilyMember,
    Movement,
    OrgUnit,
    Staff,
    Training,
    WorkHistory,
)
from personnel.rules import movements
from personnel.validators import validate_planned

ROW_MODELS = (Training, WorkHistory, FamilyMember, Award, Discipline, AnnualRating, Certificate)

_DAY = datetime.timedelta(days=1)


class EditConflict(Exception):
    """Someone saved the record after the editor loaded it; nothing was written."""

    def __init__(self, staff: Staff):
        self.staff = staff
        super().__init__(
            _(
                "Someone else saved this record while you were editing it. Your changes were "
                "not saved: reload the page to see the current record, then make them again."
            )
        )


class DuplicatePerson(ValidationError):
    """A record with the same personal ID exists somewhere in the province."""


def _lock(staff_id: int, expected_version: int | None) -> Staff:
    staff = Staff.objects.select_for_update().get(pk=staff_id)
    if expected_version is not None and staff.version != expected_version:
        raise EditConflict(staff)
    history_baseline(staff)
    return staff


def history_baseline(obj: models.Model) -> None:
    """Before the first change of a row that has no history (loaded in bulk: an import, the
    seed), record its stored state as a ``snapshot`` event, so the change shows the real old
    values instead of "—" for every field."""
    events = getattr(obj, "events", None)
    if events is not None and not events.exists():
        stored = type(obj)._default_manager.get(pk=obj.pk)
        pghistory.create_event(stored, label="snapshot")


def _save_staff(staff: Staff, fields: Iterable[str]) -> None:
    staff.version += 1
    try:
        with transaction.atomic():
            staff.save(update_fields=[*fields, "version", "updated_at"])
    except IntegrityError as error:
        _refuse(error)
        raise


def _refuse(error: IntegrityError) -> None:
    """Turn the database's refusal of a record (a second record of one person, a date or a
    number out of bounds kept from before the bounds existed) into the message naming it."""
    if "staff_personal_id_unique" in str(error):
        raise DuplicatePerson(duplicate_message(None), code="duplicate_person") from error
    refusal = constraint_refusal(error, Staff, Movement, *ROW_MODELS)
    if refusal:
        raise ValidationError(refusal, code="out_of_bounds") from error


def _check_movement_date(staff: Staff, effective_date: datetime.date) -> None:
    """A movement takes effect from 1900 to 31 December five years ahead, not before the date
    of birth, and not before the latest movement already on record."""
    try:
        validate_planned(effective_date)
    except ValidationError as error:
        raise ValidationError({"effective_date": error.messages}) from error
    born = staff.date_of_birth
    if born and effective_date < born:
        raise ValidationError(
            {
                "effective_date": _("This date is before the date of birth (%(date)s).")
                % {"date": staff.birth_date}
            }
        )
    latest = staff.movements.order_by("-effective_date", "-id").first()
    if latest and effective_date < latest.effective_date:
        raise ValidationError(
            {
                "effective_date": _(
                    "The latest movement on record (%(what)s) takes effect on %(date)s; a new "
                    "one cannot come before it."
                )
                % {
                    "what": latest.get_kind_display(),
                    "date": latest.effective_date.strftime("%d/%m/%Y"),
                }
            }
        )


def duplicate_message(existing: Staff | None) -> str:
    """The refusal for a second record of one person. Names the existing record only when the
    user may see it; otherwise says no more than that it exists elsewhere."""
    if existing is None:
        return _(
            "A record with this personal ID number already exists in another unit of the "
            "province. One person has one record: ask the Department of Home Affairs to check."
        )
    return _(
        "A record with this personal ID number already exists: %(name)s (%(number)s). One "
        "person has one record: update that one."
    ) % {"name": existing.full_name, "number": existing.staff_number}


@transaction.atomic
def staff_create(*, unit: OrgUnit, values: dict, actor, reason: str = "") -> Staff:
    """Create a staff record in ``unit`` and open its work history there."""
    if unit.valid_to is not None:
        raise ValidationError(_("This unit has ended; staff cannot be added to it."))
    staff = Staff(unit=unit, **values)
    with audited(actor, reason or _("New record")):
        try:
            with transaction.atomic():
                staff.save()
        except IntegrityError as error:
            _refuse(error)
            raise
        start = staff.recruitment_date or datetime.date.today()
        WorkHistory.objects.create(
            staff=staff,
            start=PartialDate(start.year, start.month),
            position=staff.position_title,
            unit_name=unit.name,
            unit=unit,
        )
    return staff


@transaction.atomic
def staff_update(
    *, staff_id: int, expected_version: int, changes: dict, actor, reason: str = ""
) -> Staff:
    """Apply field ``changes`` to a record nobody saved since ``expected_version``."""
    staff = _lock(staff_id, expected_version)
    changed = [name for name, value in changes.items() if getattr(staff, name) != value]
    for name in changed:
        setattr(staff, name, changes[name])
    with audited(actor, reason):
        _save_staff(staff, changed)
    return staff


@transaction.atomic
def staff_rows_save(
    *,
    staff_id: int,
    expected_version: int,
    saved: Iterable[models.Model],
    deleted: Iterable[models.Model],
    actor,
    reason: str = "",
) -> Staff:
    """Save and delete rows of one of a record's tables (training, family…) as one change."""
    staff = _lock(staff_id, expected_version)
    with audited(actor, reason):
        for row in deleted:
            if row.staff_id != staff.pk:
                raise ValidationError("row of another record")
            row.delete()
        for row in saved:
            if row.pk is not None:
                history_baseline(row)
            row.staff_id = staff.pk
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError as error:
                _refuse(error)
                raise
        _save_staff(staff, [])
    return staff


def _close_work_history(staff: Staff, last_day: datetime.date) -> None:
    end = PartialDate(last_day.year, last_day.month)
    for row in WorkHistory.objects.filter(staff=staff, end=""):
        if row.start is None or row.start <= end:
            row.end = end
            row.save(update_fields=["end"])


@transaction.atomic
def staff_transfer(
    *,
    staff_id: int,
    expected_version: int | None,
    to_unit: OrgUnit,
    effective_date: datetime.date,
    actor,
    decision: str = "",
    position: str = "",
    note: str = "",
    reorganisation: bool = False,
) -> Movement:
    """Move a working staff member to another unit from ``effective_date``: the work history
    is closed and continued in the new unit (its name as of now). Access follows the record:
    the old unit's clerks lose it, the new unit's gain it.

    ``reorganisation``: the unit itself merged or split (docs/rules.md §9.5), so staff on leave
    without pay move with it too (they return to the resulting unit)."""
    staff = _lock(staff_id, expected_version)
    if reorganisation:
        if staff.status not in movements.IN_SERVICE:
            raise ValidationError(_("Only staff still in the service follow their unit."))
    elif movements.status_after(Movement.Kind.TRANSFER, staff.status) is None:
        raise ValidationError(_("Only staff who are working can be transferred."))
    if to_unit.pk == staff.unit_id:
        raise ValidationError({"to_unit": _("The person already works in this unit.")})
    if to_unit.valid_to is not None:
        raise ValidationError({"to_unit": _("This unit has ended; choose a current unit.")})
    _check_movement_date(staff, effective_date)
    from_unit = staff.unit
    with audited(actor, _("Transfer")):
        _close_work_history(staff, effective_date - _DAY)
        WorkHistory.objects.create(
            staff=staff,
            start=PartialDate(effective_date.year, effective_date.month),
            position=position or staff.position_title,
            unit_name=to_unit.name,
            unit=to_unit,
        )
        staff.unit = to_unit
        changed = ["unit"]
        if position:
            # The appointment date belongs to the appointment decision, not to the transfer:
            # it is kept, and the clerk corrects it in the employment section if it changed.
            staff.position_title = position
            changed += ["position_title"]
        _save_staff(staff, changed)
        return Movement.objects.create(
            staff=staff,
            kind=Movement.Kind.TRANSFER,
            effective_date=effective_date,
            decision=decision,
            from_unit=from_unit,
            to_unit=to_unit,
            position=position,
            note=note,
            recorded_by=actor,
        )


@transaction.atomic
def staff_status_change(
    *,
    staff_id: int,
    expected_version: int | None,
    kind: str,
    effective_date: datetime.date,
    actor,
    decision: str = "",
    note: str = "",
) -> Movement:
    """Record leave without pay, return, retirement, resignation or death from a date. The
    record stays; leaving the service closes the open work-history row."""
    if kind not in movements.STATUS_MOVEMENTS:
        raise ValidationError(_("Unknown movement."))
    staff = _lock(staff_id, expected_version)
    new_status = movements.status_after(kind, staff.status)
    if new_status is None:
        raise ValidationError(
            _("This cannot be recorded for someone whose status is “%(status)s”.")
            % {"status": staff.get_status_display()}
        )
    _check_movement_date(staff, effective_date)
    with audited(actor, Movement.Kind(kind).label):
        if kind in movements.LEAVING:
            _close_work_history(staff, effective_date - _DAY)
        staff.status = new_status
        staff.status_since = effective_date
        _save_staff(staff, ["status", "status_since"])
        return Movement.objects.create(
            staff=staff,
            kind=kind,
            effective_date=effective_date,
            decision=decision,
            from_unit=staff.unit,
            note=note,
            recorded_by=actor,
        )
