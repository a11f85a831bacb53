"""Role grants and revocations go through the service, wherever they are made, and each is
recorded (actor, time, unit, rights before and after) in a history the administrator reads."""

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.urls import reverse

from personnel import permissions, services
from personnel.models import GrantChange, OrgUnitUserPermission
from personnel.permissions import Role

CLERK = {"view_unit_staff", "change_unit_staff", "export_unit_staff", "view_unit_sensitive"}
HEAD = {"view_unit_staff", "export_unit_staff", "approve_unit_salary"}


def held(user, unit) -> set[str]:
    return set(
        OrgUnitUserPermission.objects.filter(user=user, content_object=unit).values_list(
            "permission__codename", flat=True
        )
    )


def test_granting_and_revoking_a_role_records_actor_unit_before_and_after(world):
    change = services.role_grant(
        user=world.nobody, unit=world.unit_b, role=Role.UNIT_HEAD, actor=world.admin
    )
    assert (change.actor, change.user, change.unit) == (world.admin, world.nobody, world.unit_b)
    assert (change.before, set(change.after)) == ([], HEAD)
    assert change.at is not None

    again = services.role_grant(
        user=world.nobody, unit=world.unit_b, role=Role.UNIT_HEAD, actor=world.admin
    )
    assert again is None  # nothing changed, nothing recorded

    revoked = services.role_revoke(user=world.nobody, unit=world.unit_b, actor=world.admin)
    assert (set(revoked.before), revoked.after) == (HEAD, [])
    assert held(world.nobody, world.unit_b) == set()
    assert GrantChange.objects.filter(user=world.nobody).count() == 2


def test_the_grant_history_is_append_only(world):
    change = GrantChange.objects.filter(user=world.clerk).first()
    assert change is not None  # the world's own grants were recorded
    for statement in (
        f"UPDATE personnel_grantchange SET reason = 'x' WHERE id = {change.pk}",
        f"DELETE FROM personnel_grantchange WHERE id = {change.pk}",
    ):
        refused = pytest.raises((InternalError, IntegrityError, ProgrammingError))
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert GrantChange.objects.filter(pk=change.pk).exists()


def test_the_grant_tables_are_tracked_by_history_triggers(world):
    from personnel.models import OrgUnitUserPermissionEvent

    services.role_grant(
        user=world.nobody, unit=world.unit_b, role=Role.UNIT_HEAD, actor=world.admin
    )
    events = OrgUnitUserPermissionEvent.objects.filter(user=world.nobody)
    assert events.filter(pgh_label="insert").count() == 3
    OrgUnitUserPermission.objects.filter(user=world.nobody).delete()  # behind the service's back
    assert events.filter(pgh_label="delete").count() == 3


def test_the_admin_role_grant_and_delete_go_through_the_service(world, client_for):
    admin = client_for(world.admin)
    admin.post(
        reverse("admin:personnel_orgunituserpermission_add"),
        {"user": world.nobody.pk, "content_object": world.unit_b.pk, "role": "clerk"},
    )
    assert held(world.nobody, world.unit_b) == CLERK
    grant = OrgUnitUserPermission.objects.get(
        user=world.nobody, permission__codename="change_unit_staff"
    )
    response = admin.post(
        reverse("admin:personnel_orgunituserpermission_delete", args=[grant.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert held(world.nobody, world.unit_b) == CLERK - {"change_unit_staff"}
    last = GrantChange.objects.filter(user=world.nobody).first()
    assert (last.actor, set(last.before), set(last.after)) == (
        world.admin,
        CLERK,
        CLERK - {"change_unit_staff"},
    )


def _user_change_form(response) -> dict:
    """What the admin's user page posts back unchanged, read from the rendered form."""
    from html.parser import HTMLParser

    data: dict[str, list[str]] = {}

    class Form(HTMLParser):
        select = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
                checkable = attrs.get("type") in ("checkbox", "radio")
                if checkable and "checked" not in attrs:
                    return
                data.setdefault(name, []).append(attrs.get("value", "on" if checkable else ""))
            elif tag == "select" and name:
                self.select = name
                data.setdefault(name, [])
            elif tag == "option" and self.select and "selected" in attrs:
                data[self.select].append(attrs.get("value", ""))

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None

    Form().feed(response.content.decode())
    data.pop("csrfmiddlewaretoken", None)
    return {key: values if len(values) != 1 else values[0] for key, values in data.items()}


def test_the_user_page_inline_grants_and_withdraws_through_the_service(world, client_for):
    admin = client_for(world.admin)
    url = reverse("admin:auth_user_change", args=[world.nobody.pk])
    data = _user_change_form(admin.get(url))
    prefix = next(key for key in data if key.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    approve = Permission.objects.get(codename="approve_unit_salary")
    data |= {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-0-content_object": world.unit_a.pk,
        f"{prefix}-0-permission": approve.pk,
        f"{prefix}-0-user": world.nobody.pk,
        f"{prefix}-0-id": "",
    }
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert held(world.nobody, world.unit_a) == {"approve_unit_salary"}
    added = GrantChange.objects.filter(user=world.nobody).first()
    assert (added.actor, added.unit, added.before, added.after) == (
        world.admin, world.unit_a, [], ["approve_unit_salary"],
    )  # fmt: skip

    data = _user_change_form(admin.get(url))
    data[f"{prefix}-0-DELETE"] = "on"
    assert admin.post(url, data).status_code == 302
    assert held(world.nobody, world.unit_a) == set()
    withdrawn = GrantChange.objects.filter(user=world.nobody).first()
    assert (withdrawn.before, withdrawn.after) == (["approve_unit_salary"], [])


def test_making_someone_provincial_administrator_is_recorded(world, client_for):
    change = services.provincial_admin_set(user=world.nobody, is_admin=True, actor=world.admin)
    assert change.unit is None and change.after == ["group:Provincial administrators"]
    assert permissions.province_wide(type(world.nobody).objects.get(pk=world.nobody.pk),
                                     permissions.VIEW_STAFF)  # fmt: skip
    assert (
        services.provincial_admin_set(user=world.nobody, is_admin=True, actor=world.admin) is None
    )
    services.provincial_admin_set(user=world.nobody, is_admin=False, actor=world.admin)
    assert GrantChange.objects.filter(user=world.nobody, unit=None).count() == 2


def test_the_administrator_reads_the_grant_history(world, client_for):
    services.role_grant(user=world.nobody, unit=world.unit_b, role=Role.HR_CLERK, actor=world.admin)
    page = client_for(world.admin).get(reverse("admin:personnel_grantchange_changelist"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "nobody" in text and "Sở B" in text and "Cán bộ tổ chức" in text
