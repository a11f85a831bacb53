"""Who may see and change what. The only place in the code that decides access.

Authority flows down the organisation tree: a permission granted on a unit (django-guardian,
``OrgUnitUserPermission``/``OrgUnitGroupPermission``) covers that unit and every unit under it.
A provincial administrator holds the same permissions globally (model-level) and sees everything.
A staff member always sees their own record, read-only.

Objects outside a user's scope are treated exactly like missing ones: ``*_or_404`` helpers raise
``Http404`` for both, so nobody can probe which records exist.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from personnel.models import OrgUnit, OrgUnitGroupPermission, OrgUnitUserPermission, Staff

VIEW_STAFF = "view_unit_staff"
CHANGE_STAFF = "change_unit_staff"
EXPORT_STAFF = "export_unit_staff"
VIEW_SENSITIVE = "view_unit_sensitive"
APPROVE_SALARY = "approve_unit_salary"
UNIT_PERMISSIONS = (VIEW_STAFF, CHANGE_STAFF, EXPORT_STAFF, VIEW_SENSITIVE, APPROVE_SALARY)

PROVINCIAL_ADMIN_GROUP = "Provincial administrators"
# Apps whose admin-site rights a provincial administrator holds (axes: unlocking logins;
# pghistory: the province-wide change history; django_tasks_database: background tasks;
# api: the client systems' tokens).
ADMIN_SITE_APPS = (
    "personnel",
    "payroll",
    "insurance",
    "auth",
    "axes",
    "pghistory",
    "django_tasks_database",
    "api",
)


class Role(models.TextChoices):
    PROVINCIAL_ADMIN = "admin", _("Provincial administrator")
    HR_CLERK = "clerk", _("HR clerk")
    UNIT_HEAD = "head", _("Unit head")
    STAFF = "staff", _("Staff member")


# What each unit-scoped role may do on the units it is granted (and their subtrees). The clerk
# prepares salary decisions, the head approves them: nobody does both.
ROLE_PERMISSIONS = {
    Role.HR_CLERK: (VIEW_STAFF, CHANGE_STAFF, EXPORT_STAFF, VIEW_SENSITIVE),
    Role.UNIT_HEAD: (VIEW_STAFF, EXPORT_STAFF, APPROVE_SALARY),
}

_CACHE_ATTR = "_hrms_granted_paths"


def has_global_permission(user, perm: str) -> bool:
    """True when ``user`` holds ``perm`` on every unit (superuser or provincial administrator)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.has_perm(f"personnel.{perm}")


def granted_paths(user, perm: str) -> list[str] | None:
    """Tree paths of the units on which ``user`` holds ``perm``; ``None`` means every unit.

    One query per user (all permissions at once), remembered on the user object for the
    request. Paths lying under another granted path are dropped, since the subtree already
    covers them.
    """
    if not (user.is_authenticated and user.is_active):
        return []
    if has_global_permission(user, perm):
        return None
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = _load_grants(user)
        setattr(user, _CACHE_ATTR, cache)
    return cache.get(perm, [])


def _load_grants(user) -> dict[str, list[str]]:
    """Every unit permission of ``user`` (own and through groups) in one query."""
    direct = OrgUnitUserPermission.objects.filter(
        user=user, permission__content_type__app_label="personnel"
    ).values_list("permission__codename", "content_object__path")
    via_groups = OrgUnitGroupPermission.objects.filter(
        group__user=user, permission__content_type__app_label="personnel"
    ).values_list("permission__codename", "content_object__path")
    paths: dict[str, set[str]] = {}
    for codename, path in direct.union(via_groups):
        paths.setdefault(codename, set()).add(path)
    return {codename: _outermost(sorted(found)) for codename, found in paths.items()}


def _outermost(sorted_paths: list[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted_paths:
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def visible_units(user, perm: str = VIEW_STAFF) -> QuerySet[OrgUnit]:
    """Units on which ``user`` holds ``perm``: every granted unit and everything under it."""
    paths = granted_paths(user, perm)
    if paths is None:
        return OrgUnit.objects.all()
    if not paths:
        return OrgUnit.objects.none()
    return OrgUnit.objects.under(*paths)


def scope_label(user, perm: str = EXPORT_STAFF) -> str:
    """The names of the units ``user`` holds ``perm`` on (their top units), for the title of a
    list that covers the whole scope; the province's top units for a global holder."""
    paths = granted_paths(user, perm)
    units = (
        OrgUnit.objects.filter(depth=1) if paths is None else OrgUnit.objects.filter(path__in=paths)
    )
    return ", ".join(units.order_by("path").values_list("name", flat=True)[:3])


def staff_scope(user, perm: str = VIEW_STAFF) -> Q:
    """The condition selecting the staff records on which ``user`` holds ``perm``.

    It filters on the indexed unit column; for viewing, a user's own record is always
    included (staff see their own dossier).
    """
    paths = granted_paths(user, perm)
    if paths is None:
        return Q()
    own = _own_record_outside(user, paths) if perm == VIEW_STAFF else None
    if not paths:
        return Q(pk=own.pk) if own else Q(pk__in=[])
    in_units = Q(unit__in=OrgUnit.objects.under(*paths).values("id"))
    # An OR with the own record would stop PostgreSQL from using the unit index, so it is
    # added only when the own record lies outside the granted units.
    return in_units | Q(pk=own.pk) if own else in_units


def visible_staff(user, perm: str = VIEW_STAFF) -> QuerySet[Staff]:
    """Staff records on which ``user`` holds ``perm`` (see ``staff_scope``)."""
    return Staff.objects.filter(staff_scope(user, perm))


def _own_record_outside(user, paths: list[str]) -> Staff | None:
    """The user's own staff record when no granted path already covers it."""
    if not user.is_authenticated:
        return None
    try:
        own = user.staff
    except Staff.DoesNotExist:
        return None
    unit_path = OrgUnit.objects.filter(pk=own.unit_id).values_list("path", flat=True).first()
    if unit_path is not None and any(unit_path.startswith(path) for path in paths):
        return None
    return own


def unit_in_scope(user, perm: str, unit: OrgUnit) -> bool:
    """Whether ``user`` holds ``perm`` on ``unit`` (directly or through an ancestor)."""
    paths = granted_paths(user, perm)
    return paths is None or any(unit.path.startswith(path) for path in paths)


def staff_in_scope(user, perm: str, staff: Staff) -> bool:
    """Whether ``user`` holds ``perm`` on ``staff`` (own record counts for viewing only)."""
    if perm == VIEW_STAFF and staff.user_id is not None and staff.user_id == user.pk:
        return True
    return unit_in_scope(user, perm, staff.unit)


def unit_or_404(user, pk, perm: str = VIEW_STAFF) -> OrgUnit:
    """The unit ``pk`` if ``user`` holds ``perm`` on it; 404 when missing or out of scope."""
    unit = visible_units(user, perm).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


def staff_or_404(user, pk, perm: str = VIEW_STAFF, queryset: QuerySet | None = None) -> Staff:
    """The staff record ``pk`` if ``user`` holds ``perm`` on it; 404 if missing or out of scope.

    ``queryset`` may add select_related/prefetch_related for the page that needs the record.
    """
    base = queryset if queryset is not None else Staff.objects.all()
    staff = base.filter(staff_scope(user, perm), pk=pk).first()
    if staff is None:
        raise Http404
    return staff


# --- The user's own record ---------------------------------------------------------------


def own_staff_id(user) -> int | None:
    """The id of the staff record linked to ``user``'s login, if any (cached per request)."""
    if not (user.is_authenticated and user.is_active):
        return None
    try:
        return user.staff.pk  # Django caches the reverse relation (and its absence) on user
    except Staff.DoesNotExist:
        return None


def is_own_record(user, staff: Staff) -> bool:
    """Whether ``staff`` is the record of the signed-in ``user``."""
    return staff.user_id is not None and staff.user_id == user.pk


# --- What a user may do somewhere (navigation, list pages) ---------------------------------


def holds_anywhere(user, perm: str) -> bool:
    """Whether ``user`` holds ``perm`` on at least one unit (or province-wide)."""
    return granted_paths(user, perm) != []


def province_wide(user, perm: str) -> bool:
    """Whether ``user`` holds ``perm`` on every unit (provincial administrator)."""
    return granted_paths(user, perm) is None


def may_browse_units(user) -> bool:
    """Units, staff lists and due lists: for whoever may view staff of some unit."""
    return holds_anywhere(user, VIEW_STAFF)


def may_export_any(user) -> bool:
    """Exports (lists, dossiers in bulk): for whoever may export staff of some unit."""
    return holds_anywhere(user, EXPORT_STAFF)


def may_edit_any(user) -> bool:
    """Creating records and preparing salary decisions: the change permission somewhere."""
    return holds_anywhere(user, CHANGE_STAFF)


def may_approve_any(user) -> bool:
    """The approval screens: the salary-approval permission somewhere."""
    return holds_anywhere(user, APPROVE_SALARY)


# --- What a user may do with one record ---------------------------------------------------


def may_view(user, staff: Staff) -> bool:
    """Viewing a record: the view permission on its unit, or one's own record."""
    return staff_in_scope(user, VIEW_STAFF, staff)


def may_see_sensitive(user, staff: Staff) -> bool:
    """Sensitive items: the person themself, or a holder of the sensitive-data permission."""
    if is_own_record(user, staff):
        return True
    return staff_in_scope(user, VIEW_SENSITIVE, staff)


def may_edit(user, staff: Staff) -> bool:
    """Editing a dossier: the change permission on its unit, and never one's own record."""
    if is_own_record(user, staff):
        return False
    return staff_in_scope(user, CHANGE_STAFF, staff)


def may_edit_sensitive(user, staff: Staff) -> bool:
    """Editing sensitive sections: may edit the record and holds the sensitive-data permission."""
    return may_edit(user, staff) and staff_in_scope(user, VIEW_SENSITIVE, staff)


def may_export(user, staff: Staff) -> bool:
    """Exporting a record (lists, bulk dossiers): the export permission on its unit."""
    return staff_in_scope(user, EXPORT_STAFF, staff)


def may_prepare_salary(user, staff: Staff) -> bool:
    """Preparing a salary decision: the change permission, never about oneself."""
    return may_edit(user, staff)


def may_approve_salary(user, staff: Staff) -> bool:
    """Approving or rejecting a salary decision: the approval permission, never about oneself
    (the preparer is excluded per decision by ``four_eyes_refusal``)."""
    if is_own_record(user, staff):
        return False
    return staff_in_scope(user, APPROVE_SALARY, staff)


# --- Change requests and scanned documents ------------------------------------------------

# The sections a staff member may propose corrections to from their own record.
SELF_SERVICE_SECTIONS = ("residence", "family", "training", "certificates")


def may_request_change(user, staff: Staff, section: str | None = None) -> bool:
    """Proposing a correction: only to one's own record, only in the self-service sections
    and those other apps register (payroll's dependants; docs/rules.md §10.8)."""
    from personnel.request_sections import registered_section

    return is_own_record(user, staff) and (
        section is None
        or section in SELF_SERVICE_SECTIONS
        or registered_section(section) is not None
    )


def may_decide_change_request(user, staff: Staff) -> bool:
    """Approving or rejecting a change request: a clerk of the person's unit (the change
    permission), never about oneself (``four_eyes_refusal`` says so per request)."""
    return may_edit(user, staff)


def may_view_document(user, staff: Staff) -> bool:
    """A scanned document: whoever may view the record (the person themself included)."""
    return may_view(user, staff)


def may_attach_document(user, staff: Staff) -> bool:
    """Attaching scans to dossier rows and salary decisions: like editing the dossier."""
    return may_edit(user, staff)


def change_requests_to_decide(user) -> QuerySet:
    """Pending change requests about records ``user`` may edit (never their own)."""
    from personnel.models import ChangeRequest

    pending = ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING)
    paths = granted_paths(user, CHANGE_STAFF)
    if paths is not None:
        if not paths:
            return pending.none()
        pending = pending.filter(staff__unit__in=OrgUnit.objects.under(*paths).values("id"))
    own = own_staff_id(user)
    return pending.exclude(staff_id=own) if own is not None else pending


def users_holding(perm: str, unit: OrgUnit) -> list:
    """The active users holding ``perm`` on ``unit`` through a grant on it or an ancestor
    (directly or through a group); provincial administrators are not listed."""
    from django.contrib.auth import get_user_model

    ancestors = [unit.path[:end] for end in range(OrgUnit.steplen, len(unit.path) + 1,
                                                   OrgUnit.steplen)]  # fmt: skip
    direct = OrgUnitUserPermission.objects.filter(
        permission__codename=perm, content_object__path__in=ancestors
    ).values("user_id")
    via_groups = OrgUnitGroupPermission.objects.filter(
        permission__codename=perm, content_object__path__in=ancestors
    ).values("group_id")
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(pk__in=direct) | Q(groups__in=via_groups))
        .distinct()
        .order_by("pk")
    )


# --- Payroll: runs of a unit that keeps its payroll, payslips of a person ------------------


def may_view_payroll(user, unit: OrgUnit) -> bool:
    """Seeing a unit's payroll runs and payslips: the view permission on the unit."""
    return unit_in_scope(user, VIEW_STAFF, unit)


def may_compute_payroll(user, unit: OrgUnit) -> bool:
    """Opening and computing a unit's payroll (the clerk): the change permission on the unit."""
    return unit_in_scope(user, CHANGE_STAFF, unit)


def may_approve_payroll(user, unit: OrgUnit) -> bool:
    """Approving, returning and locking a unit's payroll: the approval permission on the unit
    (who computed it, or whom it pays, is refused per run by ``four_eyes_refusal``)."""
    return unit_in_scope(user, APPROVE_SALARY, unit)


def may_export_payroll(user, unit: OrgUnit) -> bool:
    """The register, the bank transfer list and bulk payslips: the export permission."""
    return unit_in_scope(user, EXPORT_STAFF, unit)


def may_view_payslip(user, staff: Staff) -> bool:
    """A person's payslips: the person themself, or whoever may view their record."""
    return may_view(user, staff)


def may_edit_pay_inputs(user, staff: Staff) -> bool:
    """A person's allowances, dependants, union membership and bank account: like editing the
    dossier (the change permission, never one's own)."""
    return may_edit(user, staff)


def payroll_units_visible(user) -> QuerySet[OrgUnit]:
    """Current units that keep their own payroll and whose payroll ``user`` may view."""
    return visible_units(user).filter(valid_to__isnull=True, keeps_payroll=True)


# --- Insurance: a unit's monthly reports, a person's insurance record ----------------------


def may_browse_insurance(user) -> bool:
    """The monthly insurance page: for whoever may view staff of some unit."""
    return holds_anywhere(user, VIEW_STAFF)


def may_view_insurance(user, unit: OrgUnit) -> bool:
    """A unit's participants, register, changes and reconciliation: the view permission."""
    return unit_in_scope(user, VIEW_STAFF, unit)


def may_export_insurance(user, unit: OrgUnit) -> bool:
    """The D02-LT change list, the register and the summary as files: the export permission."""
    return unit_in_scope(user, EXPORT_STAFF, unit)


def may_manage_insurance(user, unit: OrgUnit) -> bool:
    """Importing the office's statement and the unit's insurance-office registration (the
    clerk): the change permission on the unit."""
    return unit_in_scope(user, CHANGE_STAFF, unit)


def may_view_insurance_record(user, staff: Staff) -> bool:
    """A person's insurance history: the person themself, or whoever may view their record."""
    return may_view(user, staff)


def may_edit_insurance_record(user, staff: Staff) -> bool:
    """A person's card, hospital, insurance book and absences: like editing the dossier (the
    change permission, never one's own)."""
    return may_edit(user, staff)


def insurance_units_visible(user, perm: str = VIEW_STAFF) -> QuerySet[OrgUnit]:
    """Current units whose insurance reports ``user`` may see (or export, with ``perm``)."""
    return visible_units(user, perm).filter(valid_to__isnull=True)


# --- Revealing sensitive items ------------------------------------------------------------

REVEAL_SECONDS = 15 * 60
_REVEALED = "hrms_revealed"


def reveal_open(session, staff: Staff, *, now: float | None = None) -> bool:
    """Whether a reveal of ``staff``'s sensitive items is still open in this session."""
    stamp = session.get(_REVEALED, {}).get(str(staff.pk))
    current = time.time() if now is None else now
    return stamp is not None and current - stamp < REVEAL_SECONDS


def reveal_start(session, staff: Staff) -> None:
    """Open a reveal window of ``REVEAL_SECONDS`` for ``staff`` (the caller logs it)."""
    revealed = session.get(_REVEALED, {})
    revealed[str(staff.pk)] = time.time()
    session[_REVEALED] = revealed


@dataclass(frozen=True)
class RecordCapabilities:
    """What the signed-in user may do with one record, for views and templates."""

    own: bool
    edit: bool
    edit_sensitive: bool
    see_sensitive: bool
    revealed: bool  # sensitive items are shown now (own record, or a reveal is open)
    export: bool
    prepare_salary: bool

    @property
    def may_reveal(self) -> bool:
        return self.see_sensitive and not self.revealed


def record_capabilities(request, staff: Staff) -> RecordCapabilities:
    """Every capability of ``request.user`` on ``staff`` at once."""
    user = request.user
    own = is_own_record(user, staff)
    see_sensitive = may_see_sensitive(user, staff)
    edit = may_edit(user, staff)
    return RecordCapabilities(
        own=own,
        edit=edit,
        edit_sensitive=edit and staff_in_scope(user, VIEW_SENSITIVE, staff),
        see_sensitive=see_sensitive,
        revealed=see_sensitive and (own or reveal_open(request.session, staff)),
        export=may_export(user, staff),
        prepare_salary=edit,
    )


# --- Four eyes ----------------------------------------------------------------------------


class Act(models.TextChoices):
    """What someone does to a decision (salary decision, payroll run, change request)."""

    PREPARE = "prepare", _("prepare")
    EDIT = "edit", _("edit")
    APPROVE = "approve", _("approve")
    REJECT = "reject", _("reject")


def four_eyes_refusal(
    *, actor, act: str, concerns: Iterable[int], prepared_by_id: int | None = None
) -> str | None:
    """Why ``actor`` may not ``act`` on a decision about the staff records ``concerns``, or
    None when they may. Nobody prepares, edits, approves or rejects a decision about
    themselves, whatever their role (the provincial administrator included); the person who
    prepared a decision never approves it. Used for salary decisions, payroll runs and change
    requests alike (docs/rules.md §10)."""
    own = own_staff_id(actor)
    if own is not None and own in set(concerns):
        return _(
            "Nobody may %(act)s a decision about themselves: another authorised person must do it."
        ) % {"act": Act(act).label}
    if act == Act.APPROVE and prepared_by_id is not None and prepared_by_id == actor.pk:
        return _("You prepared this; another authorised person must approve it.")
    return None


def describe_grants(codenames) -> str:
    """Rights as an administrator reads them: a role's name when the permissions are exactly
    a role's, otherwise each permission's name ("—" for none)."""
    held = set(codenames)
    if not held:
        return "—"
    names = []
    if f"group:{PROVINCIAL_ADMIN_GROUP}" in held:
        names.append(str(Role.PROVINCIAL_ADMIN.label))
        held.discard(f"group:{PROVINCIAL_ADMIN_GROUP}")
    for role, perms in ROLE_PERMISSIONS.items():
        if set(perms) <= held:
            names.append(str(role.label))
            held -= set(perms)
    labels = dict(OrgUnit._meta.permissions)
    names.extend(str(labels.get(name, name)) for name in sorted(held))
    return ", ".join(names)


def can_use_admin_site(user) -> bool:
    """The administration site is for provincial administrators (and superusers) only."""
    return user.is_active and user.is_staff


def roles_of(user) -> list[tuple[str, OrgUnit | None]]:
    """The roles ``user`` holds, each with the unit it is granted on (None for province-wide)."""
    roles: list[tuple[str, OrgUnit | None]] = []
    if not user.is_authenticated:
        return roles
    if has_global_permission(user, CHANGE_STAFF):
        roles.append((Role.PROVINCIAL_ADMIN, None))
    grants: dict[int, set[str]] = {}
    units: dict[int, OrgUnit] = {}
    for grant in OrgUnitUserPermission.objects.filter(user=user).select_related(
        "permission", "content_object"
    ):
        grants.setdefault(grant.content_object_id, set()).add(grant.permission.codename)
        units[grant.content_object_id] = grant.content_object
    for unit_id, codenames in grants.items():
        role = Role.HR_CLERK if CHANGE_STAFF in codenames else Role.UNIT_HEAD
        roles.append((role, units[unit_id]))
    if getattr(user, "staff", None) is not None:
        roles.append((Role.STAFF, None))
    return roles
