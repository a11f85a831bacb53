"""Staff propose to register, correct or end a dependant of the family deduction, with a scan;
a clerk of the unit approves through the dependant services, audited with requester and
approver; personnel's request machinery knows the section only through payroll's registration
(docs/rules.md §6.2, §10.8)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pghistory.models import Events

from payroll.models import Dependant
from personnel import services
from personnel.models import ChangeRequest, Notification
from tests.factories import StaffFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.HRMS_PRIVATE_ROOT = tmp_path / "private"


def new_dependant(client, staff, **changed):
    values = {
        "full_name": "Lê Minh Khoa",
        "relation": "child",
        "birth_date": "12/03/2025",
        "tax_code": "",
        "from_month": "04/2025",
        "to_month": "",
        "note": "Con thứ hai",
        "scans": [SimpleUploadedFile("giay-khai-sinh.pdf", PDF, content_type="application/pdf")],
        **changed,
    }
    return client.post(
        reverse("personnel:change_request_new", args=[staff.pk, "dependants"]), values
    )


def dependant_events(dependant):
    return Events.objects.filter(
        pgh_model="payroll.DependantEvent", pgh_obj_id=str(dependant.pk)
    ).order_by("pgh_id")


def test_a_teacher_proposes_a_dependant_with_a_birth_certificate_and_the_clerk_registers_it(
    world, client_for
):
    teacher = client_for(world.staff_user)
    pay_page = teacher.get(reverse("payroll:staff_pay", args=[world.own_record.pk]))
    assert b"propose-dependants" in pay_page.content
    response = new_dependant(teacher, world.own_record)
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert (change.section, change.row_action) == ("dependants", ChangeRequest.RowAction.ADD)
    assert change.documents.get().content_type == "application/pdf"
    assert not Dependant.objects.exists()
    assert Notification.objects.filter(user=world.clerk).exists()

    clerk = client_for(world.clerk)
    url = reverse("personnel:change_request", args=[change.pk])
    assert "Lê Minh Khoa" in clerk.get(url).content.decode()
    response = clerk.post(
        url,
        {"action": "approve", **{name: change.proposed[name] for name in change.proposed}},
    )
    assert response.status_code == 302
    dependant = Dependant.objects.get(staff=world.own_record)
    assert (dependant.full_name, dependant.from_month) == (
        "Lê Minh Khoa",
        datetime.date(2025, 4, 1),
    )
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (ChangeRequest.Status.APPROVED, world.clerk)
    event = dependant_events(dependant).get()
    assert event.pgh_context["user"] == world.clerk.pk
    assert f"số {change.pk} của Lê Thị Cúc" in event.pgh_context["reason"]


def test_a_dependant_is_corrected_then_ended_through_requests(world, client_for):
    dependant = Dependant.objects.create(
        staff=world.own_record, full_name="Lê Minh An", relation="child",
        birth_date=datetime.date(2015, 5, 2), from_month=datetime.date(2015, 6, 1),
    )  # fmt: skip
    base = ["personnel:change_request_row"]
    teacher = client_for(world.staff_user)  # one test client: each step logs in again
    teacher.post(
        reverse(*base, args=[world.own_record.pk, "dependants", dependant.pk, "change"]),
        {"full_name": "Lê Minh Ân", "relation": "child", "birth_date": "02/05/2015",
         "from_month": "06/2015", "to_month": "", "tax_code": ""},
    )  # fmt: skip
    change = ChangeRequest.objects.get()
    assert change.row_before["full_name"] == "Lê Minh An"
    clerk = client_for(world.clerk)
    page = clerk.get(reverse("personnel:change_request", args=[change.pk]))
    assert ("Lê Minh An", "", "Lê Minh Ân") in [tuple(row[1:]) for row in page.context["rows"]]
    clerk.post(
        reverse("personnel:change_request", args=[change.pk]),
        {"action": "approve", **change.proposed},
    )
    dependant.refresh_from_db()
    assert dependant.full_name == "Lê Minh Ân"

    teacher = client_for(world.staff_user)
    teacher.post(
        reverse(*base, args=[world.own_record.pk, "dependants", dependant.pk, "end"]),
        {"to_month": "12/2026", "note": "Con đã đi làm"},
    )
    ending = ChangeRequest.objects.get(row_action=ChangeRequest.RowAction.END)
    clerk = client_for(world.clerk)
    clerk.post(
        reverse("personnel:change_request", args=[ending.pk]),
        {"action": "approve", **ending.proposed},
    )
    dependant.refresh_from_db()
    assert dependant.to_month == datetime.date(2026, 12, 1)
    reasons = [event.pgh_context["reason"] for event in dependant_events(dependant)[1:]]
    assert [f"số {change.pk}" in reasons[0], f"số {ending.pk}" in reasons[1]] == [True, True]


def test_an_approval_refused_by_the_dependant_service_changes_nothing(world, client_for):
    """One taxpayer per dependant: registered for a colleague after the request was sent, the
    clerk's approval fails whole and the request stays open."""
    teacher = client_for(world.staff_user)
    refused = new_dependant(teacher, world.own_record, tax_code="8012345678")
    assert refused.status_code == 200  # checked as the clerk's entry will be, when sent
    assert "Mã số thuế hoặc số định danh cá nhân:" in refused.content.decode()
    assert not ChangeRequest.objects.exists()
    new_dependant(teacher, world.own_record, tax_code="037220000123")
    Dependant.objects.create(
        staff=world.staff_in_a1, full_name="Lê Minh Khoa", relation="child",
        tax_code="037220000123", from_month=datetime.date(2025, 4, 1),
    )  # fmt: skip
    change = ChangeRequest.objects.get()
    response = client_for(world.clerk).post(
        reverse("personnel:change_request", args=[change.pk]),
        {"action": "approve", **change.proposed},
    )
    assert response.status_code == 200
    assert "đã được đăng ký cho một cán bộ khác" in response.content.decode()
    change.refresh_from_db()
    assert change.is_pending
    assert not Dependant.objects.filter(staff=world.own_record).exists()


def test_nobody_approves_a_dependant_request_about_themselves_and_scope_holds(world, client_for):
    clerk_record = StaffFactory(unit=world.unit_a, user=world.clerk, full_name="Đỗ Văn Thư")
    new_dependant(client_for(world.clerk), clerk_record)
    change = ChangeRequest.objects.get()
    with pytest.raises(ValidationError, match="chính mình"):
        services.change_request_approve(
            change_request_id=change.pk, expected_version=clerk_record.version, applied={},
            values={"full_name": "Lê Minh Khoa", "relation": "child",
                    "from_month": datetime.date(2025, 4, 1)},
            actor=world.clerk,
        )  # fmt: skip
    new_dependant(client_for(world.staff_user), world.own_record)
    theirs = ChangeRequest.objects.get(staff=world.own_record)
    outsider = client_for(world.outsider)  # a clerk of another unit
    url = reverse("personnel:change_request", args=[theirs.pk])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"action": "approve", **theirs.proposed}).status_code == 404
    assert not Dependant.objects.exists()
