"""The month's changes to report to the insurance office (D02-LT), each with why
(docs/rules.md §5.12).

Per reporting unit: people who start participating through it this month (recruitment, transfer
in, back from leave) and whose contribution salary went up; people who stop (transfer out, leave
without pay of 14 working days or more, maternity leave, retirement, resignation, death) and whose
salary went down; and back contributions for decisions with an earlier effective date, one row
per past month. A transfer between two units that report separately is a decrease in one and an
increase in the other.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from insurance.models import InsuranceUnit
from insurance.models.records import Reason
from insurance.rules.participation import Month, month_of, previous_month
from insurance.selectors.contributions import (
    OFFICE_FUNDS,
    SALARY,
    ContributionRow,
    MonthRows,
    decision_people,
    month_rows,
    month_start,
)
from insurance.selectors.participants import Participation, Place, participation_of, registrations
from insurance.selectors.register import missing_identifier
from payroll.models import SalaryRecord
from payroll.selectors import parameters_at
from payroll.selectors.month import BEYOND_SCALE_CODE, LEADERSHIP_CODE, SENIORITY_CODE
from personnel.models import OrgUnit, Staff

ZERO = Decimal(0)
_DAY = datetime.timedelta(days=1)
JOIN, RAISE, STOP, CUT, BACK = "join", "raise", "stop", "cut", "back"
KIND_ORDER = {JOIN: 0, RAISE: 1, STOP: 2, CUT: 3, BACK: 4}
KIND_LABELS = {
    JOIN: gettext_lazy("Increase: starts participating"),
    RAISE: gettext_lazy("Increase: contribution salary up"),
    STOP: gettext_lazy("Decrease: stops participating"),
    CUT: gettext_lazy("Decrease: contribution salary down"),
    BACK: gettext_lazy("Back contributions"),
}
COEFFICIENT_PLACES = Decimal("0.001")


@dataclass(slots=True)
class SalaryDetail:
    """The parts of the contribution salary the D02-LT shows (from the decision in force)."""

    coefficient: Decimal | None = None
    leadership: Decimal | None = None
    beyond_scale: Decimal | None = None  # percent
    seniority: Decimal | None = None  # percent
    other: Decimal | None = None  # reserved difference and other coefficients in the base
    effective: datetime.date | None = None  # of the decision in force


@dataclass(slots=True)
class Change:
    kind: str
    staff_id: int
    reporting_unit_id: int
    unit_id: int
    full_name: str = ""
    social_insurance_number: str = ""
    personal_id: str = ""
    birth_date: str = ""
    sex: str = ""
    position: str = ""
    salary: Decimal | None = None
    previous_salary: Decimal | None = None
    detail: SalaryDetail = field(default_factory=SalaryDetail)
    from_month: Month | None = None
    to_month: Month | None = None
    employee: Decimal | None = None
    employer: Decimal | None = None
    reason: str = ""
    problems: list[str] = field(default_factory=list)
    sort_key: str = ""

    @property
    def missing_identifier(self) -> bool:
        return missing_identifier(self.social_insurance_number, self.personal_id)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def flags(self) -> list[str]:
        """What is wrong with the row (shown on the page; the file notes it too)."""
        missing = [_("no social-insurance number and no personal ID")]
        return (missing if self.missing_identifier else []) + self.problems


@dataclass
class UnitChanges:
    unit: OrgUnit
    registration: InsuranceUnit | None
    changes: list[Change]

    def of_kind(self, kind: str) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]


@dataclass
class ChangeList:
    month: Month
    units: list[UnitChanges]

    @property
    def changes(self) -> list[Change]:
        return [change for unit in self.units for change in unit.changes]

    @property
    def problems(self) -> list[Change]:
        return [change for change in self.changes if change.flags]


def _day(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _month_text(month: Month) -> str:
    return f"{month % 100:02d}/{month // 100}"


def _join_reason(place: Place, before: Place | None, units: dict[int, OrgUnit]) -> str:
    if before is not None:  # participating last month through another reporting unit
        return _("Transferred in from %(unit)s on %(date)s") % {
            "unit": units[before.unit_id].name, "date": _day(place.start),
        }  # fmt: skip
    if place.start_reason == Reason.RECRUITMENT:
        return (
            _("Recruited on %(date)s") % {"date": _day(place.start)}
            if place.start
            else _("Participating (no recruitment date in the dossier)")
        )
    if place.start_reason == Reason.RETURN:
        return _("Back at work on %(date)s") % {"date": _day(place.start)}
    if place.start_reason == Reason.TRANSFER_IN:
        return _("Transferred in on %(date)s") % {"date": _day(place.start)}
    return Reason(place.start_reason).label


def _stop_reason(place: Place, now: Place | None, units: dict[int, OrgUnit]) -> str:
    day = _day(place.stop + _DAY if place.stop else None)
    if now is not None:
        return _("Transferred to %(unit)s on %(date)s") % {
            "unit": units[now.unit_id].name, "date": _day(now.start),
        }  # fmt: skip
    reasons = {
        Reason.UNPAID_LEAVE: _("Leave without pay from %(date)s (14 working days or more)"),
        Reason.MATERNITY: _("Maternity leave from %(date)s"),
        Reason.SICK_LEAVE: _("Long sick leave from %(date)s"),
        Reason.OTHER_ABSENCE: _("Absent without contributions from %(date)s"),
        Reason.RETIREMENT: _("Retired from %(date)s"),
        Reason.RESIGNATION: _("Resigned from %(date)s"),
        Reason.DEATH: _("Died on %(date)s"),
        Reason.TRANSFER_OUT: _("Transferred out from %(date)s"),
    }
    template = reasons.get(place.stop_reason)
    if template is None:
        return _("No longer participating")
    return template % {"date": day}


def _salary_change(kind: str, before: Decimal, after: Decimal) -> str:
    text = _("Contribution salary %(before)s → %(after)s")
    return text % {"before": f"{before:,.0f}".replace(",", "."),
                   "after": f"{after:,.0f}".replace(",", ".")}  # fmt: skip


def _salary_moved(
    old: ContributionRow | None, new: ContributionRow | None, base_salaries: tuple[Decimal, Decimal]
) -> int:
    """+1 when the contribution salary went up in coefficients, -1 when down, 0 otherwise. A new
    base salary alone changes no coefficient and is not reported: the office applies it to
    everyone (docs/rules.md §5.12)."""
    if old is None or new is None or not all(base_salaries):
        return 0
    before = (old.insurance_salary / base_salaries[0]).quantize(COEFFICIENT_PLACES)
    after = (new.insurance_salary / base_salaries[1]).quantize(COEFFICIENT_PLACES)
    return (after > before) - (after < before)


def _changes_of(
    participation: Participation,
    scope: set[int] | None,
    now_rows: dict[int, ContributionRow],
    before_rows: dict[int, ContributionRow],
    not_in_payroll: set[int],
    base_salaries: tuple[Decimal, Decimal],
) -> list[Change]:
    month = participation.month
    units = participation.units
    result: list[Change] = []
    for staff_id in set(participation.now) | set(participation.before):
        now = participation.now.get(staff_id)
        before = participation.before.get(staff_id)
        now_in = participation.in_scope(now, scope)
        before_in = participation.in_scope(before, scope)
        moved = (
            now is not None
            and before is not None
            and (now.reporting_unit_id != before.reporting_unit_id)
        )
        if now_in and (before is None or moved):
            change = Change(JOIN, staff_id, now.reporting_unit_id, now.unit_id, from_month=month,
                            reason=_join_reason(now, before if moved else None, units))  # fmt: skip
            row = now_rows.get(staff_id)
            change.salary = row.insurance_salary if row else None
            if row is None:
                change.problems.append(
                    _("not in the locked payroll of the month")
                    if staff_id in not_in_payroll
                    else _("no contribution salary: no approved salary decision")
                )
            result.append(change)
        if before_in and (now is None or moved):
            change = Change(STOP, staff_id, before.reporting_unit_id, before.unit_id,
                            from_month=month,
                            reason=_stop_reason(before, now if moved else None, units))  # fmt: skip
            row = before_rows.get(staff_id)
            change.salary = row.insurance_salary if row else None
            result.append(change)
        if now_in and before is not None and not moved:
            row, old = now_rows.get(staff_id), before_rows.get(staff_id)
            change_ = _salary_moved(old, row, base_salaries)
            if change_:
                kind = RAISE if change_ > 0 else CUT
                result.append(
                    Change(
                        kind,
                        staff_id,
                        now.reporting_unit_id,
                        now.unit_id,
                        salary=row.insurance_salary,
                        previous_salary=old.insurance_salary,
                        from_month=month,
                        reason=_salary_change(kind, old.insurance_salary, row.insurance_salary),
                    )  # fmt: skip
                )
        if now_in or (before_in and now is None):
            place = now if now_in else before
            row = now_rows.get(staff_id)
            by_month: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
            for contribution, period in row.back if row else ():
                if contribution.fund in OFFICE_FUNDS:
                    by_month[period][0] += contribution.employee
                    by_month[period][1] += contribution.employer
            for (year, number), (employee, employer) in sorted(by_month.items()):
                past = year * 100 + number
                result.append(
                    Change(
                        BACK,
                        staff_id,
                        place.reporting_unit_id,
                        place.unit_id,
                        from_month=past,
                        to_month=past,
                        employee=employee,
                        employer=employer,
                        reason=_("Back contributions for %(month)s, taken in %(now)s")
                        % {"month": _month_text(past), "now": _month_text(month)},
                    )  # fmt: skip
                )
    return result


def _add_details(changes: list[Change], month: Month, units: dict[int, OrgUnit]) -> None:
    """Names, identifiers, position and the parts of the contribution salary of the rows (the
    rows are few: a handful of queries)."""
    ids = {change.staff_id for change in changes}
    cards = {
        row[0]: row[1:]
        for row in Staff.objects.filter(pk__any=list(ids)).values_list(
            "pk", "full_name", "social_insurance_number", "personal_id", "birth_date", "sex",
            "position_title", "rank__name", "sort_key",
        )
    }  # fmt: skip
    sexes = dict(Staff.Sex.choices)
    details: dict[tuple[int, Month], SalaryDetail] = {}
    for at, kinds in ((month, (JOIN, RAISE, CUT, BACK)), (previous_month(month), (STOP,))):
        wanted = [c.staff_id for c in changes if c.kind in kinds]
        for staff_id, detail in _salary_details(at, wanted).items():
            details[(staff_id, at)] = detail
    for change in changes:
        name, si_number, personal_id, birth, sex, position, rank, sort_key = cards[change.staff_id]
        change.full_name, change.sort_key = name, sort_key
        change.social_insurance_number, change.personal_id = si_number, personal_id or ""
        change.birth_date, change.sex = str(birth or ""), str(sexes.get(sex, ""))
        unit = units.get(change.unit_id)
        change.position = ", ".join(part for part in (rank, position, unit.name if unit else "")
                                    if part)  # fmt: skip
        at = previous_month(month) if change.kind == STOP else month
        change.detail = details.get((change.staff_id, at), SalaryDetail())
        effective = change.detail.effective
        if change.kind == RAISE and effective and month_of(effective) < month:
            change.from_month = month_of(effective)
            change.reason += " " + _("(decision effective %(date)s; back contributions below)") % {
                "date": _day(effective)
            }


def _salary_details(month: Month, staff_ids: list[int]) -> dict[int, SalaryDetail]:
    if not staff_ids:
        return {}
    loaded = decision_people(month, staff_ids, known_before=month_start(_next(month)))
    if loaded is None:
        return {}
    ctx, people = loaded
    codes = {type_id: kind.code for type_id, kind in ctx.allowances.items()}
    in_base = {
        type_id for type_id, kind in ctx.allowances.items()
        if kind.rule.in_insurance_base
        and kind.code not in (LEADERSHIP_CODE, BEYOND_SCALE_CODE, SENIORITY_CODE)
    }  # fmt: skip
    effective = dict(
        SalaryRecord.objects.filter(
            status=SalaryRecord.Status.APPROVED, staff_id__any=staff_ids,
            effective_date__lte=ctx.end,
        )
        .order_by("staff_id", "-effective_date", "-id")
        .distinct("staff_id")
        .values_list("staff_id", "effective_date")
    )  # fmt: skip
    result = {}
    for staff_id, person in people.items():
        salary = person.salary
        seniority = next(
            (value for type_id, value in person.allowances.items()
             if codes.get(type_id) == SENIORITY_CODE),
            None,
        )  # fmt: skip
        other = sum((value for type_id, value in person.allowances.items() if type_id in in_base),
                    ZERO)  # fmt: skip
        if salary is not None:
            other += salary.reserved_coefficient
        result[staff_id] = SalaryDetail(
            coefficient=salary.coefficient if salary else None,
            leadership=salary.leadership_coefficient if salary else None,
            beyond_scale=salary.beyond_scale_percent if salary else None,
            seniority=seniority,
            other=other or None,
            effective=effective.get(staff_id),
        )
    return result


def _base_salary(month: Month) -> Decimal:
    try:
        return parameters_at(datetime.date(month // 100, month % 100, 1)).base_salary
    except LookupError:
        return ZERO


def _next(month: Month) -> Month:
    year, number = divmod(month, 100)
    return (year + 1) * 100 + 1 if number == 12 else month + 1


def change_list(
    *,
    month: Month,
    unit_ids: list[int] | None,
    participation: Participation | None = None,
    now: MonthRows | None = None,
) -> ChangeList:
    """The D02-LT changes of ``month`` for the people working in ``unit_ids`` (everyone when
    None), grouped by reporting unit, in the layout's order (``participation`` and the month's
    rows ``now`` may be passed in when already read)."""
    participation = participation or participation_of(month, unit_ids)
    scope = set(unit_ids) if unit_ids is not None else None
    now_people = {
        staff_id: place.reporting_unit_id for staff_id, place in participation.now.items()
    }
    before_people = {
        staff_id: place.reporting_unit_id for staff_id, place in participation.before.items()
    }
    province = unit_ids is None
    now = now or month_rows(month, now_people, all_locked=province)
    before = month_rows(previous_month(month), before_people, detail=SALARY, all_locked=province)
    base_salaries = (_base_salary(previous_month(month)), _base_salary(month))
    changes = _changes_of(
        participation, scope, now.rows, before.rows, now.not_in_payroll, base_salaries
    )
    _add_details(changes, month, participation.units)
    grouped: dict[int, list[Change]] = defaultdict(list)
    for change in changes:
        grouped[change.reporting_unit_id].append(change)
    registered = registrations(grouped)
    units = []
    for unit_id, found in grouped.items():
        found.sort(key=lambda c: (KIND_ORDER[c.kind], c.sort_key, c.staff_id, c.from_month or 0))
        units.append(UnitChanges(participation.units[unit_id], registered.get(unit_id), found))
    units.sort(key=lambda u: u.unit.path)
    return ChangeList(month=month, units=units)
