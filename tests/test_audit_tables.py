"""The audit tables — every pghistory event table and the access log — and the staff records
refuse UPDATE, DELETE and TRUNCATE at the database, raw SQL included."""

import pytest
from django.apps import apps
from django.db import connection, transaction
from pghistory.models import Event

from personnel import services
from personnel.models import AccessLogEntry, Staff

# Found independently of hrms.audit, so a model it missed would show up here.
EVENT_MODELS = sorted(
    (
        model
        for model in apps.get_models()
        if issubclass(model, Event) and model._meta.managed and not model._meta.proxy
    ),
    key=lambda model: model._meta.label,
)
REFUSED = r"pgtrigger: Cannot"


def refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # the test's own inserts leave deferred foreign-key checks pending, and PostgreSQL
            # refuses TRUNCATE with pending checks before any trigger runs: run them now
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql, params)
    except Exception as error:  # the trigger's exception, re-raised by psycopg
        assert REFUSED in str(error), error
        return True
    return False


def test_every_history_table_in_the_database_is_an_event_model_checked_here(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE column_name = 'pgh_id' AND table_schema = current_schema()"
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert tables == {model._meta.db_table for model in EVENT_MODELS}
    assert {"personnel_staffevent", "payroll_salaryrecordevent"} <= tables


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda model: model._meta.label)
def test_a_history_table_refuses_update_delete_and_truncate(world, model):
    services.staff_update(
        staff_id=world.staff_in_a1.pk,
        expected_version=None,
        changes={"position_title": "Giáo viên"},
        actor=world.clerk,
        reason="test",
    )
    table = connection.ops.quote_name(model._meta.db_table)
    before = model.objects.count()
    assert refused(f"UPDATE {table} SET pgh_label = 'sửa'")
    assert refused(f"DELETE FROM {table}")
    assert refused(f"DELETE FROM {table} WHERE pgh_id = -1")  # whatever the rows
    assert refused(f"TRUNCATE {table}")
    assert model.objects.count() == before


def test_history_rows_cannot_be_changed_through_the_orm(world):
    events = apps.get_model("personnel", "StaffEvent").objects
    assert events.exists()
    with pytest.raises(Exception, match=REFUSED), transaction.atomic():
        events.update(pgh_label="sửa")
    with pytest.raises(Exception, match=REFUSED), transaction.atomic():
        events.all().delete()


def test_the_access_log_refuses_update_delete_and_truncate(world):
    services.access_log_record(user=world.clerk, action="view", staff=world.staff_in_a1)
    assert refused("UPDATE personnel_accesslogentry SET action = 'export_list'")
    assert refused("DELETE FROM personnel_accesslogentry")
    assert refused("TRUNCATE personnel_accesslogentry")
    assert AccessLogEntry.objects.get().action == "view"


def test_staff_records_are_never_deleted(world):
    staff = world.staff_in_a1
    assert refused("DELETE FROM personnel_staff WHERE id = %s", [staff.pk])
    assert refused("TRUNCATE personnel_staff CASCADE")
    with pytest.raises(Exception, match=REFUSED), transaction.atomic():
        Staff.objects.filter(pk=staff.pk).delete()
    assert Staff.objects.filter(pk=staff.pk).exists()
