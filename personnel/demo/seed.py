"""Seeding a demo province with staff and the four demo accounts."""

import random
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from personnel import services
from personnel.demo.people import REFERENCE_DATE, apportion, make_person, personal_id
from personnel.demo.province import PROVINCE_CODE, ProvinceBuilder
from personnel.models import OrgUnit, Staff
from personnel.permissions import Role

DEMO_PASSWORD = "demo@2026"
BATCH_SIZE = 5000


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    sex: str
    unit_code: str
    category: str
    description: str


_F, _M = Staff.Sex.FEMALE, Staff.Sex.MALE
_CIVIL, _PUBLIC = Staff.Category.CIVIL_SERVANT, Staff.Category.PUBLIC_EMPLOYEE
DEMO_ACCOUNTS = [
    DemoAccount("admin", "Nguyễn Thị Thu Hà", _F, "SNV-P03", _CIVIL,
                "provincial administrator (whole province, administration site)"),
    DemoAccount("clerk", "Lê Thị Minh Phương", _F, "SGDDT-P02", _CIVIL,
                "HR clerk of the Department of Education and Training and its schools"),
    DemoAccount("head", "Phạm Quang Huy", _M, "SGDDT", _CIVIL,
                "head of the Department of Education and Training (view and export)"),
    DemoAccount("staff", "Đỗ Thị Lan Anh", _F, "SGDDT-THPTCHUYEN", _PUBLIC,
                "teacher: own record only"),
]  # fmt: skip


def demo_exists() -> bool:
    return OrgUnit.objects.filter(code=PROVINCE_CODE).exists()


@transaction.atomic
def seed_demo(*, staff_count: int, seed: int, stdout=None) -> OrgUnit:
    """Build the demo province with ``staff_count`` staff (including the demo accounts' own
    records), deterministic for ``seed``. All or nothing."""
    rng = random.Random(seed)
    services.provincial_admin_group_ensure()
    demo = ProvinceBuilder(rng=rng).build()
    if stdout:
        stdout.write(f"  {OrgUnit.objects.count()} units")
    taken_ids: set[str] = set()
    accounts = _demo_accounts(rng, taken_ids)
    remaining = max(staff_count - len(accounts), 0)
    units = OrgUnit.objects.in_bulk(list(demo.weights))
    counts = apportion(remaining, demo.weights)
    number = len(accounts)
    batch: list[Staff] = []
    for unit_pk in sorted(counts):
        for _ in range(counts[unit_pk]):
            number += 1
            batch.append(make_person(rng, number=number, unit=units[unit_pk], taken_ids=taken_ids))
            if len(batch) >= BATCH_SIZE:
                Staff.objects.bulk_create(batch)
                batch.clear()
                if stdout:
                    stdout.write(f"  {number} staff")
    Staff.objects.bulk_create(batch)
    return demo.root


def _demo_accounts(rng: random.Random, taken_ids: set[str]) -> list[Staff]:
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
        born = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - 35 - number)
        records.append(
            Staff.objects.create(
                staff_number=f"HA{number:06d}",
                full_name=account.full_name,
                sex=account.sex,
                date_of_birth=born,
                personal_id=personal_id(rng, account.sex, born, taken_ids),
                unit=unit,
                category=account.category,
                user=user,
            )
        )
        if account.username == "admin":
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(admin_group)
        elif account.username == "clerk":
            services.role_grant(user=user, unit=unit.parent_unit(), role=Role.HR_CLERK, actor=None)
        elif account.username == "head":
            services.role_grant(user=user, unit=unit, role=Role.UNIT_HEAD, actor=None)
    return records
