"""The demo province: realistic, deterministic for a seed, idempotent, with scoped demo accounts."""

import datetime
import re
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction

from demo.province import REFORM_DATE
from demo.seed import DEMO_ACCOUNTS, seed_demo
from hrms.lib.vietnamese import fold
from personnel import permissions
from personnel.models import LineageEvent, OrgUnit, Staff
from tests.conftest import load_reference_data


class _Rollback(Exception):
    pass


def _snapshot(staff_count: int, seed: int) -> list[tuple]:
    """Seed inside a transaction, read everything that should be deterministic, roll back."""
    rows: list[tuple] = []
    try:
        with transaction.atomic():
            seed_demo(staff_count=staff_count, seed=seed)
            rows = list(
                Staff.objects.order_by("staff_number").values_list(
                    "staff_number",
                    "full_name",
                    "sex",
                    "birth_date",
                    "personal_id",
                    "unit__code",
                    "category",
                    "status",
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    return rows


def test_the_same_seed_gives_the_same_province_and_people(reference):
    first = _snapshot(120, seed=7)
    assert len(first) == 120
    assert _snapshot(120, seed=7) == first


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One seeded province shared by this module's tests, rolled back afterwards."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_reference_data()
            seed_demo(staff_count=400, seed=3)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_db(demo, db):
    """Each test runs in a savepoint inside the seeded transaction."""


def test_the_tree_has_departments_historic_districts_reformed_communes_and_schools(demo_db):
    root = OrgUnit.objects.get(code="HOAAN")
    assert root.admin_code == "99" and root.depth == 1
    districts = OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT, kind="committee")
    assert districts.count() == 7
    assert all(unit.valid_to == REFORM_DATE - datetime.timedelta(days=1) for unit in districts)
    new_communes = OrgUnit.objects.filter(
        level=OrgUnit.Level.COMMUNE, kind="committee", valid_from=REFORM_DATE
    )
    assert new_communes.count() == 28
    assert all(unit.parent_unit() == root for unit in new_communes)
    assert (
        OrgUnit.objects.filter(name__startswith="Trường THPT", valid_to__isnull=True).count() >= 7
    )
    assert OrgUnit.objects.filter(name__startswith="Bệnh viện").exists()
    assert OrgUnit.objects.filter(name__startswith="Trạm Y tế").count() == 84


def test_the_2025_reform_is_recorded_as_lineage(demo_db):
    merges = LineageEvent.objects.filter(kind="merge", effective_date=REFORM_DATE)
    assert merges.count() == 28
    assert all(event.sources.count() == 3 and event.results.count() == 1 for event in merges)
    moved_school = OrgUnit.objects.get(code="X99001-TH")
    move = LineageEvent.objects.get(kind="move", sources=moved_school)
    assert move.old_parent.level == "district" and move.new_parent.code == "N99001"
    assert LineageEvent.objects.filter(kind="dissolve").count() == 7
    assert (
        LineageEvent.objects.filter(
            kind="rename", new_name__startswith="Trung tâm Y tế khu vực"
        ).count()
        == 7
    )
    agriculture = LineageEvent.objects.get(kind="merge", results__code="SNNMT")
    assert {unit.code for unit in agriculture.sources.all()} == {"SNNPTNT", "STNMT"}


def test_staff_are_plausible(demo_db):
    staff = list(Staff.objects.select_related("unit"))
    assert len(staff) == 400
    assert all(person.unit.valid_to is None for person in staff), "staff work in current units"
    surnames = Counter(person.full_name.split()[0] for person in staff)
    assert surnames.most_common(1)[0][0] == "Nguyễn"
    assert all(re.fullmatch(r"\d{12}", person.personal_id) for person in staff)
    for person in staff:
        century_sex = int(person.personal_id[3])
        assert century_sex % 2 == (1 if person.sex == "female" else 0)
        assert person.personal_id[4:6] == f"{person.date_of_birth.year % 100:02d}"
        assert fold(person.full_name).replace(" ", "").isalpha()
    assert len({person.personal_id for person in staff}) == 400
    teachers = [p for p in staff if p.unit.kind == "public_service"]
    assert Counter(p.category for p in teachers).most_common(1)[0][0] == "public_employee"


def test_demo_accounts_are_scoped(demo_db):
    clerk = User.objects.get(username="clerk")
    head = User.objects.get(username="head")
    staff = User.objects.get(username="staff")
    admin = User.objects.get(username="admin")
    education = OrgUnit.objects.get(code="SGDDT")
    assert set(permissions.visible_units(clerk, permissions.CHANGE_STAFF)) == set(
        OrgUnit.objects.filter(path__startswith=education.path)
    )
    assert not permissions.visible_staff(head, permissions.CHANGE_STAFF).exists()
    assert permissions.visible_staff(head, permissions.EXPORT_STAFF).count() > 0
    assert list(permissions.visible_staff(staff)) == [staff.staff]
    assert permissions.visible_staff(admin).count() == 400
    assert admin.is_staff and not admin.is_superuser
    assert {account.username for account in DEMO_ACCOUNTS} == {"admin", "clerk", "head", "staff"}


def test_the_command_leaves_an_existing_demo_alone(demo_db, capsys):
    units, people = OrgUnit.objects.count(), Staff.objects.count()
    call_command("seed_demo", "--staff", "30", "--seed", "2")
    assert (OrgUnit.objects.count(), Staff.objects.count()) == (units, people)
    output = capsys.readouterr().out
    assert "already there" in output and "clerk" in output and "demo@2026" in output


# --- What the payroll needs -------------------------------------------------------------------


def test_communes_and_schools_carry_their_unit_allowances(demo_db):
    from decimal import Decimal

    from payroll.models import UnitAllowance

    area = UnitAllowance.objects.filter(allowance_type__code="KHUVUC").select_related("unit")
    assert 0 < area.count() < OrgUnit.objects.filter(kind="committee", level="commune").count()
    assert all(row.unit.name.startswith("Xã") and row.unit.valid_to is None for row in area)
    assert {row.value for row in area} <= {Decimal(v) for v in ("0.1", "0.2", "0.3", "0.4",
                                                                  "0.5", "0.7")}  # fmt: skip
    incentive = {
        row.unit.code: row.value
        for row in UnitAllowance.objects.filter(allowance_type__code="UUDAI").select_related("unit")
    }
    assert incentive["SGDDT-THPTCHUYEN"] == 60 and incentive["SGDDT-PTDTNT"] == 80
    assert incentive["X99001-MN"] == 45 and incentive["X99001-THCS"] == 40
    assert incentive["THPT01"] == 40
    assert not any(code.startswith("SYT") for code in incentive)


def test_staff_have_the_pay_inputs_a_payroll_needs(demo_db):
    from payroll.models import AllowanceAssignment, Dependant, PayProfile
    from payroll.services.pay_inputs import AllowanceValues, _check_allowance

    working = Staff.objects.filter(status__in=["active", "unpaid_leave"])
    profiles = PayProfile.objects.filter(staff__in=working)
    assert profiles.count() == working.count()
    assert 0.8 < profiles.filter(union_member=True).count() / working.count() < 0.97
    assert all(re.fullmatch(r"[1-9]\d{11,13}", account) for account in
               profiles.values_list("bank_account", flat=True))  # fmt: skip
    with_dependants = Dependant.objects.values("staff").distinct().count()
    assert 0.35 < with_dependants / working.count() < 0.65
    teachers = working.filter(rank__code__startswith="V.07.")
    seniority = AllowanceAssignment.objects.filter(allowance_type__code="TNN")
    assert seniority.count() == teachers.count() > 0
    assert all(row.since and row.value == 0 for row in seniority)
    responsibility = AllowanceAssignment.objects.filter(allowance_type__code="TRACHNHIEM")
    assert responsibility.exists()
    # Every generated allowance passes the checks the screens apply.
    for row in AllowanceAssignment.objects.select_related("staff", "allowance_type"):
        values = AllowanceValues(
            allowance_type=row.allowance_type, valid_from=row.valid_from, value=row.value,
            since=row.since, valid_to=row.valid_to,
        )  # fmt: skip
        assert _check_allowance(row.staff, values, exclude_pk=row.pk) == {}, row


def test_the_demo_teachers_school_computes_its_payroll(demo_db):
    from payroll.models import Payslip
    from payroll.services import runs
    from personnel.selectors import payroll_unit

    teacher = User.objects.get(username="staff").staff
    school = payroll_unit(teacher.unit)
    run = runs.payroll_run_open(
        unit=school, year=2026, month=11, actor=User.objects.get(username="clerk")
    )
    result = runs.payroll_run_compute(run=run, actor=User.objects.get(username="clerk"))
    assert result.payslips > 0
    slip = Payslip.objects.get(run=run, staff=teacher)
    codes = {code for code, *_rest in slip.lines}
    assert {"LUONG", "UUDAI", "TNN"} <= codes
    assert slip.net > 0


def test_offices_and_health_stations_are_on_their_parents_payroll(demo_db):
    units = OrgUnit.objects.all()
    assert not units.filter(kind="office", keeps_payroll=True).exists()
    assert not units.filter(name__startswith="Trạm Y tế", keeps_payroll=True).exists()
    assert all(
        unit.keeps_payroll
        for unit in units.filter(kind__in=["department", "committee"]).exclude(
            name__startswith="Trạm Y tế"
        )
    )
    assert units.get(code="SGDDT").keeps_payroll
