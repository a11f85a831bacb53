"""Dossier writes: guarded updates, table rows, new records, movements and their history."""

import datetime

import pghistory
import pytest
from django.core.exceptions import ValidationError
from pghistory.models import Events

from hrms.lib.partial_dates import PartialDate
from personnel import permissions, services
from personnel.models import Movement, Staff, Training, WorkHistory
from tests.factories import StaffFactory

MOVE_DAY = datetime.date(2026, 9, 1)


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # no cached scope


def test_update_changes_the_fields_bumps_the_version_and_records_who_and_why(world):
    staff = world.staff_in_a1
    services.staff_update(
        staff_id=staff.pk,
        expected_version=staff.version,
        actor=world.clerk,
        reason="Nơi ở",
        changes={"current_residence": "Số 5 phố Huế", "phone": "0912000111"},
    )
    staff.refresh_from_db()
    assert (staff.current_residence, staff.phone, staff.version) == (
        "Số 5 phố Huế",
        "0912000111",
        2,
    )
    event = Events.objects.tracks(staff).filter(pgh_label="update").get()
    assert event.pgh_diff["current_residence"] == ["", "Số 5 phố Huế"]
    assert event.pgh_context["user"] == world.clerk.pk and event.pgh_context["reason"] == "Nơi ở"


def test_a_stale_version_is_refused_and_nothing_is_written(world):
    staff = world.staff_in_a1
    loaded_version = staff.version
    services.staff_update(
        staff_id=staff.pk,
        expected_version=loaded_version,
        actor=world.clerk,
        changes={"phone": "0900000001"},
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.staff_update(
            staff_id=staff.pk,
            expected_version=loaded_version,
            actor=world.admin,
            changes={"phone": "0900000002"},
        )
    assert "Người khác đã lưu hồ sơ này" in str(conflict.value)
    staff.refresh_from_db()
    assert staff.phone == "0900000001"


def test_row_saves_and_deletes_are_one_change_with_history(world):
    staff = world.staff_in_a1
    kept = Training.objects.create(staff=staff, school="Trường A", start=PartialDate(2000, 9))
    dropped = Training.objects.create(staff=staff, school="Trường B", start=PartialDate(2005, 9))
    kept.school = "Trường Đại học Sư phạm Hà Nội"
    added = Training(school="Học viện Hành chính", start=PartialDate(2010, 3))
    services.staff_rows_save(
        staff_id=staff.pk,
        expected_version=staff.version,
        saved=[kept, added],
        deleted=[dropped],
        actor=world.clerk,
        reason="Đào tạo",
    )
    assert sorted(Training.objects.filter(staff=staff).values_list("school", flat=True)) == [
        "Học viện Hành chính",
        "Trường Đại học Sư phạm Hà Nội",
    ]
    labels = sorted(Events.objects.references(staff).values_list("pgh_model", "pgh_label"))
    assert ("personnel.TrainingEvent", "delete") in labels
    assert ("personnel.TrainingEvent", "update") in labels


def test_history_catches_bulk_updates_that_bypass_the_services(world):
    with pghistory.context(user=world.admin.pk, reason="Cập nhật hàng loạt"):
        Staff.objects.filter(unit=world.unit_a1).update(current_residence="Hòa An")
    events = Events.objects.references(world.staff_in_a1).filter(pgh_label="update")
    assert events.count() == 1
    assert events.get().pgh_context["reason"] == "Cập nhật hàng loạt"


def test_create_opens_the_work_history_in_the_unit(world):
    staff = services.staff_create(
        unit=world.unit_a1,
        actor=world.clerk,
        values={
            "staff_number": "N0001",
            "full_name": "Vũ Thị Hoa",
            "sex": "female",
            "birth_date": PartialDate(1990, 4, 2),
            "category": "public_employee",
            "personal_id": "037190001234",
            "recruitment_date": datetime.date(2015, 9, 1),
            "position_title": "Giáo viên",
        },
    )
    row = WorkHistory.objects.get(staff=staff)
    assert (str(row.start), row.end, row.unit_name, row.unit) == (
        "09/2015",
        None,
        "Trường A1",
        world.unit_a1,
    )


def test_a_second_record_of_the_same_person_is_refused_even_past_the_forms(world):
    with pytest.raises(services.DuplicatePerson) as error:
        services.staff_create(
            unit=world.unit_a1,
            actor=world.clerk,
            values={
                "staff_number": "N0002",
                "full_name": "Người Trùng",
                "sex": "male",
                "birth_date": PartialDate(1990),
                "category": "civil_servant",
                "personal_id": world.staff_in_b.personal_id,
            },
        )
    assert "đơn vị khác" in error.value.messages[0]
    assert world.staff_in_b.full_name not in error.value.messages[0]
    assert not Staff.objects.filter(staff_number="N0002").exists()


def test_transfer_moves_access_with_the_record_and_continues_the_work_history(world):
    staff = world.staff_in_a1
    WorkHistory.objects.create(
        staff=staff, start=PartialDate(2010, 9), unit_name="Trường A1", unit=world.unit_a1
    )
    movement = services.staff_transfer(
        staff_id=staff.pk,
        expected_version=staff.version,
        to_unit=world.unit_b1,
        effective_date=MOVE_DAY,
        decision="QĐ 15/QĐ-SNV",
        position="Tổ trưởng",
        actor=world.clerk,
    )
    staff.refresh_from_db()
    assert staff.unit == world.unit_b1 and staff.position_title == "Tổ trưởng"
    rows = list(WorkHistory.objects.filter(staff=staff).order_by("start"))
    assert [(str(r.start), str(r.end) if r.end else None, r.unit_name) for r in rows] == [
        ("09/2010", "08/2026", "Trường A1"),
        ("09/2026", None, "Trường B1"),
    ]
    assert (movement.kind, movement.from_unit, movement.to_unit) == (
        "transfer",
        world.unit_a1,
        world.unit_b1,
    )
    assert staff not in permissions.visible_staff(fresh(world.clerk))
    assert staff in permissions.visible_staff(fresh(world.outsider), permissions.CHANGE_STAFF)


def test_a_transfer_keeps_the_appointment_date(world):
    staff = world.staff_in_a1
    Staff.objects.filter(pk=staff.pk).update(
        position_title="Giáo viên", position_since=datetime.date(2015, 9, 1)
    )
    services.staff_transfer(
        staff_id=staff.pk,
        expected_version=None,
        to_unit=world.unit_b1,
        effective_date=MOVE_DAY,
        position="Tổ trưởng",
        actor=world.clerk,
    )
    staff.refresh_from_db()
    assert staff.position_title == "Tổ trưởng"
    assert staff.position_since == datetime.date(2015, 9, 1)


def test_only_working_staff_are_transferred_and_not_to_an_ended_unit(world):
    staff = world.staff_in_a1
    ended = StaffFactory(unit=world.unit_a1, status=Staff.Status.RETIRED)
    with pytest.raises(ValidationError, match="đang công tác"):
        services.staff_transfer(
            staff_id=ended.pk,
            expected_version=None,
            to_unit=world.unit_b1,
            effective_date=MOVE_DAY,
            actor=world.clerk,
        )
    world.unit_b1.valid_to = datetime.date(2025, 6, 30)
    world.unit_b1.save()
    with pytest.raises(ValidationError) as error:
        services.staff_transfer(
            staff_id=staff.pk,
            expected_version=None,
            to_unit=world.unit_b1,
            effective_date=MOVE_DAY,
            actor=world.clerk,
        )
    assert "to_unit" in error.value.message_dict


def test_leave_return_and_retirement_change_status_and_keep_everything(world):
    staff = world.staff_in_a1
    WorkHistory.objects.create(staff=staff, start=PartialDate(2010, 9), unit_name="Trường A1")
    services.staff_status_change(
        staff_id=staff.pk,
        expected_version=None,
        kind="unpaid_leave",
        effective_date=datetime.date(2026, 1, 1),
        actor=world.clerk,
    )
    with pytest.raises(ValidationError, match="Nghỉ không lương"):
        services.staff_status_change(
            staff_id=staff.pk,
            expected_version=None,
            kind="unpaid_leave",
            effective_date=datetime.date(2026, 2, 1),
            actor=world.clerk,
        )
    services.staff_status_change(
        staff_id=staff.pk,
        expected_version=None,
        kind="return",
        effective_date=datetime.date(2026, 3, 1),
        actor=world.clerk,
    )
    services.staff_status_change(
        staff_id=staff.pk,
        expected_version=None,
        kind="retirement",
        effective_date=datetime.date(2026, 10, 1),
        decision="QĐ 9/QĐ-SGD",
        actor=world.clerk,
    )
    staff.refresh_from_db()
    assert (staff.status, staff.status_since) == ("retired", datetime.date(2026, 10, 1))
    assert str(WorkHistory.objects.get(staff=staff).end) == "09/2026"
    kinds = list(
        Movement.objects.filter(staff=staff)
        .order_by("effective_date")
        .values_list("kind", flat=True)
    )
    assert kinds == ["unpaid_leave", "return", "retirement"]
    assert Staff.objects.filter(pk=staff.pk).exists()


def test_access_log_is_append_only(world):
    from django.db import transaction

    from personnel.models import AccessLogEntry

    entry = services.access_log_record(user=world.clerk, action="view", staff=world.staff_in_a1)
    with pytest.raises(Exception, match="accesslog_append_only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(action="export_list")
    with pytest.raises(Exception, match="accesslog_append_only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).action == "view"
