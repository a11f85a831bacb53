"""The home page's inbox: what waits for the signed-in user, one line per kind of thing.

Each app registers the lines it owns when it starts (``AppConfig.ready``): personnel its change
requests, exports and the province's totals, payroll its decisions, runs, raises and
retirements. Personnel never imports payroll: it defines this slot and the shape of a line.
A line is a count with a link to the filtered list; lines with nothing waiting are left out,
except the administrator's totals.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personnel import permissions
from personnel.models import ChangeRequest, ExportJob, OrgUnit, Staff


@dataclass(frozen=True)
class InboxLine:
    """One line of the inbox: a count of things and the list showing them."""

    role: str  # permissions.Role value: the heading the line is shown under
    label: str
    count: int
    url: str
    order: int = 50
    always: bool = False  # shown even at zero (the administrator's totals)


Source = Callable[[object, datetime.date], Iterable[InboxLine]]
_sources: list[Source] = []


def register_inbox_source(source: Source) -> None:
    """Called once by each app that contributes lines (``AppConfig.ready``)."""
    if source not in _sources:
        _sources.append(source)


def inbox_lines(user, today: datetime.date | None = None) -> dict[str, list[InboxLine]]:
    """Every registered source's lines for ``user``, by role, those with nothing left out."""
    today = today or timezone.localdate()
    lines: dict[str, list[InboxLine]] = {}
    for source in _sources:
        for line in source(user, today):
            if line.count or line.always:
                lines.setdefault(line.role, []).append(line)
    for role_lines in lines.values():
        role_lines.sort(key=lambda line: line.order)
    return {role: lines[role] for role in permissions.Role.values if role in lines}


def quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``day``'s quarter."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    end_month = first_month + 2
    end = datetime.date(day.year + (end_month == 12), end_month % 12 + 1, 1)
    return start, end - datetime.timedelta(days=1)


def personnel_lines(user, today: datetime.date) -> list[InboxLine]:
    """Change requests (clerk; the requester's own), finished exports, the province's totals."""
    Role = permissions.Role
    lines = []
    admin = permissions.province_wide(user, permissions.CHANGE_STAFF)
    if permissions.may_edit_any(user):
        lines.append(
            InboxLine(
                Role.PROVINCIAL_ADMIN if admin else Role.HR_CLERK,
                str(_("Change requests from staff awaiting you")),
                permissions.change_requests_to_decide(user).count(),
                reverse("personnel:change_requests") + "?status=pending",
                order=10,
            )
        )
    if permissions.may_export_any(user) and not admin:
        ready = ExportJob.objects.filter(
            requested_by=user,
            status=ExportJob.Status.DONE,
            created_at__date__gte=today - datetime.timedelta(days=7),
        ).count()
        lines.append(
            InboxLine(
                Role.HR_CLERK if permissions.may_edit_any(user) else Role.UNIT_HEAD,
                str(_("Finished exports (last 7 days)")),
                ready,
                reverse("personnel:exports"),
                order=80,
            )
        )
    if permissions.own_staff_id(user) is not None:
        mine = ChangeRequest.objects.filter(requested_by=user).aggregate(
            pending=Count("pk", filter=Q(status=ChangeRequest.Status.PENDING)),
            decided=Count(
                "pk",
                filter=Q(
                    status__in=[ChangeRequest.Status.APPROVED, ChangeRequest.Status.REJECTED],
                    decided_at__date__gte=today - datetime.timedelta(days=30),
                ),
            ),
        )
        url = reverse("personnel:change_requests") + "?mine=1"
        lines.append(
            InboxLine(
                Role.STAFF, str(_("Your change requests awaiting a decision")),
                mine["pending"], url, order=10,
            )
        )  # fmt: skip
        lines.append(
            InboxLine(
                Role.STAFF, str(_("Your change requests decided in the last 30 days")),
                mine["decided"], url, order=11,
            )
        )  # fmt: skip
    if admin:
        lines.append(
            InboxLine(
                Role.PROVINCIAL_ADMIN,
                str(_("Working staff in the province")),
                Staff.objects.filter(status=Staff.Status.ACTIVE).count(),
                reverse("personnel:staff_list") + "?status=active",
                order=1,
                always=True,
            )
        )
        lines.append(
            InboxLine(
                Role.PROVINCIAL_ADMIN,
                str(_("Current units")),
                OrgUnit.objects.filter(valid_to__isnull=True).count(),
                reverse("personnel:unit_list"),
                order=2,
                always=True,
            )
        )
    return lines
