"""Payroll's lines of the home-page inbox (``personnel.inbox``, registered in
``PayrollConfig.ready``): decisions and payroll runs awaiting approval (head), rejected drafts,
raises and beyond-scale steps due this quarter and retirements in the next six months (clerk),
a new payslip (staff), and the province's totals (administrator).

The due-list lines run the due-list rules over the clerk's working staff; the administrator's
province-wide line counts stay plain SQL counts (the due lists of 100,000 people are a page of
their own, not a line of the home page).
"""

import datetime
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from payroll.models import PayrollRun, Payslip, SalaryRecord
from payroll.rules.progression import add_months
from payroll.selectors import approvable_drafts
from payroll.selectors.due_lists import due_list, scoped_staff
from personnel import permissions
from personnel.inbox import InboxLine, quarter_bounds

Role = permissions.Role


def _due_url(kind: str, start: datetime.date, end: datetime.date) -> str:
    query = urlencode(
        {"list": kind, "start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")}
    )
    return f"{reverse('payroll:due_list')}?{query}"


def _runs_to_approve(user):
    paths = permissions.granted_paths(user, permissions.APPROVE_SALARY)
    runs = PayrollRun.objects.filter(status=PayrollRun.Status.COMPUTED)
    if paths is None:
        return runs
    return runs.filter(unit__in=permissions.visible_units(user, permissions.APPROVE_SALARY))


DUE_COUNT_SECONDS = 10 * 60


def _due_count(user, staff, kind: str, start: datetime.date, end: datetime.date) -> int:
    """How many rows a due list holds; kept ten minutes per user (a due list of a department
    takes a few hundred milliseconds, too long to run on every visit of the home page)."""
    key = f"inbox:due:{user.pk}:{kind}:{start}:{end}"
    count = cache.get(key)
    if count is None:
        count = len(due_list(staff=staff, kind=kind, start=start, end=end))
        cache.set(key, count, DUE_COUNT_SECONDS)
    return count


def payroll_lines(user, today: datetime.date) -> list[InboxLine]:
    """Payroll's inbox lines for ``user`` on ``today``."""
    lines = []
    admin = permissions.province_wide(user, permissions.CHANGE_STAFF)
    role = Role.PROVINCIAL_ADMIN if admin else None
    runs_url = f"{reverse('payroll:run_list')}?status=computed"
    decisions_url = f"{reverse('payroll:decisions')}?status=draft"
    if permissions.may_approve_any(user):
        lines.append(
            InboxLine(
                role or Role.UNIT_HEAD, str(_("Salary decisions awaiting approval")),
                approvable_drafts(user=user).count(), decisions_url, order=20,
            )
        )  # fmt: skip
        lines.append(
            InboxLine(
                role or Role.UNIT_HEAD, str(_("Payroll runs awaiting approval")),
                _runs_to_approve(user).count(), runs_url, order=21,
            )
        )  # fmt: skip
    if permissions.may_edit_any(user):
        rejected = SalaryRecord.objects.filter(
            status=SalaryRecord.Status.REJECTED,
            decided_at__date__gte=today - datetime.timedelta(days=30),
        )
        if not admin:
            rejected = rejected.filter(
                staff__in=permissions.visible_staff(user, permissions.CHANGE_STAFF).values("pk")
            )
        lines.append(
            InboxLine(
                role or Role.HR_CLERK,
                str(_("Salary decisions rejected in the last 30 days")),
                rejected.count(),
                f"{reverse('payroll:decisions')}?status=rejected",
                order=30,
            )
        )
    if permissions.may_edit_any(user) and not admin:
        staff = scoped_staff(user=user, unit=None)
        start, end = quarter_bounds(today)
        for order, kind, label in (
            (40, "regular", _("Step raises due this quarter")),
            (41, "beyond", _("Beyond-scale steps due this quarter")),
        ):
            count = _due_count(user, staff, kind, start, end)
            lines.append(
                InboxLine(Role.HR_CLERK, str(label), count, _due_url(kind, start, end), order)
            )
        retire_end = add_months(today, 6)
        count = _due_count(user, staff, "retirement", today, retire_end)
        lines.append(
            InboxLine(
                Role.HR_CLERK, str(_("Retirements in the next six months")), count,
                _due_url("retirement", today, retire_end), order=50,
            )
        )  # fmt: skip
    own = permissions.own_staff_id(user)
    if own is not None:
        latest = (
            Payslip.objects.filter(
                staff_id=own,
                run__status__in=[PayrollRun.Status.APPROVED, PayrollRun.Status.LOCKED],
                computed_at__date__gte=today - datetime.timedelta(days=31),
            )
            .order_by("-year", "-month")
            .count()
        )
        lines.append(
            InboxLine(
                Role.STAFF, str(_("New payslips (last 31 days)")), latest,
                reverse("payroll:staff_payslips", args=[own]), order=20,
            )
        )  # fmt: skip
    return lines


def salary_decision_targets(staff) -> list[tuple[str, str]]:
    """A person's salary decisions a scan may be attached to (``personnel.document_targets``)."""
    label = _("Salary decision")
    return [
        (
            f"salary:{record.pk}",
            f"{label}: {record.effective_date:%d/%m/%Y} {record.rank.code} "
            f"{_('step')} {record.step} ({record.get_status_display().lower()})",
        )
        for record in SalaryRecord.objects.filter(staff=staff).select_related("rank")
    ]
