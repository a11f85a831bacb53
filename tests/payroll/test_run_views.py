"""The payroll month screens as the clerk (opens and computes), the head (approves, returns,
locks) and an outsider (sees nothing)."""

import datetime

from django.test import Client
from django.urls import reverse

from payroll.models import PayrollRun
from tests.conftest import approved_record


def text(response) -> str:
    return response.content.decode()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_clerk_opens_and_computes_head_returns_then_approves_and_locks(world):
    approved_record(
        world.staff_in_a1, rank_code="01.003", step=3, effective=datetime.date(2025, 1, 1)
    )
    clerk = signed_in(world.clerk)
    response = clerk.post(
        reverse("payroll:run_list"), {"unit": world.unit_a1.pk, "month": "07/2026"}, follow=True
    )
    run = PayrollRun.objects.get(unit=world.unit_a1, year=2026, month=7)
    assert "Tính lương tháng" in text(response)
    page = text(clerk.post(reverse("payroll:run_compute", args=[run.pk]), follow=True))
    # 7,590,000 salary + the public-service 25% (1,897,500) for a công chức
    assert "Trần Thị Bình" in page and "9.487.500 đ" in page
    # No approved salary decision: not paid, and the clerk is told why.
    assert "Lê Thị Cúc (T" in page and "chưa có quyết định lương được duyệt" in page
    assert run.payslips.count() == 1

    head = signed_in(world.head)
    missing = text(head.post(reverse("payroll:run_return", args=[run.pk]), {}, follow=True))
    assert "Lý do trả lại" in missing
    head.post(reverse("payroll:run_return", args=[run.pk]), {"reason": "Thiếu phụ cấp"})
    run.refresh_from_db()
    assert (run.status, run.returned_reason) == ("draft", "Thiếu phụ cấp")
    assert "Thiếu phụ cấp" in text(clerk.get(reverse("payroll:run_detail", args=[run.pk])))

    clerk.post(reverse("payroll:run_compute", args=[run.pk]))
    assert clerk.post(reverse("payroll:run_approve", args=[run.pk])).status_code == 403
    head.post(reverse("payroll:run_approve", args=[run.pk]))
    head.post(reverse("payroll:run_lock", args=[run.pk]))
    run.refresh_from_db()
    assert (run.status, run.approved_by, run.locked_by) == ("locked", world.head, world.head)
    page = text(head.get(reverse("payroll:run_detail", args=[run.pk])))
    assert "Đã khóa" in page and "Tính lại</button>" not in page and "Tính lại và đối chiếu" in page


def test_the_month_field_says_what_is_wrong(world, client_for):
    response = client_for(world.clerk).post(
        reverse("payroll:run_list"), {"unit": world.unit_a1.pk, "month": "13/2026"}
    )
    assert "MM/YYYY" in text(response) and not PayrollRun.objects.exists()


def test_an_outsider_sees_no_run_of_another_unit(world, client_for):
    run = PayrollRun.objects.create(unit=world.unit_a1, year=2026, month=7)
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("payroll:run_detail", args=[run.pk])).status_code == 404
    assert f"/payroll/runs/{run.pk}/" not in text(outsider.get(reverse("payroll:run_list")))
