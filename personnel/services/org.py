"""Writes to the organisation tree.

Every function is keyword-only, runs in one transaction, and locks what it changes. Units are
never deleted: they are end-dated, and every structural change records a ``LineageEvent`` with
its legal basis (Luật 72/2025/QH15 and NQ 202/2025/QH15 for the 2025 reform).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from personnel.models import LineageEvent, OrgUnit

_DAY = datetime.timedelta(days=1)


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
    for unit in ended:
        _require_current(unit, effective_date)
        unit.valid_to = effective_date - _DAY
        unit.save(update_fields=["valid_to", "updated_at"])
    return _event(
        kind=LineageEvent.Kind.MERGE,
        effective_date=effective_date,
        legal_basis=legal_basis,
        actor=actor,
        sources=locked[:-1],
        results=[result],
    )


@transaction.atomic
def unit_split(
    *,
    source: OrgUnit,
    results: list[OrgUnit],
    effective_date: datetime.date,
    legal_basis: str,
    actor,
    source_continues: bool = False,
) -> LineageEvent:
    """Split ``source`` into ``results`` (established by the caller); the source ends unless
    it continues."""
    (source,) = _lock(source)
    _require_current(source, effective_date)
    if not results:
        raise ValidationError(_("A split needs at least one resulting unit."))
    if not source_continues:
        source.valid_to = effective_date - _DAY
        source.save(update_fields=["valid_to", "updated_at"])
    return _event(
        kind=LineageEvent.Kind.SPLIT,
        effective_date=effective_date,
        legal_basis=legal_basis,
        actor=actor,
        sources=[source],
        results=results,
    )
