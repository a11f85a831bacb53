"""Reads of units and staff, always already scoped to the requesting user."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from hrms.lib.vietnamese import fold
from personnel import permissions
from personnel.models import LineageEvent, OrgUnit, Staff

# Sort orders a user may ask for (never user input straight into order_by()).
STAFF_SORTS = {
    "name": ("sort_key", "id"),
    "-name": ("-sort_key", "-id"),
    "number": ("staff_number",),
    "-number": ("-staff_number",),
    "birth": ("date_of_birth", "id"),
    "-birth": ("-date_of_birth", "id"),
}


@dataclass(frozen=True)
class ScopeSummary:
    units: int
    staff: int
    province_wide: bool


def scope_summary(*, user) -> ScopeSummary:
    """How many current units and working staff ``user`` may view."""
    province_wide = permissions.province_wide(user, permissions.VIEW_STAFF)
    units = permissions.visible_units(user).filter(valid_to__isnull=True).count()
    staff = permissions.visible_staff(user).filter(status=Staff.Status.ACTIVE).count()
    return ScopeSummary(units=units, staff=staff, province_wide=province_wide)


def unit_list(*, user, include_ended: bool = False) -> QuerySet[OrgUnit]:
    """Units ``user`` may view, in tree order, with their number of working staff."""
    units = permissions.visible_units(user)
    if not include_ended:
        units = units.filter(valid_to__isnull=True)
    return units.annotate(
        active_staff=Count("staff", filter=Q(staff__status=Staff.Status.ACTIVE))
    ).order_by("path")


def unit_subtree(*, unit: OrgUnit, include_ended: bool = True) -> QuerySet[OrgUnit]:
    """``unit`` and every unit under it: one indexed prefix query whatever the depth."""
    units = OrgUnit.objects.under(unit.path)
    if not include_ended:
        units = units.filter(valid_to__isnull=True)
    return units


def unit_lineage(*, unit: OrgUnit) -> QuerySet[LineageEvent]:
    """Lineage events that involve ``unit`` as a source or a result, newest first."""
    return (
        LineageEvent.objects.filter(Q(sources=unit) | Q(results=unit))
        .distinct()
        .prefetch_related("sources", "results")
        .select_related("old_parent", "new_parent")
    )


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_range_for_age(youngest: int | None, oldest: int | None, *, on: datetime.date) -> Q:
    """People aged ``youngest``–``oldest`` (inclusive) on ``on``, as a filter on date of birth."""
    condition = Q()
    if youngest is not None:
        condition &= Q(date_of_birth__lte=_years_before(on, youngest))
    if oldest is not None:
        condition &= Q(date_of_birth__gt=_years_before(on, oldest + 1))
    return condition


def staff_search(staff: QuerySet[Staff], query: str) -> QuerySet[Staff]:
    """Accent-insensitive search over name, other names, staff number and ID numbers.

    Every word must appear ("nguyen an" finds "Nguyễn Văn An"); uses the trigram index.
    """
    words = fold(query).split()
    for word in words:
        staff = staff.filter(search_text__contains=word)
    return staff


def staff_list(
    *,
    user,
    q: str = "",
    unit: OrgUnit | None = None,
    category: str = "",
    rank=None,
    status: str = "",
    age: tuple[int | None, int | None] | None = None,
    sort: str = "",
    perm: str = permissions.VIEW_STAFF,
) -> QuerySet[Staff]:
    """Staff ``user`` may see (or export, with ``perm``), narrowed by the given filters and
    ordered by an allowed sort. A search without a chosen sort puts whole-phrase matches
    first."""
    staff = permissions.visible_staff(user, perm)
    if q.strip():
        staff = staff_search(staff, q)
    if unit is not None:
        staff = staff.in_subtree(unit)
    if category:
        staff = staff.filter(category=category)
    if rank is not None:
        staff = staff.filter(rank=rank)
    if status:
        staff = staff.filter(status=status)
    if age is not None:
        staff = staff.filter(birth_range_for_age(*age, on=timezone.localdate()))
    staff = staff.select_related("unit", "rank")
    if sort in STAFF_SORTS:
        return staff.order_by(*STAFF_SORTS[sort])
    if q.strip():
        phrase = fold(q)
        return staff.annotate(
            phrase_match=Case(
                When(search_text__contains=phrase, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("phrase_match", *STAFF_SORTS["name"])
    return staff.order_by(*STAFF_SORTS["name"])


def managing_agency(unit: OrgUnit) -> OrgUnit:
    """The agency that manages staff of ``unit``: its department-level ancestor (the unit
    directly under the province), or the province for those units themselves."""
    step = OrgUnit.steplen
    wanted = unit.path[: step * 2] if unit.depth > 2 else unit.path[:step]
    if wanted == unit.path:
        return unit
    return OrgUnit.objects.get(path=wanted)


def dossier_data(*, staff: Staff):
    """Everything the printed dossier shows, in a fixed number of queries."""
    from personnel.exporters.dossier_pdf import DossierData
    from personnel.salary_source import salary_history

    return DossierData(
        staff=staff,
        managing_agency=managing_agency(staff.unit).name,
        employing_agency=staff.unit.name,
        trainings=list(staff.trainings.all()),
        work_history=list(staff.work_history.all()),
        family=list(staff.family.all()),
        salary_history=salary_history(staff.pk),
        awards=list(staff.awards.all()),
        disciplines=list(staff.disciplines.select_related("kind")),
    )


# --- Payroll units ---------------------------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    """``path`` and the paths of every unit above it, nearest first."""
    step = OrgUnit.steplen
    return [path[:end] for end in range(len(path), 0, -step)]


def payroll_unit(unit: OrgUnit) -> OrgUnit:
    """The unit whose payroll lists the staff of ``unit``: the nearest unit at or above it that
    keeps its own payroll (đơn vị lập bảng lương), or the root when none does. One query."""
    by_path = {u.path: u for u in OrgUnit.objects.filter(path__in=_ancestor_paths(unit.path))}
    keeps = {path: u.keeps_payroll for path, u in by_path.items()}
    return by_path[_payroll_path(unit.path, keeps)]


def payroll_units(unit_ids) -> dict[int, OrgUnit]:
    """``payroll_unit`` for many units at once: unit id → its payroll unit (two queries,
    whatever the number of units; the due lists ask for a whole province)."""
    paths = dict(OrgUnit.objects.filter(pk__in=set(unit_ids)).values_list("pk", "path"))
    wanted = {ancestor for path in paths.values() for ancestor in _ancestor_paths(path)}
    by_path = {unit.path: unit for unit in OrgUnit.objects.filter(path__in=wanted)}
    keeps = {path: unit.keeps_payroll for path, unit in by_path.items()}
    return {pk: by_path[_payroll_path(path, keeps)] for pk, path in paths.items()}


def payroll_headcounts(units) -> dict[int, int]:
    """Working staff on the payroll list of each of ``units`` (payroll units): their own staff
    and those of the units under them that share their payroll, not those of sub-units keeping
    their own. One query."""
    units = list(units)
    if not units:
        return {}
    wanted = {unit.pk for unit in units}
    tops: list[str] = []  # the subtrees to read, none inside another (sorted paths)
    for path in sorted({unit.path for unit in units}):
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    rows = (
        OrgUnit.objects.under(*tops)
        .annotate(active=Count("staff", filter=Q(staff__status=Staff.Status.ACTIVE)))
        .values_list("path", "keeps_payroll", "active")
    )
    keeps = {}
    counts: dict[str, int] = {}
    for path, keeps_payroll, active in rows:
        keeps[path] = keeps_payroll
        counts[path] = active
    by_path = {unit.path: unit.pk for unit in units}
    headcounts = dict.fromkeys(wanted, 0)
    for path, active in counts.items():
        if active:
            target = _payroll_path(path, keeps)
            if target in by_path:
                headcounts[by_path[target]] += active
    return headcounts


def _payroll_path(path: str, keeps: dict[str, bool]) -> str | None:
    """The payroll unit's path of the unit at ``path``, from a map path → keeps_payroll (None
    when it lies above the units in the map)."""
    chain = _ancestor_paths(path)
    for ancestor in chain:
        if ancestor not in keeps:
            return None
        if keeps[ancestor]:
            return ancestor
    return chain[-1]  # nobody keeps a payroll: the root's list
