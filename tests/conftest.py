"""Shared fixtures: a small organisation tree and the personas every view test uses.

Tree::

    Province (root)
    ├── Unit A (department)            ← clerk and head are granted here
    │   └── Unit A1 (school)           ← the staff persona works here
    └── Unit B (department)            ← the outsider is a clerk here
        └── Unit B1 (school)
"""

import datetime
import io
import shutil
from dataclasses import dataclass
from decimal import Decimal

import pgtrigger
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.backends.postgresql.operations import DatabaseOperations

from payroll.models import SalaryRecord
from personnel import services
from personnel.models import OrgUnit, Rank, RatingLevel, Staff
from personnel.permissions import Role
from tests.factories import OrgUnitFactory, StaffFactory, UserFactory

PASSWORD = "secret-pass-123"


@dataclass
class World:
    province: OrgUnit
    unit_a: OrgUnit
    unit_a1: OrgUnit
    unit_b: OrgUnit
    unit_b1: OrgUnit
    admin: User
    clerk: User
    head: User
    staff_user: User
    outsider: User
    nobody: User
    staff_in_a: Staff
    staff_in_a1: Staff
    staff_in_b: Staff
    own_record: Staff


@pytest.fixture(autouse=True)
def empty_cache():
    """Counts kept for a while (the charts' and the inbox's due lists) never leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (Vietnamese): a request made in English leaves
    English active in the thread, which would change what the next test's code translates."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests hash many passwords; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_reference_data() -> None:
    """The reference tables (ethnic groups, ranks, rating levels…) as ``make run`` loads them."""
    if not RatingLevel.objects.exists():
        call_command("load_reference", stdout=io.StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data is loaded once into the test database, as ``make run`` does."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(scope="session", autouse=True)
def flush_past_the_audit_protection():
    """Transactional tests (browser, task worker) empty every table with TRUNCATE afterwards
    (Django's flush); the audit tables and staff records refuse TRUNCATE (``hrms.audit``).
    Only this flush, in the test run, passes through ``pgtrigger.ignore``."""
    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with pgtrigger.ignore():  # no URIs: every trigger, for the flush's TRUNCATE only
            return original(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture
def reference(db):
    load_reference_data()  # after a transactional (browser) test emptied the tables


def _empties_tables(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    return transactional or "live_server" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items):
    """Tests with real transactions (browser tests, the task worker) run last: the tables are
    emptied after each of them, reference data included."""
    items.sort(key=_empties_tables)


@pytest.fixture
def world(reference) -> World:
    province = OrgUnitFactory(
        code="PROV",
        name="Tỉnh Thử",
        level=OrgUnit.Level.PROVINCE,
        kind=OrgUnit.Kind.PEOPLES_COMMITTEE,
        admin_code="99",
    )
    unit_a = OrgUnitFactory(parent=province, code="A", name="Sở A")
    unit_a1 = OrgUnitFactory(
        parent=unit_a, code="A1", name="Trường A1", kind=OrgUnit.Kind.PUBLIC_SERVICE_UNIT
    )
    unit_b = OrgUnitFactory(parent=province, code="B", name="Sở B")
    unit_b1 = OrgUnitFactory(
        parent=unit_b, code="B1", name="Trường B1", kind=OrgUnit.Kind.PUBLIC_SERVICE_UNIT
    )
    for unit in (province, unit_a, unit_a1, unit_b, unit_b1):
        unit.refresh_from_db()

    admin = UserFactory(username="admin_p", is_staff=True)
    admin.groups.add(services.provincial_admin_group_ensure())
    clerk = UserFactory(username="clerk_a")
    services.role_grant(user=clerk, unit=unit_a, role=Role.HR_CLERK, actor=admin)
    head = UserFactory(username="head_a")
    services.role_grant(user=head, unit=unit_a, role=Role.UNIT_HEAD, actor=admin)
    outsider = UserFactory(username="clerk_b")
    services.role_grant(user=outsider, unit=unit_b, role=Role.HR_CLERK, actor=admin)
    staff_user = UserFactory(username="staff_a1")
    nobody = UserFactory(username="nobody")

    staff_in_a = StaffFactory(unit=unit_a, full_name="Nguyễn Văn An")
    staff_in_a1 = StaffFactory(unit=unit_a1, full_name="Trần Thị Bình")
    own_record = StaffFactory(unit=unit_a1, full_name="Lê Thị Cúc", user=staff_user)
    staff_in_b = StaffFactory(unit=unit_b1, full_name="Phạm Văn Dũng")
    return World(
        province=province,
        unit_a=unit_a,
        unit_a1=unit_a1,
        unit_b=unit_b,
        unit_b1=unit_b1,
        admin=admin,
        clerk=clerk,
        head=head,
        staff_user=staff_user,
        outsider=outsider,
        nobody=nobody,
        staff_in_a=staff_in_a,
        staff_in_a1=staff_in_a1,
        staff_in_b=staff_in_b,
        own_record=own_record,
    )


@pytest.fixture
def client_for(client):
    """Log ``client`` in as the given user (session login, bypassing the throttled form)."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(
            "Browser tests need Debian's Chromium: apt-get install chromium (see README).",
            pytrace=False,
        )
    return path


# --- Salary ---------------------------------------------------------------------------------


def approved_record(
    staff,
    *,
    rank_code: str,
    step: int,
    effective: datetime.date,
    since=None,
    kind=SalaryRecord.Kind.REGULAR_RAISE,
    percent=Decimal(0),
) -> SalaryRecord:
    rank = Rank.objects.select_related("group").get(code=rank_code)
    coefficient = rank.group.steps.get(step=step).coefficient
    record = SalaryRecord.objects.create(
        staff=staff,
        status=SalaryRecord.Status.APPROVED,
        kind=kind,
        rank=rank,
        step=step,
        coefficient=coefficient,
        effective_date=effective,
        step_since=since or effective,
        beyond_scale_percent=percent,
    )
    staff.rank = rank
    staff.save(update_fields=["rank"])
    return record


@pytest.fixture
def salaries(world):
    """A1 (chuyên viên) for the A-unit staff, due at different times; B-unit staff too."""
    return {
        "a": approved_record(
            world.staff_in_a, rank_code="01.003", step=3, effective=datetime.date(2023, 10, 1)
        ),
        "a1": approved_record(
            world.staff_in_a1, rank_code="V.07.05.15", step=9, effective=datetime.date(2022, 12, 1)
        ),
        "own": approved_record(
            world.own_record, rank_code="01.005", step=4, effective=datetime.date(2024, 11, 1)
        ),
        "b": approved_record(
            world.staff_in_b, rank_code="01.003", step=5, effective=datetime.date(2023, 11, 1)
        ),
    }
