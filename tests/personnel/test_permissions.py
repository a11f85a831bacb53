"""Scope: who sees which units and staff. One place decides; lists filter on indexed columns."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import Http404
from guardian.shortcuts import assign_perm

from personnel import permissions, services
from personnel.models import Staff
from personnel.permissions import CHANGE_STAFF, EXPORT_STAFF, VIEW_STAFF, Role
from tests.factories import OrgUnitFactory, StaffFactory, UserFactory


def names(queryset):
    return sorted(obj.name if hasattr(obj, "name") else obj.full_name for obj in queryset)


def test_clerk_sees_the_granted_unit_and_its_subtree_only(world):
    units = permissions.visible_units(world.clerk, VIEW_STAFF)
    assert set(units) == {world.unit_a, world.unit_a1}
    staff = set(permissions.visible_staff(world.clerk, CHANGE_STAFF))
    assert staff == {world.staff_in_a, world.staff_in_a1, world.own_record}


def test_head_may_view_and_export_but_not_change(world):
    assert set(permissions.visible_units(world.head, EXPORT_STAFF)) == {world.unit_a, world.unit_a1}
    assert not permissions.visible_staff(world.head, CHANGE_STAFF).exists()


def test_staff_member_sees_only_their_own_record_and_cannot_change_it(world):
    assert list(permissions.visible_staff(world.staff_user, VIEW_STAFF)) == [world.own_record]
    assert not permissions.visible_units(world.staff_user, VIEW_STAFF).exists()
    assert not permissions.visible_staff(world.staff_user, CHANGE_STAFF).exists()
    assert not permissions.visible_staff(world.staff_user, EXPORT_STAFF).exists()


def test_provincial_admin_sees_everything(world):
    assert permissions.visible_units(world.admin).count() == 5
    assert permissions.visible_staff(world.admin, CHANGE_STAFF).count() == Staff.objects.count()


def test_user_without_roles_sees_nothing(world):
    assert not permissions.visible_units(world.nobody).exists()
    assert not permissions.visible_staff(world.nobody).exists()


def test_out_of_scope_and_missing_records_both_answer_404(world):
    with pytest.raises(Http404):
        permissions.staff_or_404(world.clerk, world.staff_in_b.pk)
    with pytest.raises(Http404):
        permissions.staff_or_404(world.clerk, 10**9)
    assert permissions.staff_or_404(world.clerk, world.staff_in_a1.pk) == world.staff_in_a1


def test_several_grants_add_up(world):
    services.role_grant(
        user=world.clerk, unit=world.unit_b1, role=Role.UNIT_HEAD, actor=world.admin
    )
    user = type(world.clerk).objects.get(pk=world.clerk.pk)  # fresh object, no cached scope
    assert set(permissions.visible_units(user, VIEW_STAFF)) == {
        world.unit_a,
        world.unit_a1,
        world.unit_b1,
    }
    assert set(permissions.visible_units(user, CHANGE_STAFF)) == {world.unit_a, world.unit_a1}


def test_nested_grants_collapse_to_the_outermost(world):
    assign_perm(f"personnel.{VIEW_STAFF}", world.head, world.unit_a1)
    user = type(world.head).objects.get(pk=world.head.pk)
    assert permissions.granted_paths(user, VIEW_STAFF) == [world.unit_a.path]


def test_grants_through_a_group_cover_the_subtree(world):
    group = Group.objects.create(name="Thanh tra")
    assign_perm(f"personnel.{VIEW_STAFF}", group, world.unit_b)
    world.nobody.groups.add(group)
    user = type(world.nobody).objects.get(pk=world.nobody.pk)
    assert set(permissions.visible_staff(user)) == {world.staff_in_b}


def test_revoking_a_role_removes_access(world):
    services.role_revoke(user=world.clerk, unit=world.unit_a, actor=world.admin)
    user = type(world.clerk).objects.get(pk=world.clerk.pk)
    assert not permissions.visible_units(user).exists()


def test_inactive_users_see_nothing(world):
    world.clerk.is_active = False
    world.clerk.save()
    user = type(world.clerk).objects.get(pk=world.clerk.pk)
    assert not permissions.visible_staff(user).exists()


def _queries_to_list_staff(user_model, pk) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = user_model.objects.get(pk=pk)  # fresh object: nothing cached
    with CaptureQueriesContext(connection) as context:
        count = len(list(permissions.visible_staff(user)))
    return len(context), count


def test_scope_costs_the_same_queries_for_any_number_of_grants(world):
    user_model = type(world.head)
    queries_with_one_grant, seen = _queries_to_list_staff(user_model, world.head.pk)
    assert seen == 3
    for number in range(6):
        unit = OrgUnitFactory(parent=world.unit_b, code=f"G{number}")
        StaffFactory(unit=unit)
        services.role_grant(user=world.head, unit=unit, role=Role.UNIT_HEAD, actor=None)
    queries_with_seven_grants, seen = _queries_to_list_staff(user_model, world.head.pk)
    assert seen == 3 + 6
    # global permissions (user's and groups'), the grants, the own-record lookup, the list
    assert queries_with_seven_grants == queries_with_one_grant <= 5


def test_staff_list_filters_on_the_indexed_unit_column(world):
    sql = str(permissions.visible_staff(world.clerk).query)
    assert '"personnel_staff"."unit_id" IN (SELECT' in sql
    assert "LIKE" in sql


def test_granting_an_unknown_role_is_refused(world):
    with pytest.raises(ValidationError, match="Không thể cấp vai trò"):
        services.role_grant(user=UserFactory(), unit=world.unit_a, role=Role.STAFF, actor=None)


def test_a_reveal_stays_open_fifteen_minutes(world):
    session = {}
    permissions.reveal_start(session, world.staff_in_a1)
    started = session["hrms_revealed"][str(world.staff_in_a1.pk)]
    assert permissions.reveal_open(session, world.staff_in_a1, now=started + 14 * 60)
    assert not permissions.reveal_open(session, world.staff_in_a1, now=started + 15 * 60 + 1)
    assert not permissions.reveal_open(session, world.staff_in_a, now=started)


def test_record_capabilities_per_persona(world, rf):
    def caps(user, staff):
        request = rf.get("/")
        request.user, request.session = user, {}
        return permissions.record_capabilities(request, staff)

    clerk = caps(world.clerk, world.staff_in_a1)
    assert (clerk.edit, clerk.edit_sensitive, clerk.see_sensitive, clerk.revealed) == (
        True, True, True, False,
    )  # fmt: skip
    assert clerk.may_reveal and clerk.export and clerk.prepare_salary
    head = caps(world.head, world.staff_in_a1)
    assert (head.edit, head.see_sensitive, head.export, head.prepare_salary) == (
        False, False, True, False,
    )  # fmt: skip
    own = caps(world.staff_user, world.own_record)
    assert (own.own, own.edit, own.revealed, own.may_reveal) == (True, False, True, False)
    assert permissions.may_approve_salary(world.head, world.staff_in_a1)
    assert not permissions.may_approve_salary(world.clerk, world.staff_in_a1)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("active", ["transfer", "unpaid_leave", "retirement", "resignation", "death"]),
        ("unpaid_leave", ["return", "retirement", "resignation", "death"]),
        ("retired", []),
        ("deceased", []),
    ],
)
def test_the_movements_a_status_allows(status, allowed):
    from personnel.rules.movements import allowed_movements, status_after

    assert allowed_movements(status) == allowed
    for kind in ("transfer", "unpaid_leave", "return", "retirement", "resignation", "death"):
        assert (status_after(kind, status) is not None) == (kind in allowed)
