"""Writes to unit-scoped grants (django-guardian) and the provincial administrators' group."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from personnel.models import OrgUnit
from personnel.permissions import (
    ADMIN_SITE_APPS,
    PROVINCIAL_ADMIN_GROUP,
    ROLE_PERMISSIONS,
    UNIT_PERMISSIONS,
)


@transaction.atomic
def role_grant(*, user, unit: OrgUnit, role: str, actor) -> None:
    """Grant a unit-scoped role (HR clerk or unit head) to ``user`` on ``unit`` and its subtree."""
    if role not in ROLE_PERMISSIONS:
        raise ValidationError(_("This role cannot be granted on a unit."))
    for codename in ROLE_PERMISSIONS[role]:
        assign_perm(f"personnel.{codename}", user, unit)


@transaction.atomic
def role_revoke(*, user, unit: OrgUnit, actor) -> None:
    """Withdraw every unit-scoped permission ``user`` holds on ``unit``."""
    for codename in UNIT_PERMISSIONS:
        remove_perm(f"personnel.{codename}", user, unit)


@transaction.atomic
def provincial_admin_group_ensure() -> Group:
    """The group of provincial administrators: every unit permission province-wide, plus the
    administration site's rights over the domain apps, accounts and login lockouts."""
    group, _created = Group.objects.get_or_create(name=PROVINCIAL_ADMIN_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=ADMIN_SITE_APPS))
    return group
