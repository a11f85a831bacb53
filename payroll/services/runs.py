"""Monthly payroll runs: open, compute (with arrears), approve, return, lock, compare.

A run is computed set-based: the month's parameters are read once, every person's inputs in a
handful of queries, the pure rules (``payroll.rules.payslip``) give each payslip, and the
payslips are written with COPY in the same transaction. Four eyes: whoever computed a run never
approves it, and nobody approves a run that pays themselves (``personnel.permissions``).
A locked run is immutable (database triggers); later corrections arrive as arrears lines
(truy lĩnh) and back contributions (truy đóng) naming the month they belong to
(docs/rules.md §7).
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hrms.lib.audit import audited
from hrms.lib.db import ids
from payroll.models import PayrollRun, Payslip
from payroll.rules.contributions import Contribution, Fund
from payroll.rules.payslip import Line, compute_payslip, month_arrears
from payroll.selectors.month import (
    MissingParameter,
    MonthContext,
    month_context,
    month_contexts_reused,
)
from payroll.selectors.payroll_inputs import PersonMonth, people_of_month
from payroll.unpaid_sources import unpaid_periods_changed_at
from personnel.models import Notification, OrgUnit
from personnel.permissions import Act, four_eyes_refusal
from personnel.services import notify_approvers

ZERO = Decimal(0)
Period = tuple[int, int]

PAYSLIP_COLUMNS = (
    "run_id", "staff_id", "year", "month", "unit_id", "category", "rank_code", "step",
    "coefficient", "working_days", "paid_days", "dependants", "suspended", "gross",
    "taxable_gross", "insurance_salary", "insurance_base", "employee_insurance",
    "employer_insurance", "employee_back_contributions", "union_dues", "taxable_income",
    "personal_income_tax", "arrears", "net", "lines", "contributions", "back_contributions",
    "arrears_periods", "computed_at",
)  # fmt: skip


@dataclass
class ComputeResult:
    """What a computation did, for the screen and the command line."""

    runs: list[PayrollRun]
    payslips: int = 0
    arrears_people: int = 0
    warnings: list[str] = field(default_factory=list)


def _period_key(period: Period) -> int:
    return period[0] * 100 + period[1]


def _key_period(key: int) -> Period:
    return divmod(key, 100)


# --- Opening and computing ----------------------------------------------------------------


@transaction.atomic
def payroll_run_open(*, unit: OrgUnit, year: int, month: int, actor) -> PayrollRun:
    """The run of ``unit`` (a unit that keeps its own payroll) for a month, opened as a draft
    when it does not exist yet."""
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationError({"month": _("Choose a month between 01/2000 and 12/2100.")})
    if not getattr(unit, "keeps_payroll", True):
        raise ValidationError(
            {"unit": _("%(unit)s does not keep its own payroll.") % {"unit": unit.name}}
        )
    run, _created = PayrollRun.objects.get_or_create(unit=unit, year=year, month=month)
    return run


def _lock_runs(runs: list[PayrollRun]) -> list[PayrollRun]:
    locked = list(
        PayrollRun.objects.select_for_update()
        .select_related("unit")
        .filter(pk__in=[run.pk for run in runs])
        .order_by("pk")
    )
    if len({run.period for run in locked}) > 1:
        raise ValidationError(_("Runs of different months are computed separately."))
    return locked


def payroll_runs_compute(*, runs: list[PayrollRun], actor) -> ComputeResult:
    """Compute (or recompute) draft runs of one month, all at once, arrears included; the
    payslips they held are replaced. Approved and locked runs are refused."""
    with transaction.atomic(), month_contexts_reused():
        runs = _lock_runs(runs)
        for run in runs:
            if run.status not in (PayrollRun.Status.DRAFT, PayrollRun.Status.COMPUTED):
                raise ValidationError(
                    _("%(run)s is %(status)s: it can no longer be recomputed.")
                    % {"run": run, "status": run.get_status_display().lower()}
                )
        if not runs:
            return ComputeResult(runs=[])
        year, month = runs[0].period
        try:
            ctx = month_context(year, month)
        except MissingParameter as missing:
            raise ValidationError(str(missing)) from missing
        result = ComputeResult(runs=runs)
        people = people_of_month(ctx, payroll_unit_ids=[run.unit_id for run in runs])
        arrears = month_arrears_due(ctx=ctx, staff_ids=ids(p.staff_id for p in people))
        result.arrears_people = len(arrears)
        run_of_unit = {run.unit_id: run for run in runs}
        now = timezone.now()
        owes_union_fee = ctx.union_fee_owed
        rows = []
        for person in people:
            extra_lines, back = arrears.get(person.staff_id, ((), ()))
            if not extra_lines and not person.is_paid:
                result.warnings.append(str(person.staff_id))
                continue
            payslip = compute_payslip(
                person.payslip_input(
                    ctx,
                    owes_union_fee=owes_union_fee,
                    extra_lines=tuple(extra_lines),
                    back_contributions=tuple(contribution for contribution, _p in back),
                ),
                ctx.params,
            )
            rows.append(
                _payslip_row(run_of_unit[person.payroll_unit_id], person, payslip, back, now)
            )
        run_ids = [run.pk for run in runs]
        Payslip.objects.filter(run__any=ids(run_ids)).delete()
        _copy_payslips(rows)
        _store_totals(run_ids, rows)
        with audited(actor, _("Payroll computed")):
            PayrollRun.objects.filter(pk__in=run_ids).update(
                status=PayrollRun.Status.COMPUTED,
                prepared_by=actor,
                computed_at=now,
                fingerprint=ctx.fingerprint,
                returned_reason="",
            )
        fresh = PayrollRun.objects.in_bulk(run_ids)
        for run in runs:
            for name in ("status", "prepared_by_id", "computed_at", "fingerprint",
                         "returned_reason", "headcount", *_TOTALS):  # fmt: skip
                setattr(run, name, getattr(fresh[run.pk], name))
        result.payslips = len(rows)
        if result.warnings:
            result.warnings = _no_salary_warnings(result.warnings)
        notify_approvers(
            units=[run.unit for run in runs],
            kind=Notification.Kind.DECISION_AWAITS,
            text=_("The payroll of %(month)02d/%(year)s awaits your approval.")
            % {"month": month, "year": year},
            link=f"{reverse('payroll:run_list')}?status=computed",
            actor=actor,
        )
        return result


def payroll_run_compute(*, run: PayrollRun, actor) -> ComputeResult:
    """Compute one run (see ``payroll_runs_compute``)."""
    return payroll_runs_compute(runs=[run], actor=actor)


def _no_salary_warnings(staff_ids: list[str]) -> list[str]:
    from personnel.models import Staff

    names = Staff.objects.filter(pk__any=ids(int(pk) for pk in staff_ids)).values_list(
        "full_name", "staff_number"
    )
    return [
        _("%(name)s (%(number)s): no approved salary decision and no allowance; not paid.")
        % {"name": name, "number": number}
        for name, number in names
    ]


def _line_json(line: Line) -> list:
    period = line.period
    return [
        line.code, line.label, str(line.amount), line.in_insurance_base, line.taxable,
        period[0] if period else None, period[1] if period else None,
    ]  # fmt: skip


def _payslip_row(run, person: PersonMonth, payslip, back, now) -> tuple:
    salary = person.salary
    arrears_lines = [line for line in payslip.lines if line.period is not None]
    periods = sorted(
        {_period_key(line.period) for line in arrears_lines}
        | {_period_key(period) for _c, period in back}
    )
    return (
        run.pk, person.staff_id, run.year, run.month, person.unit_id, person.category,
        salary.rank_code if salary else "", salary.step if salary else None,
        salary.coefficient if salary else None, payslip.working_days, payslip.paid_days,
        person.dependants, payslip.suspended, payslip.gross, payslip.taxable_gross,
        payslip.insurance_salary, payslip.insurance_base, payslip.employee_insurance,
        payslip.employer_insurance, payslip.employee_back_contributions, payslip.union_dues,
        payslip.taxable_income, payslip.personal_income_tax,
        sum((line.amount for line in arrears_lines), ZERO), payslip.net,
        json.dumps([_line_json(line) for line in payslip.lines], ensure_ascii=False),
        json.dumps([[c.fund.value, str(c.employee), str(c.employer)]
                    for c in payslip.contributions]),
        json.dumps([[c.fund.value, str(c.employee), str(c.employer), p[0], p[1]]
                    for c, p in back]),
        "{" + ",".join(str(key) for key in periods) + "}", now,
    )  # fmt: skip


def _copy_payslips(rows: list[tuple]) -> None:
    """Write payslips with COPY (a province's month is 100,000 rows)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        raw = cursor.cursor
        statement = f"COPY payroll_payslip ({', '.join(PAYSLIP_COLUMNS)}) FROM STDIN"
        with raw.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)


_TOTALS = ("gross", "employee_insurance", "employer_insurance", "union_dues",
           "personal_income_tax", "arrears", "net")  # fmt: skip


def _store_totals(run_ids: list[int], rows: list[tuple]) -> None:
    """Every run's totals, summed from the payslip rows just written (reading them back would
    depend on table statistics that a first large COPY leaves stale)."""
    index = {name: PAYSLIP_COLUMNS.index(name) for name in _TOTALS}
    totals = {run_id: [0, *([ZERO] * len(_TOTALS))] for run_id in run_ids}
    for row in rows:
        entry = totals[row[0]]
        entry[0] += 1
        for position, name in enumerate(_TOTALS, start=1):
            entry[position] += row[index[name]]
    values = ", ".join(["(%s, %s" + ", %s" * len(_TOTALS) + ")"] * len(totals))
    params = [value for run_id, entry in totals.items() for value in (run_id, *entry)]
    assignments = ", ".join(f"{name} = t.{name}" for name in ("headcount", *_TOTALS))
    columns = ", ".join(("run_id", "headcount", *_TOTALS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE payroll_payrollrun AS r SET {assignments} "
            f"FROM (VALUES {values}) AS t({columns}) WHERE r.id = t.run_id",
            params,
        )


# --- Arrears ------------------------------------------------------------------------------

_SETTLED_SQL = """
WITH paid AS (
    SELECT p.staff_id, p.year * 100 + p.month AS period, p.computed_at
    FROM payroll_payslip p JOIN payroll_payrollrun r ON r.id = p.run_id
    WHERE r.status = 'locked' AND p.staff_id = ANY(%(ids)s::bigint[])
      AND p.year * 100 + p.month < %(current)s
    UNION ALL
    SELECT p.staff_id, a.period, p.computed_at
    FROM payroll_payslip p JOIN payroll_payrollrun r ON r.id = p.run_id
    CROSS JOIN LATERAL unnest(p.arrears_periods) AS a(period)
    WHERE r.status = 'locked' AND p.staff_id = ANY(%(ids)s::bigint[])
), settled AS (
    SELECT staff_id, period, max(computed_at) AS settled_at,
           make_date(period / 100, period %% 100, 1) AS first_day,
           (make_date(period / 100, period %% 100, 1)
            + interval '1 month - 1 day')::date AS last_day
    FROM paid GROUP BY staff_id, period
)
SELECT s.staff_id, s.period FROM settled s
WHERE s.period = ANY(%(changed_periods)s::integer[])
   OR EXISTS (SELECT 1 FROM payroll_salaryrecord x WHERE x.staff_id = s.staff_id
              AND x.status = 'approved' AND x.decided_at > s.settled_at
              AND x.effective_date <= s.last_day)
   -- any change to a person's allowances or dependants: a correction may have moved a row
   -- out of the month as well as into it
   OR EXISTS (SELECT 1 FROM payroll_allowanceassignment x WHERE x.staff_id = s.staff_id
              AND x.updated_at > s.settled_at)
   OR EXISTS (SELECT 1 FROM payroll_dependant x WHERE x.staff_id = s.staff_id
              AND x.updated_at > s.settled_at)
   OR EXISTS (SELECT 1 FROM payroll_payprofile x WHERE x.staff_id = s.staff_id
              AND x.updated_at > s.settled_at)
   OR EXISTS (SELECT 1 FROM personnel_movement x WHERE x.staff_id = s.staff_id
              AND x.recorded_at > s.settled_at AND x.effective_date <= s.last_day)
   OR EXISTS (SELECT 1 FROM personnel_staff x WHERE x.id = s.staff_id
              AND x.updated_at > s.settled_at)
   -- periods without pay recorded elsewhere (insurance: maternity, sick leave), by when each
   -- person's last changed (payroll.unpaid_sources)
   OR EXISTS (SELECT 1 FROM unnest(%(unpaid_ids)s::bigint[], %(unpaid_at)s::timestamptz[])
                 AS x(staff_id, changed_at)
              WHERE x.staff_id = s.staff_id AND x.changed_at > s.settled_at)
"""


def _changed_periods(staff_ids: list[int], current: int) -> list[int]:
    """Locked months whose legal parameters changed since they were computed (a backdated
    base salary, rate or unit allowance): every payslip of those months is checked."""
    locked = (
        PayrollRun.objects.filter(
            status=PayrollRun.Status.LOCKED,
            pk__in=Payslip.objects.filter(staff__any=ids(staff_ids)).values("run_id"),
        )
        .exclude(fingerprint="")
        .values_list("year", "month", "fingerprint")
        .distinct()
    )
    fingerprints: dict[int, set[str]] = defaultdict(set)
    for year, month, fingerprint in locked:
        if year * 100 + month < current:
            fingerprints[year * 100 + month].add(fingerprint)
    changed = []
    for key, stored in fingerprints.items():
        try:
            now = month_context(*_key_period(key)).fingerprint
        except MissingParameter:
            continue
        if stored != {now}:
            changed.append(key)
    return changed


def _dirty_periods(staff_ids: list[int], current: int) -> dict[int, list[int]]:
    """Period → people whose locked month may owe arrears: something it was computed from
    changed after it was last settled."""
    if not staff_ids:
        return {}
    dirty: dict[int, list[int]] = defaultdict(list)
    unpaid = unpaid_periods_changed_at(staff_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            _SETTLED_SQL,
            {
                "ids": ids(staff_ids).literal,
                "current": current,
                "changed_periods": ids(_changed_periods(staff_ids, current)).literal,
                "unpaid_ids": ids(unpaid).literal,
                "unpaid_at": list(unpaid.values()),
            },
        )
        for staff_id, period in cursor.fetchall():
            dirty[period].append(staff_id)
    return dirty


def _line_from_json(item: list) -> Line:
    code, label, amount, in_base, taxable, year, month = item
    return Line(code, label, Decimal(amount), in_base, taxable, (year, month) if year else None)


def _paid_for(staff_ids: list[int], period: Period):
    """What was paid for ``period`` by locked payslips: the month's own lines and
    contributions, and arrears lines and back contributions paid for it later."""
    lines: dict[int, list[Line]] = defaultdict(list)
    contributions: dict[int, list[Contribution]] = defaultdict(list)
    key = _period_key(period)
    # the month itself, or a later month paying arrears for it
    for staff_id, year, month, stored_lines, stored, back in (
        Payslip.objects.filter(run__status=PayrollRun.Status.LOCKED, staff__any=ids(staff_ids))
        .filter(Q(year=period[0], month=period[1]) | Q(arrears_periods__contains=[key]))
        .values_list("staff_id", "year", "month", "lines", "contributions", "back_contributions")
    ):
        own = (year, month) == period
        for item in stored_lines:
            line = _line_from_json(item)
            if (own and line.period is None) or line.period == period:
                lines[staff_id].append(line if line.period else _as_period(line, period))
        if own:
            for fund, employee, employer in stored:
                contributions[staff_id].append(
                    Contribution(Fund(fund), Decimal(employee), Decimal(employer))
                )
        for fund, employee, employer, back_year, back_month in back:
            if (back_year, back_month) == period:
                contributions[staff_id].append(
                    Contribution(Fund(fund), Decimal(employee), Decimal(employer))
                )
    return lines, contributions


def _as_period(line: Line, period: Period) -> Line:
    return Line(line.code, line.label, line.amount, line.in_insurance_base, line.taxable, period)


def month_arrears_due(
    *, ctx: MonthContext, staff_ids: list[int]
) -> dict[int, tuple[list[Line], list[tuple[Contribution, Period]]]]:
    """For each person, the arrears lines and back contributions owed for locked past months
    whose inputs changed after they were settled: what is due for the month now, less what
    was paid for it (docs/rules.md §7.5, §5.7). Re-running with no change gives nothing."""
    owed: dict[int, tuple[list[Line], list[tuple[Contribution, Period]]]] = {}
    for key, people_ids in sorted(_dirty_periods(staff_ids, _period_key(ctx.period)).items()):
        period = _key_period(key)
        past = month_context(*period)
        due_people = {
            p.staff_id: p for p in people_of_month(past, staff_ids=people_ids) if p.is_paid
        }
        paid_lines, paid_contributions = _paid_for(people_ids, period)
        for staff_id in people_ids:
            person = due_people.get(staff_id)
            due = (
                compute_payslip(person.payslip_input(past, owes_union_fee=past.union_fee_owed),
                                past.params)
                if person is not None
                else None
            )  # fmt: skip
            difference = month_arrears(
                period=period,
                paid_lines=paid_lines.get(staff_id, []),
                due_lines=[_as_period(line, period) for line in due.lines] if due else [],
                paid_contributions=paid_contributions.get(staff_id, []),
                due_contributions=due.contributions if due else (),
            )
            if difference.is_empty:
                continue
            lines, back = owed.setdefault(staff_id, ([], []))
            lines.extend(difference.lines)
            back.extend((contribution, period) for contribution in difference.back_contributions)
    return owed


# --- Approval, return, lock ---------------------------------------------------------------


def _locked_run(run: PayrollRun) -> PayrollRun:
    return PayrollRun.objects.select_for_update().select_related("unit").get(pk=run.pk)


@transaction.atomic
def payroll_run_approve(*, run: PayrollRun, actor) -> PayrollRun:
    """Approve a computed run. Four eyes: not by whoever computed it, and not by anyone the
    run pays (docs/rules.md §10)."""
    run = _locked_run(run)
    if run.status != PayrollRun.Status.COMPUTED:
        raise ValidationError(_("Only a computed run awaiting approval can be approved."))
    refusal = four_eyes_refusal(
        actor=actor,
        act=Act.APPROVE,
        concerns=run.payslips.values_list("staff_id", flat=True),
        prepared_by_id=run.prepared_by_id,
    )
    if refusal:
        raise ValidationError(refusal, code="four_eyes")
    with audited(actor, _("Payroll approved")):
        run.status = PayrollRun.Status.APPROVED
        run.approved_by, run.approved_at = actor, timezone.now()
        run.save(update_fields=["status", "approved_by", "approved_at"])
    return run


@transaction.atomic
def payroll_run_return(*, run: PayrollRun, actor, reason: str) -> PayrollRun:
    """Send a computed or approved run back to the clerk with the reason (not a locked one)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason: the clerk will read it.")})
    run = _locked_run(run)
    if run.status not in (PayrollRun.Status.COMPUTED, PayrollRun.Status.APPROVED):
        raise ValidationError(_("Only a computed or approved run can be sent back."))
    refusal = four_eyes_refusal(
        actor=actor, act=Act.REJECT, concerns=run.payslips.values_list("staff_id", flat=True)
    )
    if refusal:
        raise ValidationError(refusal, code="four_eyes")
    with audited(actor, _("Payroll returned")):
        run.status = PayrollRun.Status.DRAFT
        run.returned_reason = reason[:255]
        run.approved_by = run.approved_at = None
        run.save(update_fields=["status", "returned_reason", "approved_by", "approved_at"])
    return run


@transaction.atomic
def payroll_run_lock(*, run: PayrollRun, actor) -> PayrollRun:
    """Lock an approved run: from now on the database refuses any change to it; corrections
    go into a later month."""
    run = _locked_run(run)
    if run.status != PayrollRun.Status.APPROVED:
        raise ValidationError(_("Only an approved run can be locked."))
    with audited(actor, _("Payroll locked")):
        run.status = PayrollRun.Status.LOCKED
        run.locked_by, run.locked_at = actor, timezone.now()
        run.save(update_fields=["status", "locked_by", "locked_at"])
    return run


# --- Recompute and compare ----------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """A person whose month, recomputed now, differs from what the run holds."""

    staff_id: int
    stored_net: Decimal
    recomputed_net: Decimal
    lines: tuple[tuple[str, str, Decimal, Decimal], ...]  # code, label, stored, recomputed


def payroll_run_compare(*, run: PayrollRun) -> list[Difference]:
    """Recompute the run's month with today's data, without writing anything, and list who
    would be paid differently (for a locked run: what the next arrears will pay)."""
    ctx = month_context(run.year, run.month)
    stored = {
        payslip.staff_id: payslip
        for payslip in Payslip.objects.filter(run=run).only(
            "staff_id", "net", "lines", "year", "month"
        )
    }
    people = {
        p.staff_id: p for p in people_of_month(ctx, payroll_unit_ids=[run.unit_id]) if p.is_paid
    }
    differences = []
    for staff_id in sorted(set(stored) | set(people)):
        person = people.get(staff_id)
        now = (
            compute_payslip(person.payslip_input(ctx, owes_union_fee=ctx.union_fee_owed),
                            ctx.params)
            if person
            else None
        )  # fmt: skip
        before = stored.get(staff_id)
        old_lines = {}
        if before is not None:
            for item in before.lines:
                line = _line_from_json(item)
                if line.period is None:
                    old_lines[line.code] = (line.label, line.amount)
        new_lines = {line.code: (line.label, line.amount) for line in (now.lines if now else ())}
        changed = tuple(
            (code, (new_lines.get(code) or old_lines.get(code))[0],
             old_lines.get(code, (None, ZERO))[1], new_lines.get(code, (None, ZERO))[1])
            for code in sorted(set(old_lines) | set(new_lines))
            if old_lines.get(code, (None, ZERO))[1] != new_lines.get(code, (None, ZERO))[1]
        )  # fmt: skip
        if changed:
            differences.append(
                Difference(
                    staff_id=staff_id,
                    stored_net=before.net if before else ZERO,
                    recomputed_net=now.net if now else ZERO,
                    lines=changed,
                )
            )
    return differences


def month_of(value: str) -> tuple[int, int]:
    """``YYYY-MM`` (or ``MM/YYYY``) as (year, month); ValidationError when it is not a month."""
    text = value.strip()
    try:
        if "/" in text:
            month, year = text.split("/")
        else:
            year, month = text.split("-")
        day = datetime.date(int(year), int(month), 1)
    except (ValueError, TypeError) as error:
        raise ValidationError({"month": _("Enter a month as MM/YYYY, e.g. 07/2026.")}) from error
    return day.year, day.month
