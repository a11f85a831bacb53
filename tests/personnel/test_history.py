"""The history tab reads like the dossier: real old values on the first change of a record
loaded in bulk, Vietnamese labels, local times, people by name, no internal values."""

import datetime
import re
from decimal import Decimal

import pgtrigger
from django.urls import reverse
from django.utils import timezone

from hrms.lib.partial_dates import PartialDate
from payroll.models import SalaryRecord
from personnel.models import Rank, Staff, Training
from tests.factories import StaffFactory


def history_rows(client, staff) -> list[list[str]]:
    """The history table as text cells (each row: field, before, after)."""
    page = client.get(reverse("personnel:staff_history", args=[staff.pk])).content.decode()
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, flags=re.S):
        cells = [
            re.sub(r"<[^>]+>", " ", cell).split()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        ]
        if cells:
            rows.append([" ".join(c) for c in cells])
    return rows, page


def seeded(world) -> Staff:
    """A record loaded in bulk, like the province's seed: no history event at all."""
    with pgtrigger.ignore():
        staff = StaffFactory(
            unit=world.unit_a1, full_name="Đinh Văn Nạp", current_residence="Số 3 Lê Lợi"
        )
        Training.objects.create(staff=staff, school="Cao đẳng Sư phạm", start=PartialDate(1990))
    assert not staff.events.exists()
    return staff


def test_the_first_change_of_a_seeded_record_shows_the_real_old_value_and_nothing_else(
    world, client_for
):
    staff = seeded(world)
    clerk = client_for(world.clerk)
    clerk.post(
        reverse("personnel:staff_edit", args=[staff.pk, "residence"]),
        {"version": staff.version, "permanent_residence": "", "phone": "",
         "current_residence": "Số 9 Trần Phú"},
    )  # fmt: skip
    rows, page = history_rows(clerk, staff)
    changed = [row[-3:] for row in rows]
    assert ["Nơi ở hiện nay", "Số 3 Lê Lợi", "Số 9 Trần Phú"] in changed
    assert len(changed) == 1  # only the field that changed, not every field "— → value"


def test_the_first_change_of_a_seeded_row_shows_its_old_value(world, client_for):
    staff = seeded(world)
    row = Training.objects.get(staff=staff)
    clerk = client_for(world.clerk)
    staff.refresh_from_db()
    clerk.post(
        reverse("personnel:staff_edit", args=[staff.pk, "training"]),
        {"version": staff.version, "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "1",
         "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "1000", "rows-0-id": row.pk,
         "rows-0-staff": staff.pk, "rows-0-school": "Đại học Sư phạm Huế",
         "rows-0-start": "1990"},
    )  # fmt: skip
    rows, _page = history_rows(clerk, staff)
    assert ["Tên trường, cơ sở đào tạo", "Cao đẳng Sư phạm", "Đại học Sư phạm Huế"] in [
        row[-3:] for row in rows
    ]


def test_history_labels_are_vietnamese_times_local_people_named_and_internals_hidden(
    world, client_for
):
    staff = world.staff_in_a
    world.head.first_name, world.head.last_name = "Thị Hoa", "Lý"
    world.head.save()
    record = SalaryRecord.objects.create(
        staff=staff, status=SalaryRecord.Status.DRAFT, kind=SalaryRecord.Kind.REGULAR_RAISE,
        rank=Rank.objects.get(code="01.003"), step=4, coefficient=Decimal("3.33"),
        effective_date=datetime.date(2026, 10, 1), step_since=datetime.date(2026, 10, 1),
        reasons={}, created_by=world.clerk,
    )  # fmt: skip
    record.status = SalaryRecord.Status.APPROVED
    record.decided_by = world.head
    record.decided_at = datetime.datetime(2026, 11, 2, 20, 30, tzinfo=datetime.UTC)
    record.save()
    rows, page = history_rows(client_for(world.clerk), staff)
    cells = [row[-3:] for row in rows]
    assert ["Thời điểm duyệt", "—", "03/11/2026 03:30"] in cells  # UTC+7
    assert ["Người duyệt", "—", "Lý Thị Hoa"] in cells  # by name, not by login
    assert ["Hệ số", "—", "3,33"] in cells  # a decimal comma
    for english in ("Decided at", "Created at", "Recorded at", "Recorded by", "{}", "0.0"):
        assert english not in page
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"
