"""Self-service change requests: a staff member proposes, a clerk of the unit approves (after
editing, if need be) or rejects; scans are private and logged; everyone concerned is told."""

import pghistory.models
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from personnel import services
from personnel.models import (
    AccessLogEntry,
    ChangeRequest,
    Document,
    Notification,
    Staff,
    Training,
)
from personnel.permissions import Role
from personnel.services.requests import notification_settings_save
from tests.factories import StaffFactory, UserFactory, png_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.HRMS_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.HRMS_PRIVATE_ROOT


@pytest.fixture
def emails(world):
    for user, address in ((world.clerk, "clerk@example.vn"), (world.staff_user, "cuc@example.vn"),
                          (world.head, "head@example.vn")):  # fmt: skip
        user.email = address
        user.save(update_fields=["email"])


def propose_phone(client, world, phone="0912 345 678", files=()):
    staff = world.own_record
    return client.post(
        reverse("personnel:change_request_new", args=[staff.pk, "residence"]),
        {
            "permanent_residence": staff.permanent_residence,
            "current_residence": "Số 5 đường Lê Lợi, phường 1",
            "phone": phone,
            "version": staff.version,
            "note": "Tôi đã chuyển nhà",
            "scans": list(files),
        },
    )


def test_a_teacher_proposes_a_new_address_with_a_scan_and_the_clerk_is_told(
    world, client_for, emails, private_root, django_capture_on_commit_callbacks
):
    client = client_for(world.staff_user)
    scan = SimpleUploadedFile("xac-nhan.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = propose_phone(client, world, files=[scan])
    change = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("personnel:change_request", args=[change.pk])
    assert change.status == ChangeRequest.Status.PENDING
    assert change.proposed["phone"] == "0912 345 678"
    assert change.previous["phone"] == world.own_record.phone
    document = change.documents.get()
    assert document.content_type == "application/pdf"
    stored = private_root / document.file.name
    assert stored.read_bytes() == PDF
    assert "xac-nhan" not in document.file.name  # the upload's name is not kept on disk
    world.own_record.refresh_from_db()
    assert world.own_record.phone != "0912 345 678"  # nothing changes before approval
    told = Notification.objects.get(user=world.clerk)
    assert told.kind == Notification.Kind.REQUEST_WAITING
    assert told.link == reverse("personnel:change_request", args=[change.pk])
    assert not Notification.objects.filter(user=world.head).exists()  # heads do not edit
    assert [message.to for message in mail.outbox] == [["clerk@example.vn"]]


def test_the_clerk_approves_through_the_dossier_service_and_the_teacher_is_told(
    world, client_for, emails, django_capture_on_commit_callbacks
):
    propose_phone(client_for(world.staff_user), world)
    change = ChangeRequest.objects.get()
    client = client_for(world.clerk)
    page = client.get(reverse("personnel:change_request", args=[change.pk]))
    assert page.status_code == 200
    assert "0912 345 678" in page.content.decode()
    staff = Staff.objects.get(pk=world.own_record.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("personnel:change_request", args=[change.pk]),
            {
                "action": "approve",
                "permanent_residence": staff.permanent_residence,
                "current_residence": "Số 5 đường Lê Lợi, phường 1",
                "phone": "0912 345 679",  # the clerk corrects a digit before approving
                "version": staff.version,
            },
        )
    assert response.status_code == 302
    change.refresh_from_db()
    staff.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert change.decided_by == world.clerk
    assert change.applied["phone"] == "0912 345 679"
    assert staff.phone == "0912 345 679"
    assert staff.current_residence == "Số 5 đường Lê Lợi, phường 1"
    event = pghistory.models.Events.objects.tracks(staff).filter(pgh_label="update").get()
    assert event.pgh_diff["phone"][1] == "0912 345 679"
    assert event.pgh_context["user"] == world.clerk.pk
    assert f"số {change.pk} của Lê Thị Cúc" in event.pgh_context["reason"]
    told = Notification.objects.get(user=world.staff_user)
    assert told.kind == Notification.Kind.REQUEST_DECIDED
    assert "cuc@example.vn" in [message.to[0] for message in mail.outbox]


def test_a_rejection_needs_a_reason_changes_nothing_and_tells_the_requester(world, client_for):
    propose_phone(client_for(world.staff_user), world)
    change = ChangeRequest.objects.get()
    client = client_for(world.clerk)
    url = reverse("personnel:change_request", args=[change.pk])
    assert client.post(url, {"action": "reject", "reason": " "}).status_code == 200
    change.refresh_from_db()
    assert change.is_pending
    client.post(url, {"action": "reject", "reason": "Chưa có xác nhận cư trú"})
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.REJECTED
    assert change.rejection_reason == "Chưa có xác nhận cư trú"
    assert "Chưa có xác nhận cư trú" in Notification.objects.get(user=world.staff_user).text
    world.own_record.refresh_from_db()
    assert world.own_record.phone != "0912 345 678"


def test_nobody_approves_a_request_about_themselves(world, client_for):
    clerk_record = StaffFactory(unit=world.unit_a, user=world.clerk)
    client = client_for(world.clerk)
    client.post(
        reverse("personnel:change_request_new", args=[clerk_record.pk, "residence"]),
        {"phone": "0988 111 222", "version": clerk_record.version},
    )
    change = ChangeRequest.objects.get(staff=clerk_record)
    page = client.get(reverse("personnel:change_request", args=[change.pk]))
    assert page.status_code == 200  # the requester follows it…
    assert b"approve-form" not in page.content  # …but may not decide it
    response = client.post(
        reverse("personnel:change_request", args=[change.pk]),
        {"action": "approve", "phone": "0988 111 222", "version": clerk_record.version},
    )
    assert response.status_code == 404
    with pytest.raises(ValidationError, match="chính mình"):
        services.change_request_approve(
            change_request_id=change.pk,
            expected_version=clerk_record.version,
            applied={},
            changes={"phone": "0988 111 222"},
            actor=world.clerk,
        )
    change.refresh_from_db()
    assert change.is_pending


def test_a_training_row_proposed_is_added_on_approval(world, client_for):
    staff = world.own_record
    client_for(world.staff_user).post(
        reverse("personnel:change_request_new", args=[staff.pk, "training"]),
        {
            "rows-TOTAL_FORMS": "1",
            "rows-INITIAL_FORMS": "0",
            "rows-0-school": "Đại học Sư phạm Huế",
            "rows-0-field": "Quản lý giáo dục",
            "rows-0-start": "09/2020",
            "rows-0-end": "06/2022",
            "rows-0-degree": "Thạc sĩ",
        },
    )
    change = ChangeRequest.objects.get()
    assert change.proposed["school"] == "Đại học Sư phạm Huế"
    clerk = client_for(world.clerk)
    url = reverse("personnel:change_request", args=[change.pk])
    assert "Đại học Sư phạm Huế" in clerk.get(url).content.decode()
    staff.refresh_from_db()
    clerk.post(
        url,
        {
            "action": "approve",
            "version": staff.version,
            "rows-TOTAL_FORMS": "1",
            "rows-INITIAL_FORMS": "0",
            **{f"rows-0-{name}": value for name, value in change.proposed.items()},
        },
    )
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert Training.objects.get(staff=staff).school == "Đại học Sư phạm Huế"


def test_an_empty_row_or_a_sensitive_section_cannot_be_proposed(world, client_for):
    client = client_for(world.staff_user)
    staff = world.own_record
    response = client.post(
        reverse("personnel:change_request_new", args=[staff.pk, "training"]),
        {"rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert not ChangeRequest.objects.exists()
    for section in ("health", "identity", "disciplines", "nonexistent"):
        url = reverse("personnel:change_request_new", args=[staff.pk, section])
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("scan.pdf", b"<html>not a pdf</html>", "không phải bản scan PDF, JPEG hoặc PNG"),
        ("scan.png", b"", "không có nội dung"),
        ("big.pdf", PDF + b"0" * 1024, "lớn hơn"),
    ],
)
def test_scans_are_checked_by_their_content_and_size(
    world, client_for, settings, name, content, message
):
    settings.HRMS_DOCUMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = propose_phone(client_for(world.staff_user), world, files=[upload])
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ChangeRequest.objects.exists()
    assert not Document.objects.exists()


def test_a_png_scan_named_pdf_is_stored_as_png(world, client_for):
    upload = SimpleUploadedFile("scan.pdf", png_bytes(), content_type="application/pdf")
    propose_phone(client_for(world.staff_user), world, files=[upload])
    assert Document.objects.get().content_type == "image/png"


def test_scans_open_only_for_who_may_view_the_record_and_each_opening_is_logged(world, client_for):
    scan = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    propose_phone(client_for(world.staff_user), world, files=[scan])
    document = Document.objects.get()
    url = reverse("personnel:document_download", args=[world.own_record.pk, document.pk])
    for user, status in ((world.clerk, 200), (world.head, 200), (world.staff_user, 200),
                         (world.outsider, 404), (world.nobody, 404)):  # fmt: skip
        response = client_for(user).get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Disposition"].startswith("attachment")
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.DOCUMENT).count() == 3
    # another record's id with this document: 404
    other = reverse("personnel:document_download", args=[world.staff_in_a1.pk, document.pk])
    assert client_for(world.clerk).get(other).status_code == 404
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 — no URL serves a private file


def test_a_request_is_seen_by_its_requester_and_the_unit_clerks_only(world, client_for):
    propose_phone(client_for(world.staff_user), world)
    url = reverse("personnel:change_request", args=[ChangeRequest.objects.get().pk])
    expected = [(world.clerk, 200), (world.admin, 200), (world.staff_user, 200),
                (world.head, 404), (world.outsider, 404), (world.nobody, 404)]  # fmt: skip
    for user, status in expected:
        assert client_for(user).get(url).status_code == status, user


def test_the_clerk_attaches_a_scanned_diploma_to_a_training_row(world, client_for):
    row = Training.objects.create(staff=world.staff_in_a1, school="ĐH Huế", start="2010")
    client = client_for(world.clerk)
    url = reverse("personnel:documents", args=[world.staff_in_a1.pk])
    response = client.post(
        url,
        {
            "kind": "diploma",
            "title": "Bằng cử nhân",
            "attach_to": f"training:{row.pk}",
            "file": SimpleUploadedFile("b.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.row_kind, document.row_id, document.content_type) == (
        "training",
        row.pk,
        "image/jpeg",
    )
    assert "ĐH Huế" in client.get(url).content.decode()
    head = client_for(world.head)
    assert head.get(url).status_code == 200
    assert head.post(url, {"kind": "other"}).status_code == 404  # heads view, not attach


def test_the_teacher_withdraws_a_pending_request(world, client_for):
    client = client_for(world.staff_user)
    propose_phone(client, world)
    change = ChangeRequest.objects.get()
    client.post(reverse("personnel:change_request_withdraw", args=[change.pk]))
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.WITHDRAWN


def test_a_kind_of_notification_turned_off_is_neither_shown_nor_sent(
    world, client_for, emails, django_capture_on_commit_callbacks
):
    client = client_for(world.clerk)
    response = client.post(
        reverse("personnel:notification_settings"),
        {"request_waiting__app": "on"},  # e-mail off for requests, the other kinds all off
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        propose_phone(client_for(world.staff_user), world)
    assert Notification.objects.filter(user=world.clerk).count() == 1
    assert mail.outbox == []
    assert callbacks == []  # no e-mail was even queued
    notification_settings_save(user=world.clerk, choices={"request_waiting": (False, False)})
    services.change_request_withdraw(
        change_request_id=ChangeRequest.objects.get().pk, actor=world.staff_user
    )
    propose_phone(client_for(world.staff_user), world, phone="0912 000 000")
    assert Notification.objects.filter(user=world.clerk).count() == 1


def test_the_unread_badge_counts_until_the_list_is_opened(world, client_for):
    services.notify(user=world.clerk, kind=Notification.Kind.EXPORT_READY, text="Xong")
    client = client_for(world.clerk)
    home = client.get(reverse("home")).content.decode()
    assert 'class="unread-count"' in home
    assert "Xong" in client.get(reverse("personnel:notifications")).content.decode()
    assert 'class="unread-count"' not in client.get(reverse("home")).content.decode()


def test_a_clerk_granted_through_a_group_is_told_too(world):
    from django.contrib.auth.models import Group
    from guardian.shortcuts import assign_perm

    from personnel.permissions import ROLE_PERMISSIONS, users_holding

    group = Group.objects.create(name="Phòng tổ chức A")
    user = UserFactory(username="clerk_group")
    user.groups.add(group)
    for codename in ROLE_PERMISSIONS[Role.HR_CLERK]:
        assign_perm(f"personnel.{codename}", group, world.unit_a)
    holders = users_holding("change_unit_staff", world.unit_a1)
    assert {holder.username for holder in holders} == {"clerk_a", "clerk_group"}


def test_a_scanned_salary_decision_is_attached_to_the_decision(world, salaries, client_for):
    record = salaries["a1"]
    client = client_for(world.clerk)
    url = reverse("personnel:documents", args=[world.staff_in_a1.pk])
    assert f"salary:{record.pk}" in client.get(url).content.decode()
    client.post(
        url,
        {"kind": "decision", "attach_to": f"salary:{record.pk}",
         "file": SimpleUploadedFile("qd.pdf", PDF)},
    )  # fmt: skip
    document = Document.objects.get()
    assert (document.row_kind, document.row_id) == ("salary", record.pk)
    # another person's decision is not offered, and refused if sent
    other = salaries["b"]
    response = client.post(
        url,
        {"kind": "decision", "attach_to": f"salary:{other.pk}",
         "file": SimpleUploadedFile("qd.pdf", PDF)},
    )  # fmt: skip
    assert response.status_code == 200
    assert Document.objects.count() == 1
