"""Writes to unit-scoped grants (django-guardian) and the provincial administrators' group.

Every grant and revocation goes through here — the application, the administration site (role
grants, the per-permission inline on a user's page, deletions) and commands — and is recorded
as a ``GrantChange`` (actor, time, unit, permissions before and after) in the same transaction.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from hrms.lib.audit import audited
from personnel.models import GrantChange, OrgUnit, OrgUnitUserPermission
from personnel.permissions import (
    ADMIN_SITE_APPS,
    PROVINCIAL_ADMIN_GROUP,
    ROLE_PERMISSIONS,
    UNIT_PERMISSIONS,
    Role,
)

ADMIN_ROLE_MARK = "group:" + PROVINCIAL_ADMIN_GROUP


def unit_permissions_of(*, user, unit: OrgUnit) -> set[str]:
    """The unit permissions ``user`` holds directly on ``unit`` (not inherited)."""
    return set(
        OrgUnitUserPermission.objects.filter(user=user, content_object=unit).values_list(
            "permission__codename", flat=True
        )
    )


@transaction.atomic
def unit_permissions_set(
    *, user, unit: OrgUnit, codenames: set[str], actor, reason: str = ""
) -> GrantChange | None:
    """Make ``codenames`` exactly the unit permissions ``user`` holds on ``unit`` and record
    the change (None when nothing changed)."""
    unknown = set(codenames) - set(UNIT_PERMISSIONS)
    if unknown:
        raise ValidationError(
            _("Unknown unit permission: %(name)s.") % {"name": sorted(unknown)[0]}
        )
    # Serialise changes to one user's grants so that before/after are exact.
    type(user).objects.select_for_update().filter(pk=user.pk).first()
    before = unit_permissions_of(user=user, unit=unit)
    after = set(codenames)
    if before == after:
        return None
    with audited(actor, reason or _("Grant changed")):
        for codename in sorted(after - before):
            assign_perm(f"personnel.{codename}", user, unit)
        for codename in sorted(before - after):
            remove_perm(f"personnel.{codename}", user, unit)
        return GrantChange.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            user=user,
            unit=unit,
            before=sorted(before),
            after=sorted(after),
            reason=reason,
        )


def role_grant(*, user, unit: OrgUnit, role: str, actor) -> GrantChange | None:
    """Grant a unit-scoped role (HR clerk or unit head) to ``user`` on ``unit`` and its subtree
    (added to what the user already holds there)."""
    if role not in ROLE_PERMISSIONS:
        raise ValidationError(_("This role cannot be granted on a unit."))
    with transaction.atomic():
        held = unit_permissions_of(user=user, unit=unit)
        return unit_permissions_set(
            user=user,
            unit=unit,
            codenames=held | set(ROLE_PERMISSIONS[role]),
            actor=actor,
            reason=_("Role granted: %(role)s") % {"role": Role(role).label},
        )


def role_revoke(*, user, unit: OrgUnit, actor) -> GrantChange | None:
    """Withdraw every unit-scoped permission ``user`` holds on ``unit``."""
    return unit_permissions_set(
        user=user, unit=unit, codenames=set(), actor=actor, reason=_("Roles withdrawn")
    )


def permission_grant(*, user, unit: OrgUnit, codename: str, actor) -> GrantChange | None:
    """Grant one unit permission (the per-permission inline of the administration site)."""
    with transaction.atomic():
        held = unit_permissions_of(user=user, unit=unit)
        return unit_permissions_set(
            user=user, unit=unit, codenames=held | {codename}, actor=actor,
            reason=_("Permission granted"),
        )  # fmt: skip


def permission_revoke(*, user, unit: OrgUnit, codename: str, actor) -> GrantChange | None:
    """Withdraw one unit permission."""
    with transaction.atomic():
        held = unit_permissions_of(user=user, unit=unit)
        return unit_permissions_set(
            user=user, unit=unit, codenames=held - {codename}, actor=actor,
            reason=_("Permission withdrawn"),
        )  # fmt: skip


@transaction.atomic
def provincial_admin_set(*, user, is_admin: bool, actor) -> GrantChange | None:
    """Make ``user`` a provincial administrator (a member of the group holding every unit
    permission province-wide) or withdraw it; recorded like a unit grant, with no unit."""
    group = provincial_admin_group_ensure()
    member = user.groups.filter(pk=group.pk).exists()
    if member == is_admin:
        return None
    with audited(actor, _("Provincial administrator")):
        if is_admin:
            user.groups.add(group)
        else:
            user.groups.remove(group)
        return GrantChange.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            user=user,
            unit=None,
            before=[ADMIN_ROLE_MARK] if member else [],
            after=[ADMIN_ROLE_MARK] if is_admin else [],
            reason=_("Provincial administrator"),
        )


def record_group_change(*, user, before: set[str], after: set[str], actor) -> None:
    """Record a change of ``user``'s groups made by the administration site's user form
    (the form writes the membership itself; this keeps the grant history complete)."""
    if before != after:
        GrantChange.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            user=user,
            unit=None,
            before=sorted(f"group:{name}" for name in before),
            after=sorted(f"group:{name}" for name in after),
            reason=_("Groups changed"),
        )


@transaction.atomic
def provincial_admin_group_ensure() -> Group:
    """The group of provincial administrators: every unit permission province-wide, plus the
    administration site's rights over the domain apps, accounts and login lockouts."""
    group, _created = Group.objects.get_or_create(name=PROVINCIAL_ADMIN_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMIN_SITE_APPS))
    return group
