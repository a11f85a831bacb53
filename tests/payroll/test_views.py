"""Salary screens as the clerk (prepares), the head (approves) and the staff member (reads)."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from payroll.models import SalaryRecord
from personnel.models import AccessLogEntry, Rank

D = datetime.date
RANGE = {"list": "regular", "start": "01/07/2026", "end": "31/12/2026"}


def text(response):
    return response.content.decode()


def test_the_clerk_sees_the_due_list_with_reasons(world, salaries, client_for):
    response = client_for(world.clerk).get(reverse("payroll:due_list"), RANGE)
    page = text(response)
    assert "Nguyễn Văn An" in page and "01/10/2026" in page and "thời hạn 36 tháng" in page
    assert "Phạm Văn Dũng" not in page
    assert "Lập dự thảo quyết định" in page


def test_bad_dates_are_refused_with_a_message(world, salaries, client_for):
    response = client_for(world.clerk).get(
        reverse("payroll:due_list"), {**RANGE, "start": "31/12/2026", "end": "01/01/2026"}
    )
    assert response.context["rows"] is None
    assert "Thời điểm kết thúc trước thời điểm bắt đầu" in " ".join(
        response.context["form"].errors["end"]
    )


def test_from_due_list_to_approved_decision_to_salary_history(world, salaries, client_for):
    clerk = client_for(world.clerk)
    url = reverse("payroll:due_list_prepare") + "?list=regular&start=01/07/2026&end=31/12/2026"
    response = clerk.post(url, {"staff": [world.staff_in_a.pk, world.staff_in_b.pk]}, follow=True)
    assert "Đã lập 1 dự thảo" in text(response)  # staff B is not the clerk's
    draft = SalaryRecord.objects.get(status="draft")
    assert draft.staff == world.staff_in_a and draft.created_by == world.clerk
    assert (
        clerk.post(reverse("payroll:decisions_approve"), {"records": [draft.pk]}).status_code == 404
    )

    head = client_for(world.head)
    drafts_page = text(head.get(reverse("payroll:decisions"), {"status": "draft"}))
    assert "Nguyễn Văn An" in drafts_page and "Duyệt các dự thảo đã chọn" in drafts_page
    response = head.post(
        reverse("payroll:decisions_approve"),
        {"records": [draft.pk], "decision_number": "88/QĐ-SGDĐT"},
        follow=True,
    )
    assert "Đã duyệt 1 quyết định" in text(response)
    history = text(head.get(reverse("payroll:staff_salary", args=[world.staff_in_a.pk])))
    assert "10/2026" in history and "01.003 / 4" in history and "88/QĐ-SGDĐT" in history


def test_the_head_cannot_prepare_and_the_clerk_cannot_approve(world, salaries, client_for):
    head = client_for(world.head)
    url = reverse("payroll:due_list_prepare") + "?list=regular&start=01/07/2026&end=31/12/2026"
    assert head.post(url, {"staff": [world.staff_in_a.pk]}).status_code == 404
    assert not SalaryRecord.objects.filter(status="draft").exists()


def test_the_due_list_exports_to_excel_and_is_logged(world, salaries, client_for):
    response = client_for(world.head).get(reverse("payroll:due_list_export"), RANGE)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    rows = rows[[row[0] for row in rows].index("STT") :]  # under the title block
    assert rows[0][2] == "Họ và tên" and rows[0][-1] == "Căn cứ"
    assert [row[2] for row in rows[1:]] == ["Nguyễn Văn An", "Lê Thị Cúc"]
    assert AccessLogEntry.objects.get(action="export_list").detail == {
        "due_list": "regular",
        "rows": 2,
    }


def test_the_salary_page_shows_current_pay_next_raise_and_retirement(world, salaries, client_for):
    page = text(
        client_for(world.staff_user).get(
            reverse("payroll:staff_salary", args=[world.own_record.pk])
        )
    )
    # B group step 4 = 2.46 × 2,530,000
    assert "6.223.800 đ" in page and "01/11/2026" in page
    assert "Nhập quyết định lương" not in page  # staff read their own, never edit


def test_entering_a_decision_by_hand_makes_a_draft_with_clear_errors(world, salaries, client_for):
    clerk = client_for(world.clerk)
    url = reverse("payroll:staff_salary_new", args=[world.staff_in_a.pk])
    data = {
        "kind": "regular",
        "rank": Rank.objects.get(code="01.003").pk,
        "step": "12",
        "effective_date": "01/10/2026",
        "beyond_scale_percent": "0",
        "leadership_coefficient": "0",
        "reserved_coefficient": "0",
    }
    refused = clerk.post(url, data)
    assert refused.status_code == 200
    assert "Ngạch 01.003 có các bậc từ 1 đến 9" in " ".join(refused.context["form"].errors["step"])
    assert clerk.post(url, {**data, "step": "4"}).status_code == 302
    draft = SalaryRecord.objects.get(status="draft")
    assert draft.coefficient == Decimal("3.33")


def test_the_dossiers_item_31_comes_from_approved_decisions_only(world, salaries, client_for):
    SalaryRecord.objects.create(
        staff=world.staff_in_a, status="draft", kind="regular", rank=salaries["a"].rank, step=4,
        coefficient=Decimal("3.33"), effective_date=D(2026, 10, 1), step_since=D(2026, 10, 1),
    )  # fmt: skip
    page = text(
        client_for(world.clerk).get(reverse("personnel:staff_detail", args=[world.staff_in_a.pk]))
    )
    section = page[page.index('id="salary"') : page.index('id="movements"')]
    assert "10/2023" in section and "01.003 / 3" in section
    assert "01.003 / 4" not in section  # the draft is not history


def test_an_outsider_sees_neither_the_due_rows_nor_the_salary_of_another_unit(
    world, salaries, client_for
):
    client = client_for(world.outsider)
    page = text(client.get(reverse("payroll:due_list"), RANGE))
    assert "Nguyễn Văn An" not in page and "Phạm Văn Dũng" in page
    assert (
        client.get(reverse("payroll:staff_salary", args=[world.staff_in_a.pk])).status_code == 404
    )
    assert (
        client.get(reverse("payroll:staff_salary_new", args=[world.staff_in_a.pk])).status_code
        == 404
    )


def test_the_salary_page_opens_on_29_february(world, salaries, client_for, monkeypatch):
    monkeypatch.setattr(
        "payroll.views.salary.timezone.localdate", lambda: D(2060, 2, 29)
    )  # 2100 is no leap year
    response = client_for(world.clerk).get(
        reverse("payroll:staff_salary", args=[world.staff_in_a.pk])
    )
    assert response.status_code == 200
    assert response.context["summary"].next_raise.due_date == D(2026, 10, 1)
