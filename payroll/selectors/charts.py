"""The figures of the charts page: a user's people (their scope) at a date, counted by unit,
category, rank group, age and sex, education and political theory; retirements per year for
the next five years and step raises due per quarter (the due-list rules).

The charts live in payroll because the last two need its rules (retirement ages, raise
intervals); everything else is a grouped count in SQL on the scoped staff.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payroll.rules.progression import add_months
from payroll.selectors.due_lists import due_list, scoped_staff
from personnel import permissions
from personnel.inbox import quarter_bounds
from personnel.models import OrgUnit, Staff

AGE_BAND = 5  # years per band of the pyramid
CHARTS = {
    "units": gettext_lazy("Headcount by unit"),
    "category": gettext_lazy("Headcount by category"),
    "rank_group": gettext_lazy("Headcount by rank group"),
    "age": gettext_lazy("Age pyramid by sex"),
    "education": gettext_lazy("Professional qualification"),
    "political": gettext_lazy("Political theory"),
    "retirements": gettext_lazy("Retirements per year, next five years"),
    "raises": gettext_lazy("Step raises due per quarter, next four quarters"),
}


@dataclass
class Chart:
    key: str
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)  # [label, value…]

    @property
    def total(self) -> int:
        return sum(sum(value for value in row[1:]) for row in self.rows)


def working_on(user, on: datetime.date):
    """The staff ``user`` may see who were working on ``on`` (recruited by then, and still
    working or on leave, or who left after it)."""
    return permissions.visible_staff(user).filter(
        Q(recruitment_date__isnull=True) | Q(recruitment_date__lte=on),
        Q(status__in=[Staff.Status.ACTIVE, Staff.Status.LEAVE_WITHOUT_PAY])
        | Q(status_since__gt=on),
    )


def _by_unit(user, staff) -> list[list]:
    steplen = OrgUnit.steplen
    paths = permissions.granted_paths(user, permissions.VIEW_STAFF)
    roots = (
        list(OrgUnit.objects.filter(depth=1).values_list("path", flat=True))
        if paths is None
        else paths
    )
    counts: Counter = Counter()
    for path, count in staff.values_list("unit__path").annotate(n=Count("id")).order_by():
        root = next((r for r in roots if path.startswith(r)), None)
        if root is None:  # one's own record outside the granted units
            continue
        counts[path[: len(root) + steplen] if len(path) > len(root) else root] += count
    names = dict(OrgUnit.objects.filter(path__in=list(counts)).values_list("path", "name"))
    return [[names.get(path, path), count] for path, count in sorted(counts.items())]


def _grouped(staff, column: str, labels: dict, empty: str) -> list[list]:
    found = dict(staff.values_list(column).annotate(n=Count("id")).order_by())
    rows = [[str(label), found.pop(value, 0)] for value, label in labels.items() if value]
    rows += [[str(value), count] for value, count in sorted(found.items(), key=str) if value]
    rows.append([empty, sum(count for value, count in found.items() if not value)])
    return [row for row in rows if row[1]]


def _ages(staff, on: datetime.date) -> list[list]:
    band = RawSQL(
        "floor(extract(year from age(%s::date, personnel_staff.date_of_birth)) / %s)::int",
        (on, AGE_BAND),
    )
    counts = (
        staff.filter(date_of_birth__isnull=False)
        .annotate(band=band)
        .values_list("band", "sex")
        .annotate(n=Count("id"))
        .order_by()
    )
    table: dict[int, dict[str, int]] = {}
    for value, sex, count in counts:
        table.setdefault(value, {})[sex] = count
    rows = []
    for value in sorted(table):
        start = value * AGE_BAND
        rows.append(
            [
                f"{start}–{start + AGE_BAND - 1}",
                table[value].get(Staff.Sex.MALE, 0),
                table[value].get(Staff.Sex.FEMALE, 0),
            ]
        )
    return rows


def chart_data(*, user, on: datetime.date, only: str | None = None) -> list[Chart]:
    """Every chart (or ``only`` one) of ``user``'s scope on ``on``."""
    wanted = [only] if only else list(CHARTS)
    staff = working_on(user, on)
    charts = []
    for key in wanted:
        title = str(CHARTS[key])
        count = _("People")
        if key == "units":
            chart = Chart(key, title, [_("Unit"), count], _by_unit(user, staff))
        elif key == "category":
            rows = _grouped(staff, "category", dict(Staff.Category.choices), _("Not recorded"))
            chart = Chart(key, title, [_("Category"), count], rows)
        elif key == "rank_group":
            found = staff.values_list("rank__group__code").annotate(n=Count("id")).order_by()
            rows = sorted([[code or _("No rank recorded"), n] for code, n in found], key=str)
            chart = Chart(key, title, [_("Salary group"), count], rows)
        elif key == "age":
            header = [_("Age"), str(Staff.Sex.MALE.label), str(Staff.Sex.FEMALE.label)]
            chart = Chart(key, title, header, _ages(staff, on))
        elif key == "education":
            labels = dict(Staff.Qualification.choices)
            rows = _grouped(staff, "qualification", labels, _("Not recorded"))
            chart = Chart(key, title, [_("Qualification"), count], rows)
        elif key == "political":
            labels = dict(Staff.PoliticalTheory.choices)
            rows = _grouped(staff, "political_theory", labels, _("None recorded"))
            chart = Chart(key, title, [_("Political theory"), count], rows)
        elif key == "retirements":
            end = datetime.date(on.year + 4, 12, 31)
            found = due_list(
                staff=scoped_staff(user=user, unit=None), kind="retirement", start=on, end=end
            )
            years = Counter(row.retires_on.year for row in found)
            rows = [[str(year), years.get(year, 0)] for year in range(on.year, on.year + 5)]
            chart = Chart(key, title, [_("Year"), count], rows)
        else:  # raises
            start, _end = quarter_bounds(on)
            end = add_months(start, 12) - datetime.timedelta(days=1)
            found = due_list(
                staff=scoped_staff(user=user, unit=None), kind="regular", start=start, end=end
            )
            quarters = Counter(quarter_bounds(row.due_date)[0] for row in found)
            rows = []
            for index in range(4):
                first = add_months(start, 3 * index)
                label = _("Q%(quarter)s/%(year)s") % {
                    "quarter": (first.month - 1) // 3 + 1,
                    "year": first.year,
                }
                rows.append([label, quarters.get(first, 0)])
            chart = Chart(key, title, [_("Quarter"), count], rows)
        charts.append(chart)
    return charts
