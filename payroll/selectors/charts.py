"""The figures of the charts page: a user's people (their scope) at a date, counted by unit,
category, rank group, age and sex, education and political theory; retirements per year for
the next five years and step raises due per quarter (the due-list rules).

The charts live in payroll because the last two need its rules (retirement ages, raise
intervals); everything else is a grouped count in SQL on the scoped staff.
"""

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, DateField, F, Q, When
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from payroll.rules.progression import add_months
from payroll.selectors import retirement_schedules
from payroll.selectors.due_lists import due_list, retirement_date_of_birth, scoped_staff
from personnel import permissions
from personnel.inbox import quarter_bounds
from personnel.models import OrgUnit, Rank, Staff

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


def _grouped_counts(user, on: datetime.date) -> dict[str, dict]:
    """Every grouped count of the charts in one pass over the scoped staff (GROUPING SETS):
    by unit, category, rank, qualification, political theory, (age band, sex), and — for the
    working staff born in the retirement window — (date of birth, sex)."""
    end = datetime.date(on.year + 4, 12, 31)
    band = RawSQL(
        "floor(extract(year from age(%s::date, personnel_staff.date_of_birth)) / %s)::int",
        (on, AGE_BAND),
    )
    retiring = Case(
        When(
            status=Staff.Status.ACTIVE,
            date_of_birth__gt=add_months(on, -70 * 12),
            date_of_birth__lte=add_months(end, -50 * 12),
            then=F("date_of_birth"),
        ),
        default=None,
        output_field=DateField(),
    )
    inner = (
        working_on(user, on)
        .annotate(band=band, retiring=retiring)
        .values(
            "unit_id",
            "category",
            "rank_id",
            "qualification",
            "political_theory",
            "sex",
            "band",
            "retiring",
        )
        .order_by()  # the model's ordering would sort 100,000 rows for nothing
    )
    sql, params = inner.query.sql_with_params()
    columns = ("unit_id", "category", "rank_id", "qualification", "political_theory")
    sets = ", ".join(f"({name})" for name in columns)
    query = (
        f"SELECT {', '.join(columns)}, band, retiring, sex, count(*), "
        f"GROUPING({', '.join(columns)}, band, retiring, sex) "
        f"FROM ({sql}) scoped GROUP BY GROUPING SETS ({sets}, (band, sex), (retiring, sex))"
    )
    found: dict[str, dict] = {name: {} for name in (*columns, "age", "retiring")}
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for *values, band_value, retiring_value, sex, count, grouping in cursor.fetchall():
            # GROUPING() sets a bit per column left out of the row's set (first column highest)
            present = [not grouping & (1 << (7 - index)) for index in range(8)]
            if present[5]:
                if band_value is not None:
                    found["age"][(band_value, sex)] = count
            elif present[6]:
                if retiring_value is not None:
                    found["retiring"][(retiring_value, sex)] = count
            else:
                index = present.index(True)
                found[columns[index]][values[index]] = count
    return found


def _by_unit(user, counts: dict) -> list[list]:
    steplen = OrgUnit.steplen
    paths = permissions.granted_paths(user, permissions.VIEW_STAFF)
    roots = (
        list(OrgUnit.objects.filter(depth=1).values_list("path", flat=True))
        if paths is None
        else paths
    )
    unit_paths = dict(OrgUnit.objects.filter(pk__in=list(counts)).values_list("pk", "path"))
    totals: Counter = Counter()
    for unit_id, count in counts.items():
        path = unit_paths[unit_id]
        root = next((r for r in roots if path.startswith(r)), None)
        if root is None:  # one's own record outside the granted units
            continue
        totals[path[: len(root) + steplen] if len(path) > len(root) else root] += count
    names = dict(OrgUnit.objects.filter(path__in=list(totals)).values_list("path", "name"))
    return [[names.get(path, path), count] for path, count in sorted(totals.items())]


def _labelled(found: dict, labels: dict, empty: str) -> list[list]:
    found = dict(found)
    rows = [[str(label), found.pop(value, 0)] for value, label in labels.items() if value]
    rows += [[str(value), count] for value, count in sorted(found.items(), key=str) if value]
    rows.append([empty, sum(count for value, count in found.items() if not value)])
    return [row for row in rows if row[1]]


def _ages(found: dict) -> list[list]:
    rows = []
    for value in sorted({band for band, _sex in found}):
        start = value * AGE_BAND
        rows.append(
            [
                f"{start}–{start + AGE_BAND - 1}",
                found.get((value, Staff.Sex.MALE), 0),
                found.get((value, Staff.Sex.FEMALE), 0),
            ]
        )
    return rows


def _rank_groups(found: dict) -> list[list]:
    groups = dict(Rank.objects.filter(pk__in=[pk for pk in found if pk]).values_list(
        "pk", "group__code"))  # fmt: skip
    totals: Counter = Counter()
    for rank_id, count in found.items():
        totals[groups.get(rank_id) or _("No rank recorded")] += count
    return sorted([[code, count] for code, count in totals.items()], key=str)


def _retirements(found: dict, on: datetime.date) -> Counter:
    """Working people retiring each year from ``on`` to the end of the fifth year, by the
    retirement-age schedule (the due list's rule), from the counts per date of birth and sex."""
    end = datetime.date(on.year + 4, 12, 31)
    schedules = retirement_schedules()
    years: Counter = Counter()
    for (born, sex), count in found.items():
        retires_on = retirement_date_of_birth(born, sex, schedules)
        if retires_on and on <= retires_on <= end:
            years[retires_on.year] += count
    return years


RAISES_CACHE_SECONDS = 10 * 60


def _raises_by_quarter(user, start: datetime.date) -> Counter:
    """Regular step raises due in the four quarters from ``start`` (the due list's rules,
    disciplines, ratings and periods not counted included). The due list of a province takes
    about a second, so the counts are kept for ten minutes per scope and quarter."""
    key = "charts:raises:" + hashlib.sha256(f"{_scope_key(user)}|{start}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return Counter({datetime.date.fromisoformat(day): n for day, n in cached.items()})
    end = add_months(start, 12) - datetime.timedelta(days=1)
    found = due_list(staff=scoped_staff(user=user, unit=None), kind="regular", start=start, end=end)
    quarters = Counter(quarter_bounds(row.due_date)[0] for row in found)
    cache.set(key, {day.isoformat(): n for day, n in quarters.items()}, RAISES_CACHE_SECONDS)
    return quarters


CHARTS_CACHE_SECONDS = 10 * 60


def _scope_key(user) -> str:
    paths = permissions.granted_paths(user, permissions.VIEW_STAFF)
    return "all" if paths is None else ",".join(paths) + f"+{permissions.own_staff_id(user)}"


def chart_data(*, user, on: datetime.date, only: str | None = None) -> list[Chart]:
    """Every chart (or ``only`` one) of ``user``'s scope on ``on``. A province's figures take
    a second or two to count, so they are kept ten minutes per scope, date and language."""
    key = (
        "charts:"
        + hashlib.sha256(f"{_scope_key(user)}|{on}|{only}|{get_language()}".encode()).hexdigest()
    )
    charts = cache.get(key)
    if charts is None:
        charts = _chart_data(user=user, on=on, only=only)
        cache.set(key, charts, CHARTS_CACHE_SECONDS)
    return charts


def _chart_data(*, user, on: datetime.date, only: str | None = None) -> list[Chart]:
    wanted = [only] if only else list(CHARTS)
    found = _grouped_counts(user, on) if set(wanted) - {"raises"} else {}
    charts = []
    count = _("People")
    for key in wanted:
        title = str(CHARTS[key])
        if key == "units":
            chart = Chart(key, title, [_("Unit"), count], _by_unit(user, found["unit_id"]))
        elif key == "category":
            labels = dict(Staff.Category.choices)
            rows = _labelled(found["category"], labels, _("Not recorded"))
            chart = Chart(key, title, [_("Category"), count], rows)
        elif key == "rank_group":
            rows = _rank_groups(found["rank_id"])
            chart = Chart(key, title, [_("Salary group"), count], rows)
        elif key == "age":
            header = [_("Age"), str(Staff.Sex.MALE.label), str(Staff.Sex.FEMALE.label)]
            chart = Chart(key, title, header, _ages(found["age"]))
        elif key == "education":
            labels = dict(Staff.Qualification.choices)
            rows = _labelled(found["qualification"], labels, _("Not recorded"))
            chart = Chart(key, title, [_("Qualification"), count], rows)
        elif key == "political":
            labels = dict(Staff.PoliticalTheory.choices)
            rows = _labelled(found["political_theory"], labels, _("None recorded"))
            chart = Chart(key, title, [_("Political theory"), count], rows)
        elif key == "retirements":
            years = _retirements(found["retiring"], on)
            rows = [[str(year), years.get(year, 0)] for year in range(on.year, on.year + 5)]
            chart = Chart(key, title, [_("Year"), count], rows)
        else:  # raises
            start, _end = quarter_bounds(on)
            quarters = _raises_by_quarter(user, start)
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
