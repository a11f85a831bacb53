"""Writes to the organisation tree.

Every function is keyword-only, runs in one transaction, and locks what it changes. Units are
never deleted: they are end-dated, and every structural change records a ``LineageEvent`` with
its legal basis (Luật 72/2025/QH15 and NQ 202/2025/QH15 for the 2025 reform).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from personnel.models import LineageEvent, OrgUnit, Staff
from personnel.rules.movements import IN_SERVICE

_DAY = datetime.timedelta(days=1)


def _end_with_subtree(unit: OrgUnit, effective_date: datetime.date) -> list[OrgUnit]:
    """End ``unit`` and every unit still current under it the day before ``effective_date``;
    return them (the unit first)."""
    ended = list(
        OrgUnit.objects.under(unit.path)
        .filter(valid_to__isnull=True)
        .select_for_update()
        .order_by("path")
    )
    OrgUnit.objects.filter(pk__in=[u.pk for u in ended]).update(valid_to=effective_date - _DAY)
    unit.refresh_from_db()
    return ended


def _staff_follow(
    units: list[OrgUnit], *, to_unit: OrgUnit, effective_date, legal_basis, actor
) -> int:
    """Transfer everyone still in the service in ``units`` to ``to_unit`` from
    ``effective_date`` (docs/rules.md §9.5); a refusal names the person. Returns how many."""
    from personnel.services.staff import staff_transfer  # staff services import this module

    people = (
        Staff.objects.filter(unit__in=[u.pk for u in units], status__in=IN_SERVICE)
        .order_by("pk")
        .values_list("pk", "full_name")
    )
    moved = 0
    for staff_id, full_name in people:
        try:
            staff_transfer(
                staff_id=staff_id,
                expected_version=None,
                to_unit=to_unit,
                effective_date=effective_date,
                actor=actor,
                decision=legal_basis[:160],
                reorganisation=True,
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(name)s cannot follow the unit: %(problem)s")
                % {"name": full_name, "problem": " ".join(error.messages)}
            ) from error
        moved += 1
    return moved


def _event(*, kind, effective_date, legal_basis, actor, sources=(), results=(), **fields):
    event = LineageEvent.objects.create(
        kind=kind,
        effective_date=effective_date,
        legal_basis=legal_basis,
        recorded_by=actor,
        **fields,
    )
    event.sources.add(*sources)
    event.results.add(*results)
    return event


def _lock(*units: OrgUnit) -> list[OrgUnit]:
    locked = list(OrgUnit.objects.select_for_update().filter(pk__in=[u.pk for u in units]))
    by_pk = {u.pk: u for u in locked}
    return [by_pk[u.pk] for u in units]


def _validate(unit: OrgUnit) -> None:
    # clean() mirrors the check constraints with readable messages; skipping Django's generic
    # constraint validation saves a query per constraint (the database still enforces them).
    unit.full_clean(exclude=["path", "depth", "numchild"], validate_constraints=False)


def _require_current(unit: OrgUnit, on: datetime.date) -> None:
    if unit.valid_to is not None and unit.valid_to < on:
        raise ValidationError(
            _("The unit “%(name)s” ended on %(date)s and cannot change after that.")
            % {"name": unit.name, "date": unit.valid_to.strftime("%d/%m/%Y")}
        )


@transaction.atomic
def unit_establish(
    *, parent: OrgUnit | None, effective_date: datetime.date, legal_basis: str, actor, **fields
) -> OrgUnit:
    """Create a unit under ``parent`` (or a new root) and record its establishment. An office
    (phòng) is on its parent's payroll unless told otherwise; other units keep their own."""
    fields.setdefault("keeps_payroll", fields.get("kind") != OrgUnit.Kind.OFFICE)
    unit = OrgUnit(valid_from=effective_date, legal_basis=legal_basis, **fields)
    _validate(unit)
    if parent is None:
        unit = OrgUnit.objects.add_root(instance=unit)
    else:
        (parent,) = _lock(parent)
        _require_current(parent, effective_date)
        unit = OrgUnit.objects.add_child(parent, instance=unit)
    _event(
        kind=LineageEvent.Kind.ESTABLISH,
        effective_date=effective_date,
        legal_basis=legal_basis,
        actor=actor,
        results=[unit],
        new_name=unit.name,
        new_parent=parent,
    )
    return unit


@transaction.atomic
def unit_rename(
    *,
    unit: OrgUnit,
    new_name: str,
    effective_date: datetime.date,
    legal_basis: str,
    actor,
    short_name: str | None = None,
) -> OrgUnit:
    """Rename a unit from ``effective_date``; the old name stays on the lineage event."""
    (unit,) = _lock(unit)
    _require_current(unit, effective_date)
    old_name = unit.name
    unit.name = new_name
    if short_name is not None:
        unit.short_name = short_name
    _validate(unit)
    unit.save()
    _event(
        kind=LineageEvent.Kind.RENAME,
        effective_date=effective_date,
        legal_basis=legal_basis,
        actor=actor,
        sources=[unit],
        results=[unit],
        old_name=old_name,
        new_name=new_name,
    )
    return unit


@transaction.atomic
def unit_move(
    *, unit: OrgUnit, new_parent: OrgUnit, effective_date: datetime.date, legal_basis: str, actor
) -> OrgUnit:
    """Place a unit (with its subtree) under another parent from ``effective_date``."""
    unit, new_parent = _lock(unit, new_parent)
    _require_current(unit, effective_date)
    _require_current(new_parent, effective_date)
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved under itself or one of its own units."))
    old_parent = unit.parent_unit()
    OrgUnit.objects.move(unit, new_parent, pos="last-child")
    unit.refresh_from_db()
    _event(
        kind=LineageEvent.Kind.MOVE,
        effective_date=effective_date,
        legal_basis=legal_basis,
        actor=actor,
        sources=[unit],
        results=[unit],
        old_parent=old_parent,
        new_parent=new_parent,
    )
    return unit


@transaction.atomic
def unit_dissolve(
    *, unit: OrgUnit, effective_date: datetime.date, legal_basis: str, actor
) -> OrgUnit:
    """End a unit (and every still-current unit under it) the day before ``effective_date``."""
    (unit,) = _lock(unit)
    _require_current(unit, effective_date)
    if unit.staff.filter(status="active").exists():
        raise ValidationError(
            _("The unit “%(name)s” still has working staff; transfer them first.")
            % {"name": unit.name}
        )
    OrgUnit.objects.under(unit.path).filter(valid_to__isnull=True).update(
        valid_to=effective_date - _DAY
    )
    unit.refresh_from_db()
    _event(
        kind=LineageEvent.Kind.DISSOLVE,
        effective_date=effective_date,
        legal_basis=legal_basis,
        actor=actor,
        sources=[unit],
    )
    return unit


@transaction.atomic
def units_merge(
    *,
    sources: list[OrgUnit],
    result: OrgUnit,
    effective_date: datetime.date,
    legal_basis: str,
    actor,
) -> LineageEvent:
    """Merge ``sources`` into ``result``: the sources end the day before, the result carries on.

    ``result`` may be a new unit (established by the caller for the same date) or one of the
    sources absorbing the others (it then stays current).
    """
    locked = _lock(*sources, result)
    result = locked[-1]
    ended = [u for u in locked[:-1] if u.pk != result.pk]
    if not ended:
        raise ValidationError(_("A merge needs at least one unit other than the resulting unit."))
    if result.valid_to is not None:
        raise ValidationError(_("The resulting unit has ended; choose a current unit."))
    if any(result.path.startswith(unit.path) for unit in ended):
        raise ValidationError(_("The resulting unit cannot lie under a unit that merges into it."))
    ended_units = []
    for unit in ended:
        _require_current(unit, effective_date)
        ended_units += _end_with_subtree(unit, effective_date)
    event = _event(
        kind=LineageEvent.Kind.MERGE,
        effective_date=effective_date,
        legal_basis=legal_basis,
        actor=actor,
        sources=locked[:-1],
        results=[result],
    )
    event.staff_moved = _staff_follow(
        ended_units,
        to_unit=result,
        effective_date=effective_date,
        legal_basis=legal_basis,
        actor=actor,
    )
    return event


@transaction.atomic
def unit_split(
    *,
    source: OrgUnit,
    results: list[OrgUnit],
    effective_date: datetime.date,
    legal_basis: str,
    actor,
    source_continues: bool = False,
    staff_to: OrgUnit | None = None,
) -> LineageEvent:
    """Split ``source`` into ``results`` (established by the caller); the source ends unless
    it continues. When it ends, its staff still in the service (and those of the units under
    it, which end with it) are transferred to ``staff_to``, one of the results, which the
    caller must name if there is anyone to move (docs/rules.md §9.5)."""
    (source,) = _lock(source)
    _require_current(source, effective_date)
    if not results:
        raise ValidationError(_("A split needs at least one resulting unit."))
    if any(unit.valid_to is not None for unit in results):
        raise ValidationError(_("A resulting unit has ended; choose current units."))
    if any(unit.path.startswith(source.path) for unit in results) and not source_continues:
        raise ValidationError(
            _("A resulting unit lies under the unit split, which ends: move it out first.")
        )
    event = _event(
        kind=LineageEvent.Kind.SPLIT,
        effective_date=effective_date,
        legal_basis=legal_basis,
        actor=actor,
        sources=[source],
        results=results,
    )
    event.staff_moved = 0
    if source_continues:
        return event
    ended_units = _end_with_subtree(source, effective_date)
    in_service = Staff.objects.filter(unit__in=[u.pk for u in ended_units], status__in=IN_SERVICE)
    if staff_to is None:
        if in_service.exists():
            raise ValidationError(
                {
                    "staff_to": _(
                        "The unit split still has %(count)s staff in the service: choose the "
                        "resulting unit that receives them."
                    )
                    % {"count": in_service.count()}
                }
            )
        return event
    if staff_to.pk not in {unit.pk for unit in results}:
        raise ValidationError({"staff_to": _("Choose one of the resulting units.")})
    event.staff_moved = _staff_follow(
        ended_units,
        to_unit=staff_to,
        effective_date=effective_date,
        legal_basis=legal_basis,
        actor=actor,
    )
    return event
