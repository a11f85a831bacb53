"""Absences the insurance fund pays for, as payroll reads them (see payroll.unpaid_sources)."""

import datetime
from collections import defaultdict

from django.db.models import Max, Q

from hrms.lib.db import ids
from insurance.models import Absence

# Maternity and sick leave are paid by the social-insurance fund, not by the unit; an "other"
# absence recorded here is for the insurance office only and does not change the pay.
PAID_BY_THE_FUND = (Absence.Kind.MATERNITY, Absence.Kind.SICK_LEAVE)


def paid_by_the_fund(
    staff_ids, start: datetime.date, end: datetime.date
) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
    """Maternity and sick-leave absences overlapping ``start``–``end``, by person (an absence
    still running ends with ``end``)."""
    found: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for staff_id, first, last in Absence.objects.filter(
        Q(end__isnull=True) | Q(end__gte=start),
        staff_id__any=ids(staff_ids),
        kind__in=PAID_BY_THE_FUND,
        start__lte=end,
    ).values_list("staff_id", "start", "end"):
        found[staff_id].append((first, last or end))
    return found


def absences_changed_at(staff_ids) -> dict[int, datetime.datetime]:
    """When each person's absences were last recorded or changed, whatever their kind (a
    change of kind or dates may take days out of a month as well as into it); absences are
    never deleted."""
    return dict(
        Absence.objects.filter(staff_id__any=ids(staff_ids))
        .values("staff_id")
        .annotate(latest=Max("updated_at"))
        .values_list("staff_id", "latest")
    )
