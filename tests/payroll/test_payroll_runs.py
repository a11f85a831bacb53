"""Monthly payroll runs through the database: the worked example to the đồng, four eyes,
the locked month, arrears of a backdated raise across the July 2026 base-salary change, part
months and the 14-day rule (docs/rules.md §5–§7)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from payroll import services
from payroll.models import AllowanceType, Payslip, SalaryRecord, UnitAllowance
from payroll.services import runs
from personnel import services as personnel_services
from personnel.models import Movement, Rank
from tests.conftest import approved_record

D = Decimal


def line(payslip: Payslip, code: str, period=None) -> Decimal:
    return sum(
        (
            D(amount)
            for item_code, _label, amount, _base, _tax, year, month in payslip.lines
            if item_code == code and ((year, month) == period if period else year is None)
        ),
        D(0),
    )


def fund(payslip: Payslip, name: str) -> tuple[Decimal, Decimal]:
    for item_fund, employee, employer in payslip.contributions:
        if item_fund == name:
            return D(employee), D(employer)
    return D(0), D(0)


@pytest.fixture
def example(world):
    """docs/rules.md §7.7: a công chức, 01.003 step 3, head of an office at a commune outside
    HN/HCM (leadership 0.25), area allowance 0.2, working in unit A1 (which keeps its payroll)."""
    person = world.staff_in_a1
    approved_record(person, rank_code="01.003", step=3, effective=datetime.date(2025, 1, 1))
    SalaryRecord.objects.filter(staff=person).update(leadership_coefficient=D("0.25"))
    UnitAllowance.objects.create(
        unit=world.unit_a1,
        allowance_type=AllowanceType.objects.get(code="KHUVUC"),
        value=D("0.2"),
        valid_from=datetime.date(2020, 1, 1),
    )
    return person


def compute(world, year, month, actor=None):
    run = runs.payroll_run_open(unit=world.unit_a1, year=year, month=month, actor=world.clerk)
    runs.payroll_run_compute(run=run, actor=actor or world.clerk)
    run.refresh_from_db()
    return run


def payslip_of(run, person) -> Payslip:
    return Payslip.objects.get(run=run, staff=person)


def close(run, world):
    runs.payroll_run_approve(run=run, actor=world.head)
    runs.payroll_run_lock(run=run, actor=world.clerk)


def test_the_worked_example_to_the_dong(world, example):
    run = compute(world, 2026, 7)
    slip = payslip_of(run, example)
    assert line(slip, "LUONG") == D(7_590_000)
    assert line(slip, "PCCV") == D(632_500)
    assert line(slip, "CONGVU") == D(2_055_625)
    assert line(slip, "KHUVUC") == D(506_000)
    assert slip.insurance_base == D(8_222_500)
    assert fund(slip, "retirement") == (D(657_800), D(1_151_150))
    assert fund(slip, "health") == (D(123_338), D(246_675))
    assert fund(slip, "unemployment") == (D(0), D(0))  # none for công chức
    assert sum(fund(slip, name)[1] for name in ("retirement", "sickness", "work_accident")) == D(
        1_438_938
    )
    assert slip.personal_income_tax == 0
    assert slip.net == slip.gross - slip.employee_insurance - slip.union_dues
    assert (run.status, run.headcount, run.net) == ("computed", 1, slip.net)


def test_four_eyes_and_the_locked_month(world, example):
    run = compute(world, 2026, 7)
    with pytest.raises(ValidationError, match="Bạn đã lập"):
        runs.payroll_run_approve(run=run, actor=world.clerk)
    example.user = world.head  # the head is paid by this run: they may not approve it
    example.save(update_fields=["user"])
    head = type(world.head).objects.get(pk=world.head.pk)
    with pytest.raises(ValidationError, match="về chính mình"):
        runs.payroll_run_approve(run=run, actor=head)
    example.user = None
    example.save(update_fields=["user"])
    close(run, world)
    run.refresh_from_db()
    assert run.status == "locked"
    with pytest.raises(ValidationError):
        runs.payroll_run_compute(run=run, actor=world.clerk)
    for statement in (
        "UPDATE payroll_payslip SET net = 0 WHERE run_id = %s",
        "DELETE FROM payroll_payslip WHERE run_id = %s",
        "UPDATE payroll_payrollrun SET status = 'draft' WHERE id = %s",
        "DELETE FROM payroll_payrollrun WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [run.pk])
    assert Payslip.objects.get(run=run).net == run.net


def test_a_backdated_raise_pays_arrears_per_month_across_the_base_salary_change(world, example):
    june = compute(world, 2026, 6)
    close(june, world)
    july = compute(world, 2026, 7)
    close(july, world)
    draft = services.salary_draft_create(
        staff=example,
        values={
            "kind": SalaryRecord.Kind.REGULAR_RAISE, "rank": Rank.objects.get(code="01.003"),
            "step": 4, "effective_date": datetime.date(2026, 6, 1),
            "leadership_coefficient": D("0.25"), "beyond_scale_percent": D(0),
            "reserved_coefficient": D(0),
        },
        actor=world.clerk,
    )  # fmt: skip
    services.salary_records_approve(records=[draft], actor=world.head)
    august = compute(world, 2026, 8)
    slip = payslip_of(august, example)
    # June: (3.33 − 3.00) × 2,340,000 = 772,200; July: 0.33 × 2,530,000 = 834,900.
    assert line(slip, "LUONG", (2026, 6)) == D(772_200)
    assert line(slip, "LUONG", (2026, 7)) == D(834_900)
    # The public-service 25% follows the salary in each month.
    assert line(slip, "CONGVU", (2026, 6)) == D(193_050)
    assert line(slip, "CONGVU", (2026, 7)) == D(208_725)
    assert line(slip, "LUONG") == D("3.33") * 2_530_000
    back = {(f, y, m): (D(e), D(r)) for f, e, r, y, m in slip.back_contributions}
    assert back[("retirement", 2026, 6)] == (D(61_776), D(108_108))  # 8% / 14% of 772,200
    assert back[("retirement", 2026, 7)] == (D(66_792), D(116_886))
    assert slip.arrears == D(772_200 + 834_900 + 193_050 + 208_725)
    assert sorted(slip.arrears_periods) == [202606, 202607]

    again = compute(world, 2026, 8)  # recomputing the draft changes nothing
    assert payslip_of(again, example).lines == slip.lines
    close(again, world)
    september = payslip_of(compute(world, 2026, 9), example)
    assert september.arrears == 0 and september.arrears_periods == []


def test_a_rerun_with_no_change_produces_no_arrears(world, example):
    close(compute(world, 2026, 6), world)
    slip = payslip_of(compute(world, 2026, 7), example)
    assert slip.arrears == 0 and not slip.back_contributions


def test_unpaid_leave_prorates_the_month_and_14_days_stop_social_insurance(world, example):
    personnel_services.staff_status_change(
        staff_id=example.pk, expected_version=None, kind=Movement.Kind.UNPAID_LEAVE,
        effective_date=datetime.date(2026, 7, 20), actor=world.clerk,
    )  # fmt: skip
    personnel_services.staff_status_change(
        staff_id=example.pk, expected_version=None, kind=Movement.Kind.RETURN,
        effective_date=datetime.date(2026, 7, 27), actor=world.clerk,
    )  # fmt: skip
    slip = payslip_of(compute(world, 2026, 7), example)
    # July 2026: 23 working days; leave 20–24 July: 5 unpaid days.
    assert (slip.working_days, slip.paid_days) == (23, 18)
    assert line(slip, "LUONG") == (D(7_590_000) * 18 / 23).quantize(D(1))
    assert not slip.suspended and fund(slip, "retirement")[0] == D(657_800)

    personnel_services.staff_status_change(
        staff_id=example.pk, expected_version=None, kind=Movement.Kind.UNPAID_LEAVE,
        effective_date=datetime.date(2026, 8, 10), actor=world.clerk,
    )  # fmt: skip
    august = payslip_of(compute(world, 2026, 8), example)
    assert august.suspended  # 10–31 August: 16 unpaid working days
    assert fund(august, "retirement") == (0, 0)
    assert fund(august, "health")[0] == D(123_338)  # health insurance continues


# --- Properties over the database (Hypothesis) ----------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    step=st.integers(min_value=1, max_value=8),
    leadership=st.sampled_from(["0", "0.15", "0.25", "0.7"]),
    area=st.sampled_from(["0", "0.1", "0.5"]),
    new_step=st.integers(min_value=2, max_value=9),
)
def test_locked_months_never_change_and_arrears_are_exactly_the_recomputed_difference(
    world, step, leadership, area, new_step
):
    with transaction.atomic():
        person = world.staff_in_a1
        approved_record(person, rank_code="01.003", step=step, effective=datetime.date(2024, 1, 1))
        SalaryRecord.objects.filter(staff=person).update(leadership_coefficient=D(leadership))
        if area != "0":
            UnitAllowance.objects.create(
                unit=world.unit_a1, allowance_type=AllowanceType.objects.get(code="KHUVUC"),
                value=D(area), valid_from=datetime.date(2020, 1, 1),
            )  # fmt: skip
        june, july = compute(world, 2026, 6), None
        close(june, world)
        july = compute(world, 2026, 7)
        close(july, world)
        locked = list(Payslip.objects.filter(run__in=[june, july]).values())
        august = payslip_of(compute(world, 2026, 8), person)
        assert august.arrears == 0 and not august.back_contributions  # nothing changed

        draft = services.salary_draft_create(
            staff=person,
            values={
                "kind": SalaryRecord.Kind.ADJUSTMENT, "rank": Rank.objects.get(code="01.003"),
                "step": new_step, "effective_date": datetime.date(2026, 6, 1),
                "leadership_coefficient": D(leadership), "beyond_scale_percent": D(0),
                "reserved_coefficient": D(0),
            },
            actor=world.clerk,
        )  # fmt: skip
        services.salary_records_approve(records=[draft], actor=world.head)
        august = payslip_of(compute(world, 2026, 8), person)
        for run in (june, july):
            expected = {
                code: recomputed - stored
                for difference in runs.payroll_run_compare(run=run)
                if difference.staff_id == person.pk
                for code, _label, stored, recomputed in difference.lines
            }
            paid = {
                code: line(august, code, run.period)
                for code, *_rest in august.lines
                if line(august, code, run.period)
            }
            assert paid == expected
        assert list(Payslip.objects.filter(run__in=[june, july]).values()) == locked
        transaction.set_rollback(True)


def test_an_allowance_moved_out_of_locked_months_is_recovered_as_negative_arrears(world, example):
    from payroll.models import AllowanceAssignment

    granted = AllowanceAssignment.objects.create(
        staff=example, allowance_type=AllowanceType.objects.get(code="TRACHNHIEM"),
        value=D("0.2"), valid_from=datetime.date(2026, 6, 1),
    )  # fmt: skip
    close(compute(world, 2026, 6), world)
    july = compute(world, 2026, 7)
    assert line(payslip_of(july, example), "TRACHNHIEM") == D(506_000)
    close(july, world)
    granted.valid_from = datetime.date(2026, 8, 1)  # the decision was dated August after all
    granted.save()
    august = payslip_of(compute(world, 2026, 8), example)
    assert line(august, "TRACHNHIEM", (2026, 6)) == D(-468_000)  # 0.2 × 2,340,000
    assert line(august, "TRACHNHIEM", (2026, 7)) == D(-506_000)  # 0.2 × 2,530,000
    assert line(august, "TRACHNHIEM") == D(506_000)


def test_union_dues_follow_the_dated_membership(world, example):
    from payroll.models import PayProfile
    from payroll.services.pay_inputs import pay_profile_update

    pay_profile_update(
        staff=example, union_member=True, union_month=datetime.date(2026, 7, 1), actor=world.clerk
    )
    june, july = compute(world, 2026, 6), compute(world, 2026, 7)
    assert payslip_of(june, example).union_dues == 0
    assert payslip_of(july, example).union_dues == D(41_113)  # 0.5% of 8,222,500
    pay_profile_update(
        staff=example, union_member=False, union_month=datetime.date(2026, 9, 1), actor=world.clerk
    )
    profile = PayProfile.objects.get(staff=example)
    assert (profile.union_since, profile.union_until) == (
        datetime.date(2026, 7, 1), datetime.date(2026, 8, 31),
    )  # fmt: skip
    assert payslip_of(compute(world, 2026, 8), example).union_dues == D(41_113)
    assert payslip_of(compute(world, 2026, 9), example).union_dues == 0


def test_a_school_takes_the_sector_incentive_rate_of_its_kind_in_force_each_month(world, example):
    from payroll.models import SectorIncentiveRate

    UnitAllowance.objects.create(
        unit=world.unit_a1, allowance_type=AllowanceType.objects.get(code="UUDAI"),
        value=D(30), sector_rate="secondary", valid_from=datetime.date(2026, 1, 1),
    )  # fmt: skip
    # 40% (NĐ 182/2026) on salary + leadership: 8,222,500 × 40% in July.
    assert line(payslip_of(compute(world, 2026, 7), example), "UUDAI") == D(3_289_000)
    SectorIncentiveRate.objects.create(
        code="secondary", name="THCS, THPT", percent=D(50), valid_from=datetime.date(2026, 8, 1)
    )
    SectorIncentiveRate.objects.filter(code="secondary", percent=40).update(
        valid_to=datetime.date(2026, 7, 31)
    )
    assert line(payslip_of(compute(world, 2026, 8), example), "UUDAI") == D(4_111_250)
