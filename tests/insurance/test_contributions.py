"""Monthly contributions per person and fund, from the locked payroll or, where a unit does not
run its payroll here, from the salary decisions in force (docs/rules.md §5.1–§5.5, §5.11).

Worked cases, July 2026 (base salary 2,530,000): rank 01.003 step 3, coefficient 3.00, contribution
salary 7,590,000."""

import datetime
from decimal import Decimal

import pytest

from insurance.selectors.contributions import DECISIONS, PAYROLL
from personnel import services as personnel_services
from personnel.models import Movement, Staff
from tests.insurance.conftest import lock_month, register_of, row_of, salary

D = Decimal
SALARY = D(7_590_000)


def shares(item):
    row = item.row
    return {fund.value: row.share(fund) for fund in (c.fund for c in row.contributions)}


@pytest.mark.parametrize(
    ("category", "employee", "employer", "unemployment"),
    [
        # công chức: 8% + 1.5% = 9.5%; 14% + 3% + 0.5% + 3% = 20.5%; no unemployment insurance
        (Staff.Category.CIVIL_SERVANT, D(721_050), D(1_555_950), None),
        # cán bộ: the same, no unemployment insurance either
        (Staff.Category.CADRE, D(721_050), D(1_555_950), None),
        # viên chức: 10.5% / 21.5% with unemployment insurance 1% + 1%
        (Staff.Category.PUBLIC_EMPLOYEE, D(796_950), D(1_631_850), (D(75_900), D(75_900))),
    ],
)
def test_the_rates_by_category_from_the_salary_decisions(
    recruited, category, employee, employer, unemployment
):
    world = recruited
    person = world.staff_in_a1
    Staff.objects.filter(pk=person.pk).update(category=category)
    salary(person, rank="01.003" if category != "public_employee" else "V.07.05.15")
    item = row_of(register_of(2026, 7), person)
    assert item.row.source == DECISIONS  # A1 has not locked July here
    assert item.row.insurance_salary == item.row.insurance_base == SALARY
    assert (item.row.employee, item.row.employer) == (employee, employer)
    funds = shares(item)
    assert funds["retirement"] == (D(607_200), D(1_062_600))
    assert funds["sickness"] == (0, D(227_700))
    assert funds["work_accident"] == (0, D(37_950))
    assert funds["health"] == (D(113_850), D(227_700))
    assert funds.get("unemployment") == unemployment
    assert "union_fee" not in funds  # not owed by state agencies from 16 May 2026


def test_the_contribution_base_is_capped_at_20_base_salaries(recruited):
    # 3.00 + leadership 1.30 + reserved difference 16.00 = 20.30 × 2,530,000 = 51,359,000
    person = recruited.staff_in_a1
    salary(person, leadership_coefficient=D("1.30"), reserved_coefficient=D("16.00"))
    item = row_of(register_of(2026, 7), person)
    assert item.row.insurance_salary == D(51_359_000)
    assert item.row.insurance_base == D(50_600_000)  # 20 × 2,530,000
    assert (item.row.employee, item.row.employer) == (D(4_807_000), D(10_373_000))
    # June still had the old base salary: the cap was 20 × 2,340,000 = 46,800,000
    june = row_of(register_of(2026, 6), person)
    assert june.row.insurance_base == D(46_800_000)


def test_the_locked_payroll_is_the_source_where_the_unit_locked_the_month(recruited):
    world = recruited
    person = world.staff_in_a1
    salary(person)
    lock_month(world.unit_a1, 2026, 7, clerk=world.clerk, approver=world.head)
    found = register_of(2026, 7)
    item = row_of(found, person)
    assert item.row.source == PAYROLL
    assert (item.row.employee, item.row.employer) == (D(721_050), D(1_555_950))
    # B1 keeps its payroll elsewhere this month: computed from the decisions
    other = world.staff_in_b
    salary(other)
    assert row_of(register_of(2026, 7), other).row.source == DECISIONS
    summary = next(s for s in register_of(2026, 7).summaries if s.unit == world.unit_a1)
    assert not summary.computed_from_decisions
    assert summary.employee == D(721_050)  # the only one of A1 with a salary
    unpaid = row_of(found, world.own_record)  # no salary decision: not on the locked payroll
    assert unpaid.row is None and unpaid.problems


def test_a_month_with_14_unpaid_working_days_owes_no_social_insurance(recruited):
    world = recruited
    person = world.staff_in_a1
    salary(person)
    # leave without pay 10–31 August 2026: 16 of August's 21 working days
    personnel_services.staff_status_change(
        staff_id=person.pk, expected_version=None, kind=Movement.Kind.UNPAID_LEAVE,
        effective_date=datetime.date(2026, 8, 10), actor=world.clerk,
    )  # fmt: skip
    lock_month(world.unit_a1, 2026, 8, clerk=world.clerk, approver=world.head)
    august = register_of(2026, 8)
    assert person.pk not in {item.staff_id for item in august.rows}  # not participating
    july = register_of(2026, 7)
    assert row_of(july, person).row.employee == D(721_050)  # July still owed in full


def test_someone_without_a_salary_decision_is_flagged_not_dropped(recruited):
    world = recruited
    found = register_of(2026, 7)
    item = row_of(found, world.staff_in_a1)
    assert item.row is None
    assert "không có quyết định lương" in " ".join(item.problems)


def test_rows_without_an_insurance_number_or_personal_id_are_flagged(recruited):
    world = recruited
    person = world.staff_in_a1
    salary(person)
    Staff.objects.filter(pk=person.pk).update(social_insurance_number="", personal_id=None)
    item = row_of(register_of(2026, 7), person)
    assert item.row.employee == D(721_050)
    assert any("mã số BHXH" in problem for problem in item.problems)
