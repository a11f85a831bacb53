"""The decisions screen: decided tabs list the newest decision first, a page at a time, with
the decision number and people by their full names."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from payroll.models import SalaryRecord
from payroll.views import salary as salary_views
from personnel.models import Rank
from tests.factories import StaffFactory

D = datetime.date
LONG_AGO = D(1984, 1, 1)


def decided(staff, *, number: str, at: datetime.datetime, approver, effective=LONG_AGO):
    return SalaryRecord.objects.create(
        staff=staff, status=SalaryRecord.Status.APPROVED, kind=SalaryRecord.Kind.REGULAR_RAISE,
        rank=Rank.objects.get(code="01.003"), step=2, coefficient=Decimal("2.67"),
        effective_date=effective, step_since=effective, decision_number=number,
        decided_by=approver, decided_at=at,
    )  # fmt: skip


def test_the_approved_tab_shows_the_newest_decision_first_with_its_number_and_names(
    world, client_for
):
    world.head.first_name, world.head.last_name = "Văn Duyệt", "Hồ"
    world.head.save()
    now = timezone.now()
    decided(world.staff_in_a, number="01/QĐ-CŨ", at=now - datetime.timedelta(days=9000),
            approver=world.head)  # fmt: skip
    decided(world.staff_in_a1, number="99/QĐ-MỚI", at=now, approver=world.head,
            effective=D(2026, 4, 27))  # fmt: skip
    response = client_for(world.head).get(reverse("payroll:decisions"), {"status": "approved"})
    records = response.context["records"]
    assert [r.decision_number for r in records] == ["99/QĐ-MỚI", "01/QĐ-CŨ"]
    page = response.content.decode()
    assert page.index("99/QĐ-MỚI") < page.index("01/QĐ-CŨ")
    assert "Hồ Văn Duyệt" in page and "head_a" not in page


def test_the_approved_tab_is_paged(world, client_for, monkeypatch):
    monkeypatch.setattr(salary_views, "DECISIONS_PAGE_SIZE", 2)
    now = timezone.now()
    for day in range(5):
        person = StaffFactory(unit=world.unit_a1)
        decided(person, number=f"{day}/QĐ", at=now - datetime.timedelta(days=day),
                approver=world.head)  # fmt: skip
    client = client_for(world.head)
    numbers = []
    for page_number in (1, 2, 3):
        response = client.get(
            reverse("payroll:decisions"), {"status": "approved", "page": page_number}
        )
        numbers.append([r.decision_number for r in response.context["records"]])
        assert response.context["page"].has_next == (page_number < 3)
    assert numbers == [["0/QĐ", "1/QĐ"], ["2/QĐ", "3/QĐ"], ["4/QĐ"]]
    assert 'rel="next"' not in response.content.decode()
