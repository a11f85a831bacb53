"""Upgrades: a database created by the previous release, with data in it, migrates to the new
head without losing anything.

A landed migration is never rewritten; every change is a new migration. This test builds a
separate database at the previous release's migration heads (what the last landed commit
shipped), seeds it through the historical models, migrates it to the current heads, and checks
the data survived the new migrations (the classification of posts moving from payroll to
personnel, grants, salary decisions, audit rows).
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

# The migration heads of the previous release (the last landed commit). Move this forward when
# a release lands: the test then proves the upgrade from that release.
DB = "upgrade"
PREVIOUS_RELEASE = [
    ("hrms", "0002_sql_functions"),
    ("personnel", "0001_initial"),
    ("payroll", "0002_salary_records"),
]


@pytest.fixture
def scratch_database(django_db_blocker):
    """An empty database of its own on the test server, dropped afterwards."""
    name = f"hrms_upgrade_{uuid.uuid4().hex[:8]}"
    alias = DB
    with django_db_blocker.unblock():
        default = connections["default"]
        with default._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connections.settings[alias] = {**default.settings_dict, "NAME": name}
        try:
            yield connections[alias]
        finally:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]
            with default._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{name}"')


def _migrate(connection, targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _seed_previous_release(apps) -> dict:
    """A unit, a person with a rank, an approved salary decision and a grant, written through
    the models as the previous release had them."""
    unit_model = apps.get_model("personnel", "OrgUnit")
    unit = unit_model.objects.using(DB).create(
        path="001", depth=1, numchild=0, code="PROV", name="Tỉnh Cũ", level="province",
        kind="committee", valid_from=datetime.date(2000, 1, 1),
    )  # fmt: skip
    group = apps.get_model("payroll", "SalaryGroup").objects.using(DB).create(
        code="A1", table="table2", name="Công chức loại A1", raise_interval_months=36,
        beyond_scale_wait_months=36, valid_from=datetime.date(2004, 10, 1),
    )  # fmt: skip
    step_model = apps.get_model("payroll", "SalaryStep")
    for step, coefficient in enumerate(("2.34", "2.67", "3.00"), start=1):
        step_model.objects.using(DB).create(
            group=group, step=step, coefficient=Decimal(coefficient)
        )
    rank = (
        apps.get_model("payroll", "Rank")
        .objects.using(DB)
        .create(
            code="01.003", name="Chuyên viên", group=group, valid_from=datetime.date(2004, 10, 1)
        )
    )
    user = apps.get_model("auth", "User").objects.using(DB).create(username="clerk_old")
    staff = apps.get_model("personnel", "Staff").objects.using(DB).create(
        staff_number="OLD001", unit=unit, category="civil_servant", status="active",
        full_name="Nguyễn Văn Cũ", birth_date="1980-03-01", sex="male", rank=rank,
        personal_id="001080000001", user=None,
    )  # fmt: skip
    record = apps.get_model("payroll", "SalaryRecord").objects.using(DB).create(
        staff=staff, status="approved", kind="regular", effective_date=datetime.date(2024, 1, 1),
        rank=rank, step=3, coefficient=Decimal("3.00"), step_since=datetime.date(2024, 1, 1),
    )  # fmt: skip
    permission = (
        apps.get_model("auth", "Permission")
        .objects.using(DB)
        .get(codename="view_unit_staff", content_type__app_label="personnel")
    )
    apps.get_model("personnel", "OrgUnitUserPermission").objects.using(DB).create(
        user=user, permission=permission, content_object=unit
    )
    office = unit_model.objects.using(DB).create(
        path="001001", depth=2, numchild=0, code="PROV-VP", name="Văn phòng", level="province",
        kind="office", valid_from=datetime.date(2000, 1, 1),
    )  # fmt: skip
    # Beyond-scale 5% granted on 01/01/2025, then an allowance change on 01/07/2025.
    records = apps.get_model("payroll", "SalaryRecord").objects.using(DB)
    beyond = [
        records.create(
            staff=staff, status="approved", kind=kind, effective_date=day, rank=rank, step=3,
            coefficient=Decimal("3.00"), step_since=datetime.date(2024, 1, 1),
            beyond_scale_percent=Decimal(5),
        )
        for kind, day in (("beyond", datetime.date(2025, 1, 1)),
                          ("adjustment", datetime.date(2025, 7, 1)))
    ]  # fmt: skip
    return {"unit": unit.pk, "staff": staff.pk, "rank": rank.pk, "record": record.pk,
            "office": office.pk, "beyond": [r.pk for r in beyond]}  # fmt: skip


@pytest.mark.django_db
def test_a_database_of_the_previous_release_upgrades_with_its_data(scratch_database):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    old_apps = _migrate(scratch_database, PREVIOUS_RELEASE)
    for config in old_apps.get_app_configs():  # what post_migrate made at that release
        config.models_module = True
        create_contenttypes(config, using="upgrade", apps=old_apps, verbosity=0)
        create_permissions(config, using="upgrade", apps=old_apps, verbosity=0)
    seeded = _seed_previous_release(old_apps)
    rank_type = (
        old_apps.get_model("contenttypes", "ContentType")
        .objects.using(DB)
        .get(app_label="payroll", model="rank")
    )

    executor = MigrationExecutor(scratch_database)
    heads = executor.loader.graph.leaf_nodes()
    new_apps = _migrate(scratch_database, heads)

    assert not executor.loader.detect_conflicts()
    rank = new_apps.get_model("personnel", "Rank").objects.using(DB).get(pk=seeded["rank"])
    assert (rank.code, rank.group.code) == ("01.003", "A1")
    assert [step.coefficient for step in rank.group.steps.order_by("step")] == [
        Decimal("2.34"), Decimal("2.67"), Decimal("3.00"),
    ]  # fmt: skip
    staff = new_apps.get_model("personnel", "Staff").objects.using(DB).get(pk=seeded["staff"])
    assert staff.rank_id == seeded["rank"] and staff.full_name == "Nguyễn Văn Cũ"
    record = (
        new_apps.get_model("payroll", "SalaryRecord").objects.using(DB).get(pk=seeded["record"])
    )
    assert (record.rank_id, record.rejection_reason) == (seeded["rank"], "")
    # The moved models keep their content type, hence their permissions and who holds them.
    moved = new_apps.get_model("contenttypes", "ContentType").objects.using(DB).get(pk=rank_type.pk)
    assert (moved.app_label, moved.model) == ("personnel", "rank")
    grant = new_apps.get_model("personnel", "OrgUnitUserPermission").objects.using(DB).get()
    assert grant.content_object_id == seeded["unit"]
    # Issue 10: offices share their parent's payroll, the date each beyond-scale percentage
    # was granted is filled in, and the scale rows are dated.
    units = new_apps.get_model("personnel", "OrgUnit").objects.using(DB)
    assert units.get(pk=seeded["office"]).keeps_payroll is False
    assert units.get(pk=seeded["unit"]).keeps_payroll is True
    records = new_apps.get_model("payroll", "SalaryRecord").objects.using(DB)
    assert [records.get(pk=pk).beyond_scale_since for pk in seeded["beyond"]] == [
        datetime.date(2025, 1, 1), datetime.date(2025, 1, 1),
    ]  # fmt: skip
    assert records.get(pk=seeded["record"]).beyond_scale_since is None
    steps = new_apps.get_model("personnel", "SalaryStep").objects.using(DB)
    assert set(steps.values_list("valid_from", flat=True)) == {datetime.date(2004, 10, 1)}
    # New data can be written in the upgraded database.
    new_apps.get_model("personnel", "SalaryGroup").objects.using(DB).create(
        code="A2.1", table="table2", name="A2.1", raise_interval_months=36,
        beyond_scale_wait_months=36, valid_from=datetime.date(2004, 10, 1),
    )  # fmt: skip
