"""Seeding a demo province with staff and the four demo accounts."""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pgtrigger
from django.contrib.auth.models import User
from django.db import connection, transaction

from demo.people import (
    REFERENCE_DATE,
    SECTOR_INCENTIVE,
    SECTOR_RATE,
    Lookups,
    Person,
    WeightedChoice,
    apportion,
    make_person,
    pay_inputs,
    personal_id,
    salary_history,
    school_level,
)
from demo.province import DEMO_BASIS, PROVINCE_CODE, REFORM_DATE, ProvinceBuilder
from hrms.lib.partial_dates import PartialDate
from payroll.models import (
    AllowanceAssignment,
    AllowanceType,
    Dependant,
    PayProfile,
    SalaryRecord,
    UnitAllowance,
)
from payroll.selectors import group_scales
from personnel import services
from personnel.models import (
    AnnualRating,
    Award,
    Certificate,
    Discipline,
    DisciplineType,
    EthnicGroup,
    FamilyMember,
    OrgUnit,
    Rank,
    RatingLevel,
    Religion,
    Staff,
    Training,
    WorkHistory,
)
from personnel.permissions import Role

ROW_MODELS = (Training, WorkHistory, FamilyMember, Award, Discipline, AnnualRating, Certificate)
PAY_INPUTS = (AllowanceAssignment, Dependant, PayProfile, UnitAllowance)
HISTORY_IGNORED = [*ROW_MODELS, SalaryRecord, *PAY_INPUTS]
# Seeding is the initial load, not a change: the history triggers' insert events are skipped
# for it (edits made afterwards are recorded as usual).
SEED_IGNORED_TRIGGERS = [
    f"{model._meta.app_label}.{model.__name__}:insert_insert" for model in (Staff, *HISTORY_IGNORED)
]

DEMO_PASSWORD = "demo@2026"
BATCH_SIZE = 5000


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    sex: str
    unit_code: str
    category: str
    position: str
    rank: str
    description: str


_F, _M = Staff.Sex.FEMALE, Staff.Sex.MALE
_CIVIL, _PUBLIC = Staff.Category.CIVIL_SERVANT, Staff.Category.PUBLIC_EMPLOYEE
DEMO_ACCOUNTS = [
    DemoAccount("admin", "Nguyễn Thị Thu Hà", _F, "SNV-P03", _CIVIL, "Trưởng phòng", "01.002",
                "provincial administrator (whole province, administration site)"),
    DemoAccount("clerk", "Lê Thị Minh Phương", _F, "SGDDT-P02", _CIVIL, "Chuyên viên", "01.003",
                "HR clerk of the Department of Education and Training and its schools"),
    DemoAccount("head", "Phạm Quang Huy", _M, "SGDDT", _CIVIL, "Giám đốc Sở", "01.001",
                "head of the Department of Education and Training (view, export, approve salary)"),
    DemoAccount("staff", "Đỗ Thị Lan Anh", _F, "SGDDT-THPTCHUYEN", _PUBLIC, "Giáo viên",
                "V.07.05.14", "teacher: own record only"),
]  # fmt: skip


def demo_exists() -> bool:
    return OrgUnit.objects.filter(code=PROVINCE_CODE).exists()


def _lookups() -> Lookups:
    return Lookups(
        ranks=Rank.objects.in_bulk(field_name="code"),
        ethnic_groups=EthnicGroup.objects.in_bulk(field_name="code"),
        religions=Religion.objects.in_bulk(field_name="code"),
        rating_levels=RatingLevel.objects.in_bulk(field_name="code"),
        discipline_types=DisciplineType.objects.in_bulk(field_name="code"),
        scales=group_scales(),
        allowance_types=AllowanceType.objects.in_bulk(field_name="code"),
    )


def _insert(people: list[Person]) -> None:
    Staff.objects.bulk_create([person.staff for person in people])
    rows = defaultdict(list)
    for person in people:
        for row in person.rows:
            row.staff_id = person.staff.pk
            rows[type(row)].append(row)
    for model, batch in rows.items():
        model.objects.bulk_create(batch, batch_size=BATCH_SIZE)


@transaction.atomic
def seed_demo(*, staff_count: int, seed: int, stdout=None) -> OrgUnit:
    """Build the demo province with ``staff_count`` staff (including the demo accounts' own
    records) and filled dossiers, deterministic for ``seed``. All or nothing. Needs the
    reference data (``load_reference``)."""
    rng = random.Random(seed)
    # Foreign keys checked after each statement rather than all at the COMMIT: the deferred
    # checks of a 100,000-staff province (millions of rows) took 80 minutes at the COMMIT,
    # checked as they go the whole seed takes 26. Every row is written after what it names.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    services.provincial_admin_group_ensure()
    lookups = _lookups()
    if not lookups.rating_levels:
        raise RuntimeError("Load the reference data first: manage.py load_reference")
    demo = ProvinceBuilder(rng=rng).build()
    if stdout:
        stdout.write(f"  {OrgUnit.objects.count()} units")
    taken_ids: set[str] = set()
    with pgtrigger.ignore(*SEED_IGNORED_TRIGGERS):
        UnitAllowance.objects.bulk_create(unit_allowances(rng, lookups))
        accounts = _demo_accounts(rng, taken_ids, lookups)
        remaining = max(staff_count - len(accounts), 0)
        units = OrgUnit.objects.in_bulk(list(demo.weights))
        counts = apportion(remaining, demo.weights)
        number = len(accounts)
        batch: list[Person] = []
        for unit_pk in sorted(counts):
            for index in range(counts[unit_pk]):
                number += 1
                leader = index + 1 if index < 2 and counts[unit_pk] >= 4 else 0
                batch.append(
                    make_person(
                        rng,
                        number=number,
                        unit=units[unit_pk],
                        taken_ids=taken_ids,
                        lookups=lookups,
                        leader=leader,
                    )
                )
                if len(batch) >= BATCH_SIZE:
                    _insert(batch)
                    batch.clear()
                    if stdout:
                        stdout.write(f"  {number} staff")
        _insert(batch)
    return demo.root


def _demo_accounts(rng: random.Random, taken_ids: set[str], lookups: Lookups) -> list[Staff]:
    records = []
    admin_group = services.provincial_admin_group_ensure()
    for number, account in enumerate(DEMO_ACCOUNTS, start=1):
        family, *_rest, given = account.full_name.split()
        user = User.objects.create_user(
            account.username,
            password=DEMO_PASSWORD,
            first_name=given,
            last_name=account.full_name[: -len(given)].strip(),
        )
        unit = OrgUnit.objects.get(code=account.unit_code)
        person = make_person(rng, number=number, unit=unit, taken_ids=taken_ids, lookups=lookups)
        person.staff.full_name = account.full_name
        person.staff.sex = account.sex
        person.staff.user = user
        person.staff.category = account.category
        person.staff.status = Staff.Status.ACTIVE
        person.staff.status_since = None
        born = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - 35 - number)
        person.staff.birth_date = PartialDate.from_date(born)
        person.staff.personal_id = personal_id(rng, account.sex, born, taken_ids, "037")
        person.staff.position_title = account.position
        if account.rank:
            person.staff.rank = lookups.ranks[account.rank]
        person.rows = [
            row for row in person.rows if not isinstance(row, (SalaryRecord, *PAY_INPUTS))
        ]
        person.rows += salary_history(
            rng, person.staff, recruited=person.staff.recruitment_date, lookups=lookups
        )
        person.rows += pay_inputs(
            rng, person, unit=unit, recruited=person.staff.recruitment_date, taken_ids=taken_ids,
            lookups=lookups,
        )  # fmt: skip
        for row in person.rows:
            if isinstance(row, WorkHistory) and row.end is None:
                row.position = account.position
        _insert([person])
        records.append(person.staff)
        if account.username == "admin":
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(admin_group)
        elif account.username == "clerk":
            services.role_grant(user=user, unit=unit.parent_unit(), role=Role.HR_CLERK, actor=None)
        elif account.username == "head":
            services.role_grant(user=user, unit=unit, role=Role.UNIT_HEAD, actor=None)
    return records


# Area-allowance levels of the communes that receive one (TTLT 11/2005; docs/rules.md §3.8).
AREA_LEVELS = [("0.1", 30), ("0.2", 25), ("0.3", 15), ("0.4", 10), ("0.5", 10), ("0.7", 10)]
AREA_SHARE = 0.45  # rural communes with an area allowance
AREA_BASIS = f"TTLT 11/2005/TTLT-BNV-BLĐTBXH-BTC-UBDT {DEMO_BASIS}"
SECTOR_INCENTIVE_FROM = datetime.date(2026, 1, 1)
SECTOR_BASIS = f"NĐ 182/2026/NĐ-CP {DEMO_BASIS}"


def unit_allowances(rng: random.Random, lookups: Lookups) -> list[UnitAllowance]:
    """The area allowance of some rural communes (from the 2025 reform) and the sector
    incentive of every school by its kind (docs/rules.md §3.7, §3.8)."""
    types = lookups.allowance_types
    levels = WeightedChoice(AREA_LEVELS)
    rows = []
    current = OrgUnit.objects.filter(valid_to__isnull=True).order_by("path")
    for unit in current.filter(
        level=OrgUnit.Level.COMMUNE, kind=OrgUnit.Kind.PEOPLES_COMMITTEE, name__startswith="Xã"
    ):
        if rng.random() < AREA_SHARE:
            rows.append(
                UnitAllowance(
                    unit=unit, allowance_type=types["KHUVUC"], value=Decimal(levels.draw(rng)),
                    valid_from=max(unit.valid_from, REFORM_DATE), legal_basis=AREA_BASIS,
                    confidence="V",
                )
            )  # fmt: skip
    for unit in current.filter(kind=OrgUnit.Kind.PUBLIC_SERVICE_UNIT):
        kind = unit.code.rsplit("-", 1)[-1]
        kind = kind if kind in SECTOR_INCENTIVE else school_level(unit)
        percent = SECTOR_INCENTIVE.get(kind)
        if percent:
            rows.append(
                UnitAllowance(
                    unit=unit, allowance_type=types["UUDAI"], value=Decimal(percent),
                    sector_rate=SECTOR_RATE.get(kind, ""), valid_from=SECTOR_INCENTIVE_FROM,
                    legal_basis=SECTOR_BASIS, confidence="S",
                )
            )  # fmt: skip
    return rows
