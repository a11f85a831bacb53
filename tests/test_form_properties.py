"""Any text, any date, any number in the dossier's sections and tables, the movement forms, the
salary form and the due lists: the screen either saves (and what it saved is clean and in
bounds) or answers the form again with errors — never a 500. Searched by Hypothesis."""

import datetime
import functools
import unicodedata
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django import forms
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrms.lib.partial_dates import PartialDateFormField
from payroll.forms import DueListForm, SalaryRecordForm
from payroll.models import Rank, SalaryRecord
from personnel.forms import (
    StatusChangeForm,
    TransferForm,
    section_form_class,
    section_formset_class,
)
from personnel.models import DisciplineType, Movement, OrgUnit, RatingLevel, Staff
from personnel.sections import SECTIONS
from tests.conftest import approved_record
from tests.factories import StaffFactory

D = datetime.date
FORMS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
EDGE_DAYS = [D(1, 1, 1), D(1899, 12, 31), D(1900, 1, 1), D(2031, 12, 31), D(2032, 1, 1),
             D(9999, 12, 31), D(2024, 2, 29), D(2028, 2, 29)]  # fmt: skip
SOME_DATE = st.one_of(
    st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31)),
    st.dates(min_value=D(1890, 1, 1), max_value=D(2035, 12, 31)),
    st.sampled_from(EDGE_DAYS),
)
DAY_MONTH_YEAR = SOME_DATE.map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}")
MONTH_YEAR = SOME_DATE.map(lambda d: f"{d.month:02d}/{d.year:04d}")
NUMBER = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.integers(-2, 15).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.decimals(min_value=-1, max_value=3, places=2).map(str),
    TEXT,
)
DIGITS = st.from_regex(r"\A\+?[0-9 .]{0,22}\Z")

SCALAR_SECTIONS = [s for s in SECTIONS if s.editable and not s.is_table]
TABLE_SECTIONS = [s for s in SECTIONS if s.editable and s.is_table]
BORN = st.one_of(
    st.dates(min_value=D(1940, 1, 1), max_value=D(2008, 12, 31)),
    st.sampled_from([D(year, 2, 29) for year in range(1940, 2009, 4)]),
)
# Sensible effective dates, past and planned (five years ahead at most).
PLANNED = st.one_of(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2026, 11, 1)),
    st.dates(min_value=D(2027, 1, 1), max_value=D(2031, 12, 31)),
)
STATUS = st.sampled_from(["active", "active", "active", *Staff.Status.values])
# A plausible row of each table: examples change a few of its values or all of them.
ROWS = {
    "training": {"school": "Đại học Vinh", "start": "09/2003", "end": "06/2007",
                 "mode": "full_time", "degree": "Cử nhân"},
    "work_history": {"start": "2010", "position": "Giáo viên", "unit_name": "Trường A1"},
    "family": {"side": "own", "relation": "father", "full_name": "Lê Văn Tư",
               "birth_year": "1950", "details": "Nông dân"},
    "awards": {"year": "2020", "form": "Bằng khen", "issuer": "UBND tỉnh"},
    "disciplines": {"date": "01/03/2024", "kind": lambda: DisciplineType.objects.first().pk,
                    "reason": "Đi muộn"},
    "ratings": {"year": "2024", "level": lambda: RatingLevel.objects.first().pk},
    "certificates": {"kind": "it", "name": "Tin học", "level": "Cơ bản", "issued_on": "2015"},
    "non_counting": {"kind": "suspension", "start": "01/03/2024", "end": "30/04/2024"},
}  # fmt: skip


def in_savepoint(test):
    """Each example in its own savepoint, so that one failure does not spoil the next."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        with transaction.atomic():
            return test(*args, **kwargs)

    return run


def value_for(field: forms.Field) -> st.SearchStrategy:
    """Anything a person or a script might send for ``field``, valid or not."""
    if isinstance(field, PartialDateFormField):
        years = st.integers(0, 99_999).map(str)
        return st.one_of(DAY_MONTH_YEAR, MONTH_YEAR, years, TEXT)
    if isinstance(field, forms.DateField):
        return st.one_of(DAY_MONTH_YEAR, TEXT)
    if isinstance(field, forms.ModelChoiceField):
        pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:40]]
        return st.one_of(st.sampled_from(pks or [""]), TEXT)
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if value != ""]
        return st.one_of(st.sampled_from(values or [""]), TEXT)
    if isinstance(field, forms.IntegerField | forms.DecimalField):
        return NUMBER
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["", "on"])
    return st.one_of(TEXT, DIGITS)


def as_posted(value) -> str:
    """A value as the form would show it (dates the Vietnamese way)."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return str(value() if callable(value) else value)


def draw_form(data, form: forms.BaseForm, baseline: dict, fixed: dict | None = None) -> dict:
    """``baseline`` (a valid submission) with some of its values, or all, replaced by anything
    at all; ``fixed`` values are sent as they are."""
    names = [name for name in form.fields if name not in ("version", "id", "staff", "DELETE")]
    changed = data.draw(
        st.one_of(st.sets(st.sampled_from(names), max_size=3), st.just(set(names))),
        label="changed",
    )
    values = dict(fixed or {})
    for name in names:
        if name in changed:
            value = data.draw(value_for(form.fields[name]), label=name)
        else:
            value = as_posted(baseline.get(name))
        values[form.add_prefix(name)] = value
    return values


def assert_clean_text(instance) -> None:
    """Saved text holds no control characters and is NFC (hrms.lib.text)."""
    for field in instance._meta.fields:
        value = getattr(instance, field.attname)
        if isinstance(value, str) and field.get_internal_type() in ("CharField", "TextField"):
            allowed = "\n\t" if field.get_internal_type() == "TextField" else ""
            assert not any(
                unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value
            ), (field.name, value)
            assert unicodedata.normalize("NFC", value) == value


def answered(response) -> bool:
    """True when the screen saved (a redirect), False when it showed the form's errors."""
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        context_forms = [response.context.get(key) for key in ("form", "formset", "version")]
        assert any(
            form is not None and (form.errors if not hasattr(form, "total_error_count")
                                  else form.total_error_count() or form.non_form_errors())
            for form in context_forms
        ), "answered 200 without any error"  # fmt: skip
    return response.status_code == 302


@pytest.fixture
def clerk(world, client_for):
    return client_for(world.clerk)


@pytest.mark.parametrize("section", SCALAR_SECTIONS, ids=lambda s: s.key)
def test_any_input_in_a_dossier_section_saves_clean_or_names_the_errors(world, clerk, section):
    form_class = section_form_class(section, section.fields)
    form = form_class()

    @FORMS
    @given(st.data(), BORN)
    @in_savepoint
    def check(data, born):
        staff = StaffFactory(unit=world.unit_a1, birth_date=born.isoformat())
        current = form_class(instance=staff)
        baseline = {name: current[name].value() for name in current.fields}
        values = draw_form(data, form, baseline, {"version": staff.version})
        response = clerk.post(reverse("personnel:staff_edit", args=[staff.pk, section.key]),
                              values)  # fmt: skip
        if answered(response):
            assert_clean_text(Staff.objects.get(pk=staff.pk))

    check()


@pytest.mark.parametrize("section", TABLE_SECTIONS, ids=lambda s: s.key)
def test_any_input_in_a_dossier_table_saves_clean_or_names_the_errors(world, clerk, section):
    form = section_formset_class(section)(prefix="rows").empty_form

    @FORMS
    @given(st.data(), BORN)
    @in_savepoint
    def check(data, born):
        staff = StaffFactory(unit=world.unit_a1, birth_date=born.isoformat())
        management = {"version": staff.version, "rows-TOTAL_FORMS": "1",
                      "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0",
                      "rows-MAX_NUM_FORMS": "1000", "rows-0-staff": staff.pk}  # fmt: skip
        form.prefix = "rows-0"
        values = draw_form(data, form, ROWS[section.key], management)
        response = clerk.post(reverse("personnel:staff_edit", args=[staff.pk, section.key]),
                              values)  # fmt: skip
        if answered(response):
            for row in section.model.objects.filter(staff=staff):
                assert_clean_text(row)

    check()


@pytest.mark.parametrize("kind", Movement.Kind.values)
def test_any_movement_is_recorded_in_bounds_or_refused_with_errors(world, clerk, kind):
    form = (TransferForm if kind == Movement.Kind.TRANSFER else StatusChangeForm)()

    @FORMS
    @given(st.data(), BORN, STATUS, PLANNED)
    @in_savepoint
    def check(data, born, status, effective):
        staff = StaffFactory(unit=world.unit_a1, birth_date=born.isoformat(), status=status)
        baseline = {"to_unit": world.unit_a.pk, "effective_date": effective}
        values = draw_form(data, form, baseline, {"version": staff.version})
        response = clerk.post(reverse("personnel:staff_movement", args=[staff.pk, kind]), values)
        if answered(response):
            recorded = Movement.objects.get(staff=staff)
            assert born <= recorded.effective_date <= D(datetime.date.today().year + 5, 12, 31)
            assert_clean_text(recorded)

    check()


SALARY = {"kind": "regular", "rank": lambda: Rank.objects.get(code="01.003").pk, "step": "4",
          "effective_date": "01/10/2026", "beyond_scale_percent": "0",
          "leadership_coefficient": "0", "reserved_coefficient": "0"}  # fmt: skip


def test_any_salary_decision_is_drafted_in_bounds_or_refused_with_errors(world, clerk):
    form = SalaryRecordForm()

    @FORMS
    @given(st.data(), BORN, st.booleans())
    @in_savepoint
    def check(data, born, has_salary):
        staff = StaffFactory(unit=world.unit_a1, birth_date=born.isoformat())
        if has_salary:
            approved_record(staff, rank_code="01.003", step=3, effective=D(2023, 10, 1))
        values = draw_form(data, form, SALARY)
        response = clerk.post(reverse("payroll:staff_salary_new", args=[staff.pk]), values)
        if answered(response):
            draft = SalaryRecord.objects.get(staff=staff, status="draft")
            assert draft.leadership_coefficient >= 0 and draft.reserved_coefficient >= 0
            assert Decimal(0) <= draft.beyond_scale_percent <= 100
            assert D(1900, 1, 1) <= draft.effective_date
            assert_clean_text(draft)

    check()


@pytest.fixture
def crowd_with_salaries(world, salaries):
    """People born on every kind of day, each with an approved salary to be raised."""
    for index, born in enumerate([D(1964, 2, 29), D(1972, 2, 29), D(1988, 12, 31), D(1966, 1, 1)]):
        person = StaffFactory(unit=world.unit_a1, birth_date=born.isoformat(),
                              sex="female" if index % 2 else "male")  # fmt: skip
        approved_record(person, rank_code="01.003", step=2 + index, effective=D(2023, 3, 1))
    return world


def test_any_due_list_answers_and_prepares_or_names_the_errors(crowd_with_salaries, clerk):
    form = DueListForm(units=OrgUnit.objects.all())
    ticked = list(Staff.objects.values_list("pk", flat=True))

    @FORMS
    @given(st.data(), st.one_of(st.none(), SOME_DATE), st.integers(0, 800))
    @in_savepoint
    def check(data, start, length):
        baseline = {"list": "regular", "start": "01/01/2026", "end": "31/12/2026"}
        if start is not None:  # a range of a sensible length anywhere in the calendar
            end = D.fromordinal(min(start.toordinal() + length, D.max.toordinal()))
            baseline = {**baseline, "start": start, "end": end}
        values = draw_form(data, form, baseline)
        response = clerk.get(reverse("payroll:due_list"), values)
        assert response.status_code == 200
        assert response.context["rows"] is not None or response.context["form"].errors
        export = clerk.get(reverse("payroll:due_list_export"), values)
        assert export.status_code in (200, 404)
        query = urlencode(values)
        prepared = clerk.post(f"{reverse('payroll:due_list_prepare')}?{query}", {"staff": ticked})
        assert prepared.status_code == 302

    check()
