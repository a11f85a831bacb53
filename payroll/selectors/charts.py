"""The figures of the charts page: a user's people (their scope) at a date, counted by unit,
category, rank group, age and sex, education and political theory; retirements per year for
the next five years and step raises due per quarter (the due-list rules).

The charts live in payroll because the last two need its rules (retirement ages, raise
intervals); everything else is a grouped count in SQL on the scoped staff.

Where the figures are kept (issue 14). The province's figures take over a second to compute
(the raises per quarter run the province's regular due list over a year), too long for a
visitor to wait, and a per-process cache made every web process pay it again. So the figures,
free of any language (counts, codes, years), are kept in the database (``ChartSnapshot``), one
row per scope and date, shared by every process:

- a visit finds figures computed less than ``MAX_AGE`` (15 minutes) ago and shows them, with the
  time they were computed ("Số liệu tính lúc …"); once they are ``REFRESH_EVERY`` (5 minutes)
  old the visit also queues a refresh for the background worker (``manage.py db_worker``);
- figures missing or older than ``MAX_AGE`` are computed for the visitor, who waits (the
  truly cold case: a scope nobody has looked at, a date in the past, no worker running);
- a scope shown today whose figures take at least ``WARM_SECONDS`` to compute is kept warm: the
  worker refreshes it every ``REFRESH_EVERY`` for ``KEEP_WARM`` (a day) after its last visit,
  rolling over to the new date at midnight, so its visitors never wait. Quicker scopes (a
  head's units) are simply computed again when their figures are older than ``MAX_AGE``.

A changed record therefore shows in the charts at most ``MAX_AGE`` (15 minutes) later, whatever
the workers do; with a worker running, within about ``REFRESH_EVERY`` (5 minutes) and one
computation. One refresh is queued at a time per row (``refresh_due_at``).
"""

import datetime
import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Case, DateField, F, Q, When
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrms.lib.db import without_jit
from payroll.models import ChartSnapshot
from payroll.rules.progression import add_months
from payroll.selectors import retirement_schedules
from payroll.selectors.due_lists import due_list, retirement_date_of_birth, scoped_staff
from personnel import permissions
from personnel.inbox import quarter_bounds
from personnel.models import OrgUnit, Rank, Staff

REFRESH_EVERY = datetime.timedelta(minutes=5)
MAX_AGE = datetime.timedelta(minutes=15)
KEEP_WARM = datetime.timedelta(days=1)
WARM_SECONDS = 0.2
LOST_AFTER = datetime.timedelta(minutes=10)  # a refresh this late is taken as lost
VISIT_GRAIN = datetime.timedelta(minutes=1)  # visits closer than this write nothing
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
    """[salary group code, count] pairs; "" for people without a rank (labelled when shown)."""
    groups = dict(Rank.objects.filter(pk__in=[pk for pk in found if pk]).values_list(
        "pk", "group__code"))  # fmt: skip
    totals: Counter = Counter()
    for rank_id, count in found.items():
        totals[groups.get(rank_id) or ""] += count
    return [[code, count] for code, count in totals.items()]


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


def _raises_by_quarter(user, start: datetime.date) -> list[int]:
    """Regular step raises due in each of the four quarters from ``start`` (the due list's
    rules, disciplines, ratings and periods not counted included): one due-list run over the
    twelve months, counted by quarter."""
    end = add_months(start, 12) - datetime.timedelta(days=1)
    found = due_list(staff=scoped_staff(user=user, unit=None), kind="regular", start=start, end=end)
    quarters = Counter(quarter_bounds(due)[0] for due in found.due_dates())
    return [quarters.get(add_months(start, 3 * index), 0) for index in range(4)]


def _scope_key(user) -> str:
    paths = permissions.granted_paths(user, permissions.VIEW_STAFF)
    return "all" if paths is None else ",".join(paths) + f"+{permissions.own_staff_id(user)}"


def _scope(user) -> str:
    return hashlib.sha256(_scope_key(user).encode()).hexdigest()


def _pairs(found: dict) -> list[list]:
    return [[value, count] for value, count in found.items()]


def compute_figures(user, on: datetime.date) -> dict:
    """Every figure of the charts of ``user``'s scope on ``on``, free of any language (JSON)."""
    with without_jit():
        return _compute_figures(user, on)


def _compute_figures(user, on: datetime.date) -> dict:
    found = _grouped_counts(user, on)
    years = _retirements(found["retiring"], on)
    return {
        "units": _by_unit(user, found["unit_id"]),
        "category": _pairs(found["category"]),
        "rank_group": _rank_groups(found["rank_id"]),
        "age": _ages(found["age"]),
        "qualification": _pairs(found["qualification"]),
        "political_theory": _pairs(found["political_theory"]),
        "retirements": [[year, years.get(year, 0)] for year in range(on.year, on.year + 5)],
        "raises": _raises_by_quarter(user, quarter_bounds(on)[0]),
    }


@dataclass(frozen=True)
class Figures:
    """The charts' figures of a scope at a date, and when they were computed."""

    values: dict
    computed_at: datetime.datetime
    kept: bool  # True: read from the snapshot; False: computed for this visit


def _store(user, on: datetime.date, *, visited_at=None) -> ChartSnapshot:
    """Compute the figures of ``user``'s scope on ``on`` and write them over the scope's row:
    a visit (no ``visited_at``) also records the visitor; a refresh keeps the row's last
    visit, or gives a new row (a new day) the last visit of the row it follows."""
    visit = visited_at is None
    computed_at = timezone.now()
    started = time.perf_counter()
    figures = compute_figures(user, on)
    seconds = time.perf_counter() - started
    fields = ["figures", "computed_at", "seconds"]
    if visit:
        fields += ["user", "visited_at"]
    (snapshot,) = ChartSnapshot.objects.bulk_create(
        [
            ChartSnapshot(
                scope=_scope(user), on=on, figures=figures, computed_at=computed_at,
                seconds=seconds, user=user, visited_at=visited_at or computed_at,
            )
        ],
        update_conflicts=True, unique_fields=["scope", "on"], update_fields=fields,
    )  # fmt: skip
    snapshot.figures, snapshot.computed_at, snapshot.seconds = figures, computed_at, seconds
    return snapshot


def _queue_refresh(snapshot: ChartSnapshot, due: datetime.datetime) -> bool:
    """Queue one refresh of ``snapshot`` for ``due`` unless one is queued already (or was
    queued so long ago that it is taken as lost)."""
    from payroll.tasks import refresh_chart_figures_task  # tasks import the services

    now = timezone.now()
    with transaction.atomic():
        claimed = (
            ChartSnapshot.objects.filter(pk=snapshot.pk)
            .filter(Q(refresh_due_at__isnull=True) | Q(refresh_due_at__lt=now - LOST_AFTER))
            .update(refresh_due_at=due)
        )
        if claimed:
            follow_today = snapshot.on == timezone.localdate()
            refresh_chart_figures_task.using(run_after=due).enqueue(
                snapshot.pk, follow_today, due.isoformat()
            )
    return bool(claimed)


def chart_figures(*, user, on: datetime.date) -> Figures:
    """The figures of ``user``'s scope on ``on``: the kept ones while fresh enough, else
    computed now and kept (see the module documentation for the bounds)."""
    now = timezone.now()
    snapshot = ChartSnapshot.objects.filter(scope=_scope(user), on=on).first()
    if snapshot is not None and now - snapshot.computed_at <= MAX_AGE:
        if now - snapshot.visited_at >= VISIT_GRAIN:
            ChartSnapshot.objects.filter(pk=snapshot.pk).update(visited_at=now, user=user)
        if now - snapshot.computed_at >= REFRESH_EVERY:
            _queue_refresh(snapshot, now)
        return Figures(snapshot.figures, snapshot.computed_at, kept=True)
    snapshot = _store(user, on)
    if on == timezone.localdate() and snapshot.seconds >= WARM_SECONDS:
        _queue_refresh(snapshot, snapshot.computed_at + REFRESH_EVERY)
    return Figures(snapshot.figures, snapshot.computed_at, kept=False)


def chart_figures_refresh(
    *, snapshot_id: int, follow_today: bool, due: datetime.datetime | None = None
) -> None:
    """The background refresh of a kept scope (``refresh_chart_figures_task``): compute its
    figures again — for today's date when the row followed today — and queue the next
    refresh while the scope is visited and slow to compute. A refresh queued for ``due`` that
    is no longer the row's queued one (taken as lost and queued again) does nothing: one
    chain of refreshes per row, even after workers were down for a while."""
    snapshot = ChartSnapshot.objects.select_related("user").filter(pk=snapshot_id).first()
    if snapshot is None:
        return
    mine = ChartSnapshot.objects.filter(pk=snapshot.pk)
    if due is not None:
        mine = mine.filter(refresh_due_at=due)
    if not mine.update(refresh_due_at=None):
        return
    today = timezone.localdate()
    on = today if follow_today else snapshot.on
    if not snapshot.user.is_active:
        return
    fresh = _store(snapshot.user, on, visited_at=snapshot.visited_at)
    warm = (
        follow_today
        and fresh.seconds >= WARM_SECONDS
        and timezone.now() - snapshot.visited_at <= KEEP_WARM
    )
    if warm:
        _queue_refresh(fresh, fresh.computed_at + REFRESH_EVERY)


def chart_data(
    *, user, on: datetime.date, only: str | None = None, figures: Figures | None = None
) -> list[Chart]:
    """Every chart (or ``only`` one) of ``user``'s scope on ``on``, labelled in the active
    language, from ``figures`` (``chart_figures`` by default)."""
    values = (figures or chart_figures(user=user, on=on)).values
    wanted = [only] if only else list(CHARTS)
    charts = []
    count = _("People")
    for key in wanted:
        title = str(CHARTS[key])
        if key == "units":
            chart = Chart(key, title, [_("Unit"), count], values["units"])
        elif key == "category":
            labels = dict(Staff.Category.choices)
            rows = _labelled(dict(values["category"]), labels, _("Not recorded"))
            chart = Chart(key, title, [_("Category"), count], rows)
        elif key == "rank_group":
            rows = sorted(
                [[code or _("No rank recorded"), n] for code, n in values["rank_group"]], key=str
            )
            chart = Chart(key, title, [_("Salary group"), count], rows)
        elif key == "age":
            header = [_("Age"), str(Staff.Sex.MALE.label), str(Staff.Sex.FEMALE.label)]
            chart = Chart(key, title, header, values["age"])
        elif key == "education":
            labels = dict(Staff.Qualification.choices)
            rows = _labelled(dict(values["qualification"]), labels, _("Not recorded"))
            chart = Chart(key, title, [_("Qualification"), count], rows)
        elif key == "political":
            labels = dict(Staff.PoliticalTheory.choices)
            rows = _labelled(dict(values["political_theory"]), labels, _("None recorded"))
            chart = Chart(key, title, [_("Political theory"), count], rows)
        elif key == "retirements":
            rows = [[str(year), n] for year, n in values["retirements"]]
            chart = Chart(key, title, [_("Year"), count], rows)
        else:  # raises
            start, _end = quarter_bounds(on)
            rows = []
            for index, n in enumerate(values["raises"]):
                first = add_months(start, 3 * index)
                label = _("Q%(quarter)s/%(year)s") % {
                    "quarter": (first.month - 1) // 3 + 1,
                    "year": first.year,
                }
                rows.append([label, n])
            chart = Chart(key, title, [_("Quarter"), count], rows)
        charts.append(chart)
    return charts
