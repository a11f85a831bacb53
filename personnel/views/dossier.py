"""The staff page: the whole dossier, editing per section, revealing sensitive items, history,
photo, new records and employment movements.

Access is decided by ``personnel.permissions``; every view, reveal and export is written to the
access log; every write goes through ``personnel.services``.
"""

import io
import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from personnel import permissions, selectors, services
from personnel.exporters.dossier_pdf import DossierPDF
from personnel.forms import (
    PhotoForm,
    StaffCreateForm,
    StatusChangeForm,
    TransferForm,
    VersionForm,
    section_form_class,
    section_formset_class,
)
from personnel.models import AccessLogEntry, Movement, Staff
from personnel.people import display_name
from personnel.presentation import (
    dossier_queryset,
    dossier_sections,
    sensitive_items_elsewhere,
    staff_history,
)
from personnel.rules.movements import allowed_movements
from personnel.salary_source import salary_history
from personnel.sections import SECTIONS_BY_KEY, SENSITIVE_FIELDS, visible_fields


def _detail_url(staff: Staff, anchor: str = "") -> str:
    url = reverse("personnel:staff_detail", args=[staff.pk])
    return f"{url}#{anchor}" if anchor else url


SECTION_TAG = "section-"


def _section_tag(key: str) -> str:
    """The message tag that places a message inside the section it is about, so the page's
    jump to that section keeps the message (and any warning) in sight."""
    return f"{SECTION_TAG}{key}"


def _messages_by_section(request) -> tuple[dict[str, list], list]:
    """The pending messages, split into those placed in a section and the others."""
    placed: dict[str, list] = {}
    others = []
    for message in messages.get_messages(request):
        tags = message.extra_tags.split()
        key = next((t.removeprefix(SECTION_TAG) for t in tags if t.startswith(SECTION_TAG)), None)
        if key is None:
            others.append(message)
        else:
            placed.setdefault(key, []).append(message)
    return placed, others


@require_GET
def staff_detail(request, pk: int):
    """Every section of the dossier; sensitive items masked until revealed."""
    staff = permissions.staff_or_404(request.user, pk, queryset=dossier_queryset())
    caps = permissions.record_capabilities(request, staff)
    services.access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.VIEW,
        staff=staff,
        request=request,
        detail={"sensitive_shown": caps.revealed},
    )
    placed, others = _messages_by_section(request)
    return render(
        request,
        "personnel/staff_detail.html",
        {
            "placed_messages": placed,
            "other_messages": others,
            "staff": staff,
            "sections": dossier_sections(
                staff=staff, may_see_sensitive=caps.see_sensitive, revealed=caps.revealed
            ),
            "caps": caps,
            "own": caps.own,
            "may_edit": caps.edit,
            "may_reveal": caps.may_reveal,
            "revealed": caps.revealed,
            "movements": staff.movements.select_related("from_unit", "to_unit")[:20],
            "salary_history": salary_history(staff.pk),
            "movements_allowed": [Movement.Kind(kind) for kind in allowed_movements(staff.status)],
            "active_nav": "me" if caps.own else "staff",
            "self_service": permissions.SELF_SERVICE_SECTIONS if caps.own else (),
        },
    )


@require_POST
def staff_reveal(request, pk: int):
    """Show the sensitive items of a record for a while; the reveal is logged."""
    staff = permissions.staff_or_404(request.user, pk)
    if not permissions.may_see_sensitive(request.user, staff):
        raise PermissionDenied
    services.access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.REVEAL_SENSITIVE,
        staff=staff,
        request=request,
        detail={"items": sorted(SENSITIVE_FIELDS) + ["disciplines", *sensitive_items_elsewhere()]},
    )
    permissions.reveal_start(request.session, staff)
    return redirect(_detail_url(staff, request.POST.get("section", "")))


@require_GET
def staff_history_view(request, pk: int):
    """Every change to the record and its tables: who, when, field, before, after."""
    staff = permissions.staff_or_404(request.user, pk)
    caps = permissions.record_capabilities(request, staff)
    services.access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.VIEW_HISTORY,
        staff=staff,
        request=request,
    )
    return render(
        request,
        "personnel/staff_history.html",
        {
            "staff": staff,
            "entries": staff_history(staff=staff, may_see_sensitive=caps.revealed),
            "may_reveal": caps.may_reveal,
            "active_nav": "me" if caps.own else "staff",
        },
    )


def _editable_staff(request, pk: int) -> Staff:
    staff = permissions.staff_or_404(
        request.user, pk, queryset=Staff.objects.select_related("unit")
    )
    if not permissions.may_edit(request.user, staff):
        raise PermissionDenied
    return staff


@require_http_methods(["GET", "POST"])
def staff_section_edit(request, pk: int, section: str):
    """Edit one section: a group of fields, or one table with its rows inline."""
    spec = SECTIONS_BY_KEY.get(section)
    if spec is None or not spec.editable:
        raise Http404
    staff = _editable_staff(request, pk)
    sensitive_allowed = permissions.may_edit_sensitive(request.user, staff)
    if spec.sensitive and not sensitive_allowed:
        raise PermissionDenied
    if spec.is_table:
        if request.method == "GET" and spec.sensitive:
            services.access_log_record(
                user=request.user,
                action=AccessLogEntry.Action.REVEAL_SENSITIVE,
                staff=staff,
                request=request,
                detail={"items": [spec.key], "for": "edit"},
            )
        return _edit_rows(request, staff, spec)
    fields = visible_fields(spec, sensitive_allowed=sensitive_allowed)
    form_class = section_form_class(spec, fields)
    if request.method == "GET" and SENSITIVE_FIELDS & set(fields):
        services.access_log_record(
            user=request.user,
            action=AccessLogEntry.Action.REVEAL_SENSITIVE,
            staff=staff,
            request=request,
            detail={"items": sorted(SENSITIVE_FIELDS & set(fields)), "for": "edit"},
        )
    form = form_class(request.POST or None, instance=staff, user=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in fields}
        try:
            services.staff_update(
                staff_id=staff.pk,
                expected_version=form.cleaned_data["version"],
                changes=changes,
                actor=request.user,
                reason=str(spec.title),
            )
        except services.EditConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            tag = _section_tag(spec.key)
            messages.success(
                request, _("Saved: %(section)s.") % {"section": spec.title}, extra_tags=tag
            )
            for warning in form.warnings:
                messages.warning(request, warning, extra_tags=tag)
            return redirect(_detail_url(staff, spec.key))
    return render(
        request,
        "personnel/staff_section_form.html",
        {"staff": staff, "section": spec, "form": form, "active_nav": "staff"},
    )


def _edit_rows(request, staff: Staff, spec):
    formset_class = section_formset_class(spec)
    formset = formset_class(request.POST or None, instance=staff, prefix="rows")
    version = VersionForm(request.POST or None, initial={"version": staff.version})
    if request.method == "POST" and formset.is_valid() and version.is_valid():
        saved = formset.save(commit=False)
        for index, form in enumerate(formset.forms):
            if form.instance in saved and not form.instance.pk:
                form.instance.row_order = index
        try:
            services.staff_rows_save(
                staff_id=staff.pk,
                expected_version=version.cleaned_data["version"],
                saved=saved,
                deleted=formset.deleted_objects,
                actor=request.user,
                reason=str(spec.title),
            )
        except services.EditConflict as conflict:
            version.add_error(None, str(conflict))
        else:
            messages.success(
                request,
                _("Saved: %(section)s.") % {"section": spec.title},
                extra_tags=_section_tag(spec.key),
            )
            return redirect(_detail_url(staff, spec.key))
    return render(
        request,
        "personnel/staff_rows_form.html",
        {
            "staff": staff,
            "section": spec,
            "formset": formset,
            "version": version,
            "active_nav": "staff",
        },
    )


@require_GET
def staff_photo(request, pk: int):
    """The record's photo, to whoever may view the record."""
    staff = permissions.staff_or_404(request.user, pk)
    if not staff.photo:
        raise Http404
    services.access_log_record(
        user=request.user, action=AccessLogEntry.Action.VIEW_PHOTO, staff=staff, request=request
    )
    content_type = mimetypes.guess_type(staff.photo.name)[0] or "application/octet-stream"
    response = FileResponse(staff.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
def staff_photo_edit(request, pk: int):
    """Replace the photo (JPEG or PNG, at most 2 MB)."""
    staff = _editable_staff(request, pk)
    form = PhotoForm(request.POST, request.FILES, instance=staff)
    if form.is_valid():
        try:
            services.staff_update(
                staff_id=staff.pk,
                expected_version=form.cleaned_data["version"],
                changes={"photo": form.cleaned_data["photo"]},
                actor=request.user,
                reason=_("Photo"),
            )
        except services.EditConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(
                request, _("The photo was saved."), extra_tags=_section_tag("identity")
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(
                    request,
                    _("Photo: %(error)s") % {"error": error},
                    extra_tags=_section_tag("identity"),
                )
    return redirect(_detail_url(staff, "identity"))


@require_http_methods(["GET", "POST"])
def staff_create(request):
    """A new record in one of the units the user may edit."""
    units = permissions.visible_units(request.user, permissions.CHANGE_STAFF).filter(
        valid_to__isnull=True
    )
    if not units.exists():
        raise Http404
    form = StaffCreateForm(request.POST or None, units=units, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in StaffCreateForm.Meta.fields}
        try:
            staff = services.staff_create(
                unit=form.cleaned_data["unit"], values=values, actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The record of %(name)s was created.") % {"name": staff.full_name}
            )
            for warning in form.warnings:
                messages.warning(request, warning)
            return redirect(_detail_url(staff))
    return render(request, "personnel/staff_create.html", {"form": form, "active_nav": "staff"})


@require_http_methods(["GET", "POST"])
def staff_movement(request, pk: int, kind: str):
    """Record a transfer, leave without pay, return, retirement, resignation or death."""
    if kind not in Movement.Kind.values:
        raise Http404
    staff = _editable_staff(request, pk)
    form_class = TransferForm if kind == Movement.Kind.TRANSFER else StatusChangeForm
    form = form_class(request.POST or None, initial={"version": staff.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if kind == Movement.Kind.TRANSFER:
                    services.staff_transfer(
                        staff_id=staff.pk,
                        expected_version=data["version"],
                        to_unit=data["to_unit"],
                        effective_date=data["effective_date"],
                        decision=data["decision"],
                        position=data["position"],
                        note=data["note"],
                        actor=request.user,
                    )
                else:
                    services.staff_status_change(
                        staff_id=staff.pk,
                        expected_version=data["version"],
                        kind=kind,
                        effective_date=data["effective_date"],
                        decision=data["decision"],
                        note=data["note"],
                        actor=request.user,
                    )
        except services.EditConflict as conflict:
            form.add_error(None, str(conflict))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            label = Movement.Kind(kind).label
            messages.success(
                request,
                _("Recorded: %(what)s.") % {"what": label},
                extra_tags=_section_tag("movements"),
            )
            staff = Staff.objects.select_related("unit").get(pk=staff.pk)
            if permissions.may_view(request.user, staff):
                return redirect(_detail_url(staff, "movements"))
            messages.info(
                request,
                _("The record now belongs to a unit outside your scope."),
            )
            return redirect("personnel:staff_list")
    return render(
        request,
        "personnel/staff_movement.html",
        {"staff": staff, "form": form, "kind": Movement.Kind(kind), "active_nav": "staff"},
    )


@require_GET
def my_record(request):
    """The signed-in user's own record."""
    staff = getattr(request.user, "staff", None)
    if staff is None:
        raise Http404
    return redirect("personnel:staff_detail", pk=staff.pk)


@require_GET
def staff_dossier_pdf(request, pk: int):
    """The dossier as a PDF (Mẫu 2C-BNV/2008 or HS02-VC); each download is logged. Sensitive
    items are withheld (a notice says so once) except on one's own record: a full copy is
    asked for explicitly (``staff_dossier_full_pdf``)."""
    staff = permissions.staff_or_404(request.user, pk, queryset=dossier_queryset())
    return _dossier_pdf(request, staff, full=permissions.is_own_record(request.user, staff))


@require_POST
def staff_dossier_full_pdf(request, pk: int):
    """A full copy of the dossier, sensitive items included, for whoever may reveal them: the
    access log records it as a reveal and as an export."""
    staff = permissions.staff_or_404(request.user, pk, queryset=dossier_queryset())
    if not permissions.may_see_sensitive(request.user, staff):
        raise PermissionDenied
    services.access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.REVEAL_SENSITIVE,
        staff=staff,
        request=request,
        detail={
            "items": sorted(SENSITIVE_FIELDS) + ["disciplines", *sensitive_items_elsewhere()],
            "copy": "pdf",
        },
    )
    return _dossier_pdf(request, staff, full=True)


def _dossier_pdf(request, staff: Staff, *, full: bool) -> FileResponse:
    content = DossierPDF(
        selectors.dossier_data(staff=staff),
        show_sensitive=full,
        extracted_by=display_name(request.user),
        extracted_at=timezone.localtime(),
    ).render()
    services.access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.EXPORT_DOSSIER,
        staff=staff,
        request=request,
        detail={"format": "pdf", "sensitive_shown": full},
    )
    name = "so-yeu-ly-lich-day-du" if full else "so-yeu-ly-lich"
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"{name}-{staff.staff_number}.pdf",
        content_type="application/pdf",
    )
