"""Administration screens for units and grants go through the services."""

import pytest
from django.urls import reverse

from personnel import permissions
from personnel.models import LineageEvent, OrgUnit, OrgUnitUserPermission


@pytest.fixture
def admin_client(world, client_for):
    return client_for(world.admin)


def unit_form(unit: OrgUnit, **changes) -> dict:
    data = {
        "parent": unit.parent_unit().pk if unit.parent_unit() else "",
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "level": unit.level,
        "kind": unit.kind,
        "admin_code": unit.admin_code,
        "agency_code": unit.agency_code,
        "valid_from": unit.valid_from.strftime("%d/%m/%Y"),
        "valid_to": "",
        "legal_basis": unit.legal_basis,
        "change_date": "",
        "change_basis": "",
    }
    data.update(changes)
    return data


def test_adding_a_unit_establishes_it_under_its_parent(world, admin_client):
    response = admin_client.post(
        reverse("admin:personnel_orgunit_add"),
        {
            "parent": world.unit_a.pk, "code": "A2", "name": "Trường A2", "short_name": "",
            "level": "province", "kind": "public_service", "admin_code": "",
            "agency_code": "000.01.05.H99", "valid_from": "01/09/2026",
            "legal_basis": "QĐ 12/QĐ-UBND",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = OrgUnit.objects.get(code="A2")
    assert unit.parent_unit() == world.unit_a
    event = LineageEvent.objects.get(kind="establish", results=unit)
    assert event.recorded_by == world.admin and event.legal_basis == "QĐ 12/QĐ-UBND"


def test_bad_unit_data_is_refused_with_a_message_naming_the_field(world, admin_client):
    response = admin_client.post(
        reverse("admin:personnel_orgunit_add"),
        {
            "parent": world.province.pk, "code": "XA", "name": "Xã Thử", "level": "commune",
            "kind": "committee", "admin_code": "123", "agency_code": "H99",
            "valid_from": "01/07/2025", "legal_basis": "",
        },
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "admin_code" in errors and "agency_code" in errors
    assert "5 chữ số" in str(errors["admin_code"])
    assert not OrgUnit.objects.filter(code="XA").exists()


def test_renaming_needs_a_date_and_basis_and_records_the_event(world, admin_client):
    url = reverse("admin:personnel_orgunit_change", args=[world.unit_a1.pk])
    missing = admin_client.post(url, unit_form(world.unit_a1, name="Trường THPT A1"))
    assert missing.status_code == 200
    assert "change_date" in missing.context["adminform"].form.errors
    assert OrgUnit.objects.get(pk=world.unit_a1.pk).name == "Trường A1"

    done = admin_client.post(
        url,
        unit_form(world.unit_a1, name="Trường THPT A1", change_date="01/07/2025",
                  change_basis="QĐ 1/QĐ-UBND"),
    )  # fmt: skip
    assert done.status_code == 302
    assert OrgUnit.objects.get(pk=world.unit_a1.pk).name == "Trường THPT A1"
    event = LineageEvent.objects.get(kind="rename")
    assert (event.old_name, event.new_name, event.legal_basis) == (
        "Trường A1", "Trường THPT A1", "QĐ 1/QĐ-UBND",
    )  # fmt: skip


def test_moving_a_unit_in_the_admin_moves_its_subtree_and_scope(world, admin_client):
    url = reverse("admin:personnel_orgunit_change", args=[world.unit_a1.pk])
    response = admin_client.post(
        url,
        unit_form(world.unit_a1, parent=world.unit_b.pk, change_date="01/07/2025",
                  change_basis="QĐ 2/QĐ-UBND"),
    )  # fmt: skip
    assert response.status_code == 302
    moved = OrgUnit.objects.get(pk=world.unit_a1.pk)
    assert moved.parent_unit() == world.unit_b
    clerk_a = type(world.clerk).objects.get(pk=world.clerk.pk)
    clerk_b = type(world.outsider).objects.get(pk=world.outsider.pk)
    assert world.staff_in_a1 not in permissions.visible_staff(clerk_a)
    assert world.staff_in_a1 in permissions.visible_staff(clerk_b)


def test_units_have_no_delete_page(world, admin_client):
    response = admin_client.get(reverse("admin:personnel_orgunit_delete", args=[world.unit_b1.pk]))
    assert response.status_code == 403


def test_granting_a_role_in_the_admin(world, admin_client):
    response = admin_client.post(
        reverse("admin:personnel_orgunituserpermission_add"),
        {"user": world.nobody.pk, "content_object": world.unit_b.pk, "role": "head"},
    )
    assert response.status_code == 302
    granted = set(
        OrgUnitUserPermission.objects.filter(user=world.nobody).values_list(
            "permission__codename", flat=True
        )
    )
    assert granted == {"view_unit_staff", "export_unit_staff", "approve_unit_salary"}
    assert set(permissions.visible_staff(world.nobody)) == {world.staff_in_b}


def test_unit_heads_and_clerks_cannot_reach_the_admin(world, client_for):
    for user in (world.clerk, world.head, world.staff_user):
        response = client_for(user).get(reverse("admin:personnel_orgunit_changelist"))
        assert response.status_code == 302


def test_the_admin_shows_and_changes_whether_a_unit_keeps_its_own_payroll(world, admin_client):
    office = OrgUnit.objects.get(pk=world.unit_a.pk)
    listing = admin_client.get(reverse("admin:personnel_orgunit_changelist")).content.decode()
    assert "tự lập bảng lương" in listing
    response = admin_client.post(
        reverse("admin:personnel_orgunit_change", args=[office.pk]), unit_form(office)
    )  # the box left unticked: Sở A is now on the province's payroll list
    assert response.status_code == 302, response.content.decode()[:2000]
    office.refresh_from_db()
    assert office.keeps_payroll is False
    admin_client.post(
        reverse("admin:personnel_orgunit_change", args=[office.pk]),
        unit_form(office, keeps_payroll="on"),
    )
    office.refresh_from_db()
    assert office.keeps_payroll is True
