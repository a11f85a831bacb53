"""Change requests about existing rows of a table section: a correction shown field by field
and applied to that row, a removal with its reason, and the stale-row rule (a row changed by a
clerk after the request was made is never overwritten unseen; docs/rules.md §10.8)."""

import pghistory.models
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from personnel import services
from personnel.models import ChangeRequest, FamilyMember, Staff
from personnel.request_sections import fingerprint, row_state
from personnel.services.requests import StaleRequest


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.HRMS_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def mother(world):
    return FamilyMember.objects.create(
        staff=world.own_record,
        side=FamilyMember.Side.OWN,
        relation=FamilyMember.Relation.MOTHER,
        full_name="Nguyễn Thị Mai",
        birth_year=1950,
        details="Hưu trí, Huế",
    )


def row_post(row, **changed):
    values = {
        "side": row.side,
        "relation": row.relation,
        "full_name": row.full_name,
        "birth_year": str(row.birth_year or ""),
        "details": row.details,
        "memberships": row.memberships,
        **changed,
    }
    return {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "1",
        "rows-0-id": str(row.pk),
        **{f"rows-0-{name}": value for name, value in values.items()},
    }


def propose_correction(client, world, row, **changed):
    url = reverse(
        "personnel:change_request_row", args=[world.own_record.pk, "family", row.pk, "change"]
    )
    return client.post(url, {**row_post(row, **changed), "note": "Sai năm sinh"})


def approve(client, change, row, **changed):
    staff = Staff.objects.get(pk=change.staff_id)
    return client.post(
        reverse("personnel:change_request", args=[change.pk]),
        {"action": "approve", "version": staff.version, **row_post(row, **changed)},
    )


def test_a_correction_of_a_family_row_is_shown_field_by_field_and_applied_to_that_row(
    world, client_for, mother
):
    teacher = client_for(world.staff_user)
    page = teacher.get(
        reverse("personnel:change_request_new", args=[world.own_record.pk, "family"])
    )
    assert (
        reverse(
            "personnel:change_request_row",
            args=[world.own_record.pk, "family", mother.pk, "change"],
        )
        in page.content.decode()
    )
    response = propose_correction(teacher, world, mother, birth_year="1952")
    change = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert (change.row_action, change.row_id) == (ChangeRequest.RowAction.CHANGE, mother.pk)
    assert change.row_before["birth_year"] == "1950"
    assert change.proposed["birth_year"] == "1952"
    mother.refresh_from_db()
    assert mother.birth_year == 1950  # nothing changes before approval

    clerk = client_for(world.clerk)
    page = clerk.get(reverse("personnel:change_request", args=[change.pk]))
    compared = page.context["rows"]
    assert ("năm sinh", "1950", "", "1952") in [(label.lower(), *rest) for label, *rest in compared]
    assert ("họ và tên", "Nguyễn Thị Mai", "", "Nguyễn Thị Mai") in [
        (label.lower(), *rest) for label, *rest in compared
    ]
    response = approve(clerk, change, mother, birth_year="1952")
    assert response.status_code == 302
    change.refresh_from_db()
    mother.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert (mother.birth_year, mother.full_name) == (1952, "Nguyễn Thị Mai")
    assert FamilyMember.objects.filter(staff=world.own_record).count() == 1  # no row added
    event = pghistory.models.Events.objects.tracks(mother).filter(pgh_label="update").get()
    assert event.pgh_context["user"] == world.clerk.pk
    assert f"số {change.pk} của Lê Thị Cúc" in event.pgh_context["reason"]


def test_a_row_changed_by_a_clerk_after_the_request_is_not_overwritten_unseen(
    world, client_for, mother
):
    propose_correction(client_for(world.staff_user), world, mother, birth_year="1952")
    change = ChangeRequest.objects.get()
    # Meanwhile a clerk corrects the row's details from the dossier.
    mother.details = "Hưu trí, Đà Nẵng"
    services.staff_rows_save(
        staff_id=world.own_record.pk,
        expected_version=world.own_record.version,
        saved=[mother],
        deleted=[],
        actor=world.clerk,
    )
    clerk = client_for(world.clerk)
    page = clerk.get(reverse("personnel:change_request", args=[change.pk]))
    assert page.context["changed_since"]
    response = approve(clerk, change, mother, birth_year="1952", details="Hưu trí, Huế")
    assert response.status_code == 200
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("Đề nghị đã cũ" in message for message in said), said
    change.refresh_from_db()
    mother.refresh_from_db()
    assert change.is_pending
    assert (mother.birth_year, mother.details) == (1950, "Hưu trí, Đà Nẵng")
    # The refusal showed the row as it is now; the clerk edits the proposal, then approves.
    seen = response.context["row_seen"]
    assert seen == fingerprint(row_state("family", world.own_record, mother.pk))
    assert "Hưu trí, Đà Nẵng" in response.content.decode()  # the row as it is now, shown
    staff = Staff.objects.get(pk=world.own_record.pk)
    response = clerk.post(
        reverse("personnel:change_request", args=[change.pk]),
        {"action": "approve", "version": staff.version, "row_seen": seen,
         **row_post(mother, birth_year="1952", details="Hưu trí, Đà Nẵng")},
    )  # fmt: skip
    assert response.status_code == 302
    mother.refresh_from_db()
    assert (mother.birth_year, mother.details) == (1952, "Hưu trí, Đà Nẵng")


def test_the_service_refuses_a_stale_correction_and_a_row_gone(world, client_for, mother):
    propose_correction(client_for(world.staff_user), world, mother, birth_year="1952")
    change = ChangeRequest.objects.get()
    FamilyMember.objects.filter(pk=mother.pk).update(full_name="Nguyễn Thị Mây")
    mother.refresh_from_db()
    mother.birth_year = 1952
    with pytest.raises(StaleRequest):
        services.change_request_approve(
            change_request_id=change.pk,
            expected_version=world.own_record.version,
            applied={},
            saved_rows=[mother],
            actor=world.clerk,
        )
    FamilyMember.objects.filter(pk=mother.pk).delete()
    with pytest.raises(ValidationError, match="không còn"):
        services.change_request_approve(
            change_request_id=change.pk,
            expected_version=world.own_record.version,
            applied={},
            saved_rows=[],
            actor=world.clerk,
        )
    change.refresh_from_db()
    assert change.is_pending


def test_a_wrong_row_is_removed_on_approval_with_the_reason_given(world, client_for, mother):
    teacher = client_for(world.staff_user)
    url = reverse(
        "personnel:change_request_row", args=[world.own_record.pk, "family", mother.pk, "remove"]
    )
    response = teacher.post(url, {"note": "  "})
    assert response.status_code == 200
    assert "Lý do" in response.content.decode()
    assert not ChangeRequest.objects.exists()
    teacher.post(url, {"note": "Ghi nhầm người của hồ sơ khác"})
    change = ChangeRequest.objects.get()
    assert change.row_action == ChangeRequest.RowAction.REMOVE
    clerk = client_for(world.clerk)
    page = clerk.get(reverse("personnel:change_request", args=[change.pk]))
    assert "Ghi nhầm người của hồ sơ khác" in page.content.decode()
    staff = Staff.objects.get(pk=world.own_record.pk)
    response = clerk.post(
        reverse("personnel:change_request", args=[change.pk]),
        {"action": "approve", "version": staff.version},
    )
    assert response.status_code == 302
    assert not FamilyMember.objects.filter(pk=mother.pk).exists()
    event = pghistory.models.Events.objects.filter(
        pgh_model="personnel.FamilyMemberEvent", pgh_label="delete"
    ).get()
    assert event.pgh_context["user"] == world.clerk.pk
    assert "Lê Thị Cúc" in event.pgh_context["reason"]


def test_rows_of_other_records_and_unknown_actions_are_refused(world, client_for, mother):
    teacher = client_for(world.staff_user)
    other = FamilyMember.objects.create(
        staff=world.staff_in_a1, relation=FamilyMember.Relation.FATHER, full_name="Trần Văn Bảy"
    )
    for staff, row, action in (
        (world.own_record, other.pk, "change"),  # a row of someone else's record
        (world.staff_in_a1, other.pk, "change"),  # someone else's record
        (world.own_record, mother.pk, "end"),  # family rows are not ended
        (world.own_record, mother.pk, "add"),
    ):
        url = reverse("personnel:change_request_row", args=[staff.pk, "family", row, action])
        assert teacher.get(url).status_code == 404, (staff, action)
    with pytest.raises(ValidationError):
        services.change_request_create(
            staff=world.own_record, section="family", proposed={}, previous={}, note="",
            uploads=[], actor=world.staff_user, row_action="change", row_id=other.pk,
        )  # fmt: skip
    assert not ChangeRequest.objects.exists()
