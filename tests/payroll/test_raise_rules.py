"""Issue 10 against the database: each corrected rule as a worked case through the due lists,
the salary services and the dossier forms (docs/rules.md §2.4, §4). Each failed before."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from payroll import services
from payroll.models import SalaryRecord
from payroll.selectors import RankGroups
from payroll.selectors.due_lists import due_list, next_raise, scoped_staff
from personnel.models import (
    AnnualRating,
    Discipline,
    DisciplineType,
    Movement,
    NonCountingPeriod,
    OrgUnit,
    Rank,
    RatingLevel,
    Staff,
)
from personnel.selectors import payroll_headcounts, payroll_unit, payroll_units
from tests.conftest import approved_record
from tests.factories import OrgUnitFactory, StaffFactory

D = datetime.date
EARLY_2026 = (D(2026, 1, 1), D(2026, 12, 31))


def rows_for(user, kind, start, end, unit=None):
    return due_list(staff=scoped_staff(user=user, unit=unit), kind=kind, start=start, end=end)


def names(rows):
    return [row.full_name for row in rows]


def discipline(staff, code, day):
    return Discipline.objects.create(
        staff=staff, date=day, kind=DisciplineType.objects.get(code=code)
    )


def decide(world, staff, **values):
    """A decision prepared by the clerk and approved by the administrator (four eyes)."""
    values = {
        "kind": SalaryRecord.Kind.ADJUSTMENT, "step_since": None, "beyond_scale_percent": 0,
        "beyond_scale_since": None, "leadership_coefficient": Decimal(0),
        "reserved_coefficient": Decimal(0), **values,
    }  # fmt: skip
    draft = services.salary_draft_create(staff=staff, values=values, actor=world.clerk)
    services.salary_records_approve(records=[draft], actor=world.admin)
    draft.refresh_from_db()
    return draft


# --- Rule 1: removal from office of a viên chức delays 12 months (§4.2) -----------------------


def test_removal_from_office_of_a_public_employee_delays_the_raise_twelve_months(world):
    teacher = StaffFactory(unit=world.unit_a1, category=Staff.Category.PUBLIC_EMPLOYEE)
    approved_record(teacher, rank_code="V.07.05.15", step=3, effective=D(2023, 10, 1))
    discipline(teacher, "VC-CCH", D(2024, 5, 2))
    row = next_raise(staff=teacher)
    assert row.due_date == D(2027, 10, 1)
    assert row.delays[0][1] == 12


# --- Rule 2: the form of discipline belongs to the person's regime (§4.2) ---------------------


def edit(staff, section):
    return reverse("personnel:staff_edit", args=[staff.pk, section])


def rows_post(staff, **fields):
    data = {
        "version": staff.version, "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "1000", "rows-0-staff": staff.pk,
    }  # fmt: skip
    data.update({f"rows-0-{name}": value for name, value in fields.items()})
    return data


def test_the_discipline_form_offers_only_the_forms_of_the_persons_regime(world, client_for):
    civil_servant = world.staff_in_a
    page = client_for(world.clerk).get(edit(civil_servant, "disciplines")).content.decode()
    options = page[page.index('name="rows-0-kind"') :]
    options = options[: options.index("</select>")]
    assert options.count(">Khiển trách<") == 1
    assert f'value="{DisciplineType.objects.get(code="CC-KT").pk}"' in options
    assert f'value="{DisciplineType.objects.get(code="VC-KT").pk}"' not in options
    assert "Hạ bậc lương" in options  # a civil servant's form


def test_a_public_employees_reprimand_is_refused_for_a_civil_servant(world, client_for):
    civil_servant = world.staff_in_a
    wrong = DisciplineType.objects.get(code="VC-KT")
    response = client_for(world.clerk).post(
        edit(civil_servant, "disciplines"),
        rows_post(civil_servant, date="10/03/2026", kind=wrong.pk, decision="12/QĐ"),
    )
    assert response.status_code == 200
    assert "Hình thức kỷ luật: chọn một hình thức dành cho cán bộ, công chức" in (
        response.content.decode()
    )
    assert not Discipline.objects.filter(staff=civil_servant).exists()
    with pytest.raises(ValidationError) as refused:
        Discipline(staff=civil_servant, date=D(2026, 3, 10), kind=wrong).full_clean()
    assert "kind" in refused.value.message_dict
    right = DisciplineType.objects.get(code="CC-KT")
    client_for(world.clerk).post(
        edit(civil_servant, "disciplines"),
        rows_post(civil_servant, date="10/03/2026", kind=right.pk),
    )
    assert list(Discipline.objects.filter(staff=civil_servant).values_list("kind__code")) == [
        ("CC-KT",)
    ]


def test_rating_levels_follow_the_year_and_the_regime(world, client_for):
    civil_servant = world.staff_in_a
    client = client_for(world.clerk)
    old = RatingLevel.objects.get(code="HTNV")  # in use until 2025
    response = client.post(edit(civil_servant, "ratings"), rows_post(civil_servant, year="2026",
                                                                    level=old.pk))  # fmt: skip
    assert response.status_code == 200
    assert "Mức xếp loại này không dùng cho năm 2026" in response.content.decode()
    for_public_employees = RatingLevel.objects.get(code="VC26-HTNV")
    response = client.post(
        edit(civil_servant, "ratings"),
        rows_post(civil_servant, year="2026", level=for_public_employees.pk),
    )
    assert response.status_code == 200
    assert not AnnualRating.objects.filter(staff=civil_servant).exists()
    new = RatingLevel.objects.get(code="CC26-HTNV")
    response = client.post(edit(civil_servant, "ratings"), rows_post(civil_servant, year="2026",
                                                                    level=new.pk))  # fmt: skip
    assert response.status_code == 302
    assert AnnualRating.objects.get(staff=civil_servant).level == new


# --- Rule 3: non-counting periods and delays in date order (§4.3) -----------------------------


def test_a_reprimand_in_the_extension_caused_by_unpaid_leave_delays_the_raise(world, salaries):
    person = world.staff_in_a  # A1 step 3 since 01/10/2023: due 01/10/2026
    Movement.objects.create(staff=person, kind="unpaid_leave", effective_date=D(2025, 1, 1))
    Movement.objects.create(staff=person, kind="return", effective_date=D(2025, 3, 1))
    discipline(person, "CC-KT", D(2026, 10, 15))  # after 01/10 but before 29/11/2026
    row = next_raise(staff=person)
    assert row.due_date == D(2027, 4, 1) + datetime.timedelta(days=59)
    assert [(months, days) for _reason, months, days in row.delays] == [(0, 59), (6, 0)]


# --- Rule 4: early raises excluded by a discipline this year or a failed rating last year (§4.6)


def test_early_raise_candidates_exclude_the_disciplined_and_the_failed(world):
    for name in ("Hà Văn Giỏi", "Hà Văn Khiển", "Hà Văn Trượt"):
        person = StaffFactory(unit=world.unit_a1, full_name=name)
        approved_record(person, rank_code="01.003", step=2, effective=D(2024, 2, 1))
    discipline(Staff.objects.get(full_name="Hà Văn Khiển"), "CC-KT", D(2026, 3, 1))
    AnnualRating.objects.create(
        staff=Staff.objects.get(full_name="Hà Văn Trượt"), year=2025,
        level=RatingLevel.objects.get(code="KHTNV"),
    )  # fmt: skip
    assert names(rows_for(world.clerk, "early", *EARLY_2026)) == ["Hà Văn Giỏi"]


def test_the_retirement_early_raise_is_excluded_the_same_way(world, salaries):
    person = world.staff_in_a
    Staff.objects.filter(pk=person.pk).update(birth_date="1965-06-10")  # retires 31/12/2026
    SalaryRecord.objects.filter(staff=person).update(
        step_since=D(2024, 2, 1), effective_date=D(2024, 2, 1)
    )
    early = rows_for(world.clerk, "early", *EARLY_2026)
    assert [(r.full_name, r.outside_quota) for r in early] == [("Nguyễn Văn An", True)]
    discipline(person, "CC-KT", D(2026, 2, 1))  # delays to 01/08/2027, still within 12 months
    assert rows_for(world.clerk, "early", *EARLY_2026) == []


# --- Rules 5 and 6: counting dates that unrelated decisions do not move (§4.1, §4.4) ----------


def test_an_allowance_change_moves_neither_the_step_nor_the_beyond_scale_clock(world, salaries):
    teacher = world.staff_in_a1  # V.07.05.15 last step (9) since 01/12/2022
    rank = Rank.objects.get(code="V.07.05.15")
    granted = decide(world, teacher, kind=SalaryRecord.Kind.BEYOND_SCALE, rank=rank, step=9,
                     effective_date=D(2025, 12, 1), beyond_scale_percent=Decimal(5))  # fmt: skip
    assert (granted.step_since, granted.beyond_scale_since) == (D(2022, 12, 1), D(2025, 12, 1))
    adjusted = decide(
        world,
        teacher,
        rank=rank,
        step=9,
        effective_date=D(2026, 7, 1),
        beyond_scale_percent=Decimal(5),
        leadership_coefficient=Decimal("0.2"),
    )
    assert (adjusted.step_since, adjusted.beyond_scale_since) == (D(2022, 12, 1), D(2025, 12, 1))
    row = next_raise(staff=teacher)
    assert (row.due_date, row.proposed_percent) == (D(2026, 12, 1), Decimal(6))
    beyond = rows_for(world.clerk, "beyond", D(2026, 7, 1), D(2026, 12, 31))
    assert [(r.full_name, r.due_date) for r in beyond] == [("Trần Thị Bình", D(2026, 12, 1))]


def test_a_hand_entered_adjustment_keeps_the_steps_counting_date(world, salaries, client_for):
    person = world.staff_in_a  # A1 step 3 since 01/10/2023
    adjusted = decide(
        world,
        person,
        rank=Rank.objects.get(code="01.003"),
        step=3,
        effective_date=D(2026, 5, 1),
        leadership_coefficient=Decimal("0.25"),
    )
    assert adjusted.step_since == D(2023, 10, 1)
    assert next_raise(staff=person).due_date == D(2026, 10, 1)
    promoted = decide(
        world,
        person,
        kind=SalaryRecord.Kind.PROMOTION,
        rank=Rank.objects.get(code="01.002"),
        step=1,
        effective_date=D(2026, 6, 1),
    )
    assert promoted.step_since == D(2026, 6, 1)  # a new rank counts from its effective date
    page = (
        client_for(world.clerk)
        .get(reverse("payroll:staff_salary_new", args=[person.pk]))
        .content.decode()
    )
    assert "Để trống nếu tính từ ngày hưởng" not in page  # the old help said to leave it empty
    assert "giữ nguyên mốc tính nâng bậc lần sau của bậc đang hưởng" in page


# --- Rule 7: "not twice in a row" looks at the last raise (§4.6) ------------------------------


def test_an_adjustment_after_an_early_raise_does_not_make_the_person_eligible_again(world):
    person = StaffFactory(unit=world.unit_a1, full_name="Hà Văn Lặp")
    approved_record(person, rank_code="01.003", step=2, effective=D(2024, 6, 1),
                    kind=SalaryRecord.Kind.EARLY_RAISE)  # fmt: skip
    approved_record(person, rank_code="01.003", step=2, effective=D(2025, 1, 1),
                    since=D(2024, 6, 1), kind=SalaryRecord.Kind.ADJUSTMENT)  # fmt: skip
    assert rows_for(world.clerk, "early", *EARLY_2026) == []
    other = StaffFactory(unit=world.unit_a1, full_name="Hà Văn Mới")
    approved_record(other, rank_code="01.003", step=1, effective=D(2021, 6, 1),
                    kind=SalaryRecord.Kind.EARLY_RAISE)  # fmt: skip
    approved_record(other, rank_code="01.003", step=2, effective=D(2024, 6, 1))
    assert names(rows_for(world.clerk, "early", *EARLY_2026)) == ["Hà Văn Mới"]


# --- Rule 8: promotion keeps the reserved difference and restarts the clock (§4.5) ------------


def test_promotion_from_beyond_scale_keeps_the_reserved_difference(world):
    person = StaffFactory(unit=world.unit_a, full_name="Đỗ Văn Sự")
    approved_record(person, rank_code="01.004", step=10, effective=D(2025, 1, 1),
                    since=D(2015, 1, 1), kind=SalaryRecord.Kind.BEYOND_SCALE,
                    percent=Decimal(20))  # fmt: skip
    values = services.validate_salary_values(staff=person, values={
        "kind": SalaryRecord.Kind.PROMOTION, "rank": Rank.objects.get(code="01.003"),
        "step": None, "effective_date": D(2026, 7, 1),
    })  # fmt: skip
    assert (values["step"], values["coefficient"], values["reserved_coefficient"]) == (
        9, Decimal("4.98"), Decimal("0.888"),
    )  # fmt: skip
    assert (values["step_since"], values["beyond_scale_percent"]) == (D(2026, 7, 1), 0)


# --- Rule 9: the group of a rank on the decision's date (§2.4) --------------------------------


@pytest.mark.parametrize(
    ("effective", "group", "coefficient"),
    [(D(2020, 1, 1), "B", Decimal("2.26")), (D(2022, 1, 1), "A0", Decimal("2.72"))],
)
def test_can_su_takes_the_group_in_force_on_the_decisions_date(world, effective, group,
                                                               coefficient):  # fmt: skip
    person = StaffFactory(unit=world.unit_a, birth_date="1980-01-01")
    can_su = Rank.objects.get(code="01.004")
    values = services.validate_salary_values(staff=person, values={
        "kind": SalaryRecord.Kind.INITIAL, "rank": can_su, "step": 3, "effective_date": effective,
    })  # fmt: skip
    assert values["coefficient"] == coefficient
    assert (
        RankGroups().group_id(can_su.pk, effective)
        == can_su.placements.get(group__code=group).group_id
    )


def test_a_can_su_decision_of_2020_is_counted_in_group_b(world):
    person = StaffFactory(unit=world.unit_a, full_name="Đỗ Văn Cũ")
    approved_record(person, rank_code="01.004", step=3, effective=D(2020, 3, 1))
    SalaryRecord.objects.filter(staff=person).update(coefficient=Decimal("2.26"))
    row = next_raise(staff=person)
    assert (row.due_date, row.proposed_coefficient) == (D(2022, 3, 1), Decimal("2.46"))


# --- Rule 10: the quota of the payroll list (§4.6) ---------------------------------------------


@pytest.fixture
def department_with_offices(world):
    """Unit A keeps the payroll of its two offices: nine people in the offices and one in A."""
    offices = [
        OrgUnitFactory(parent=world.unit_a, name=f"Phòng {n}", kind=OrgUnit.Kind.OFFICE,
                       keeps_payroll=False)
        for n in (1, 2)
    ]  # fmt: skip
    for index in range(9):
        StaffFactory(unit=offices[index % 2])
    return offices


def test_the_payroll_unit_is_the_nearest_unit_that_keeps_a_payroll(
    world, department_with_offices, django_assert_num_queries
):
    office = department_with_offices[0]
    office.refresh_from_db()
    assert payroll_unit(office) == world.unit_a
    assert payroll_unit(world.unit_a1) == world.unit_a1
    with django_assert_num_queries(2):
        mapped = payroll_units([office.pk, world.unit_a1.pk, world.unit_a.pk])
    assert {pk: unit.code for pk, unit in mapped.items()} == {
        office.pk: "A",
        world.unit_a1.pk: "A1",
        world.unit_a.pk: "A",
    }
    with django_assert_num_queries(1):
        counts = payroll_headcounts([world.unit_a, world.unit_a1])
    assert counts == {world.unit_a.pk: 10, world.unit_a1.pk: 2}  # A1 keeps its own list


def test_the_early_raise_quota_is_counted_on_the_payroll_list(
    world, salaries, department_with_offices
):
    candidate = StaffFactory(unit=department_with_offices[0], full_name="Hà Văn Giỏi")
    approved_record(candidate, rank_code="01.003", step=2, effective=D(2024, 6, 1))
    rows = rows_for(world.clerk, "early", *EARLY_2026)
    assert [(r.full_name, r.payroll_unit_name, r.quota) for r in rows] == [
        ("Hà Văn Giỏi", "Sở A", 1)  # 11 on Sở A's list: the office alone (5) would give 0
    ]
    assert "chỉ tiêu theo bảng lương của Sở A: 1" in rows[0].why()


def test_the_early_list_page_shows_the_payroll_unit_and_its_quota(
    world, salaries, client_for, department_with_offices
):
    candidate = StaffFactory(unit=department_with_offices[0], full_name="Hà Văn Giỏi")
    approved_record(candidate, rank_code="01.003", step=2, effective=D(2024, 6, 1))
    page = (
        client_for(world.clerk)
        .get(
            reverse("payroll:due_list"),
            {"list": "early", "start": "01/01/2026", "end": "31/12/2026"},
        )
        .content.decode()
    )
    cell = page[page.index('class="payroll-unit"') :]
    assert "Sở A" in cell[:200] and "chỉ tiêu 1" in cell[:200]


# --- Rule 12: suspension and detention recorded as periods that do not count (§4.3) -----------


def test_a_suspension_recorded_in_the_dossier_postpones_the_raise(world, salaries, client_for):
    person = world.staff_in_a  # due 01/10/2026
    response = client_for(world.clerk).post(
        edit(person, "non_counting"),
        rows_post(person, kind="suspension", start="01/03/2025", end="30/04/2025",
                  decision="05/QĐ-ĐC"),
    )  # fmt: skip
    assert response.status_code == 302
    assert NonCountingPeriod.objects.get(staff=person).kind == "suspension"
    row = next_raise(staff=person)
    assert row.due_date == D(2026, 10, 1) + datetime.timedelta(days=61)
    assert "Tạm đình chỉ công tác" in row.why()


def test_someone_in_detention_is_not_due_while_it_lasts(world, salaries):
    person = world.staff_in_a
    NonCountingPeriod.objects.create(staff=person, kind="detention", start=D(2026, 5, 1))
    assert person.pk not in [
        r.staff_id for r in rows_for(world.clerk, "regular", D(2026, 7, 1), D(2027, 12, 31))
    ]
    row = next_raise(staff=person)
    assert row.due_date is None and "tạm giữ, tạm giam" in row.why().lower()
