"""Self-service change requests, scanned documents and notifications.

A staff member proposes a correction from their own record; a clerk of the person's unit sees
the record's values and the proposal side by side, then approves (possibly after editing it)
or rejects with a reason. Scans are private files served only here, each opening logged.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseFormSet
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from personnel import permissions, services
from personnel.document_targets import other_targets
from personnel.forms import VersionForm
from personnel.models import AccessLogEntry, ChangeRequest, Document, Notification, Staff
from personnel.request_forms import (
    DocumentForm,
    NotificationSettingsForm,
    RejectForm,
    RequestNoteForm,
    comparison,
    current_values,
    is_table,
    proposal_form,
    proposal_valid,
    row_label,
    submitted_values,
    table_actions,
)
from personnel.request_sections import (
    ADD,
    END,
    REMOVE,
    RequestSection,
    fingerprint,
    registered_section,
    row_state,
    rows_of,
    section_title,
)
from personnel.sections import SECTIONS_BY_KEY
from personnel.services import requests as request_services

PAGE_SIZE = 50


def _self_service_section(key: str):
    """A dossier section open to self-service, or a section another app registered."""
    if key in permissions.SELF_SERVICE_SECTIONS:
        return SECTIONS_BY_KEY[key]
    registered = registered_section(key)
    if registered is None:
        raise Http404
    return registered


def _row_or_404(spec, staff: Staff, row_id: int | None):
    if row_id is None:
        return None
    row = rows_of(spec.key, staff).filter(pk=row_id).first()
    if row is None:
        raise Http404
    return row


@require_http_methods(["GET", "POST"])
def change_request_new(request, pk: int, section: str, row: int | None = None, action: str = ""):
    """Propose a correction to one section of one's own record, with scans: for a table, a row
    to add, or a correction, removal or end of one of its rows (docs/rules.md §10.8)."""
    spec = _self_service_section(section)
    staff = permissions.staff_or_404(request.user, pk)
    if not permissions.may_request_change(request.user, staff, spec.key):
        raise Http404
    table = is_table(spec)
    if table:
        action = action or ADD
        if action not in table_actions(spec) or (action == ADD) != (row is None):
            raise Http404
    elif row is not None or action:
        raise Http404
    target = _row_or_404(spec, staff, row)
    if action == END and not spec.may_end(target):
        raise Http404
    data = request.POST if request.method == "POST" else None
    previous = current_values(spec, staff)  # before the form's validation touches ``staff``
    form = proposal_form(spec, staff, user=request.user, action=action, row=target, data=data)
    note = RequestNoteForm(data, request.FILES if data is not None else None)
    if action == REMOVE:
        note.fields["note"].label = _("Reason for removing the row")
    if data is not None:
        form_ok = proposal_valid(spec, form, action=action, proposing=True)
        if form_ok and isinstance(spec, RequestSection) and spec.check is not None:
            problems = spec.check(staff=staff, action=action, row=target, values=form.cleaned_data)
            for name, problem in problems.items():
                form.add_error(name if name in form.fields else None, problem)
            form_ok = not problems
        if note.is_valid() and form_ok:
            try:
                change = request_services.change_request_create(
                    staff=staff,
                    section=spec.key,
                    proposed=submitted_values(spec, request.POST, action),
                    previous=previous,
                    note=note.cleaned_data["note"],
                    uploads=note.cleaned_data["scans"],
                    actor=request.user,
                    row_action=action,
                    row_id=target.pk if target is not None else None,
                )
            except ValidationError as error:
                note.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your request was sent to the personnel clerk. You will be told of the "
                      "decision."),
                )  # fmt: skip
                return redirect("personnel:change_request", pk=change.pk)
    rows = []
    if table and target is None:
        for item in rows_of(spec.key, staff):
            links = [
                (other, ChangeRequest.RowAction(other).label)
                for other in table_actions(spec)
                if other != ADD and (other != END or spec.may_end(item))
            ]
            rows.append((item, row_label(spec, item), links))
    return render(
        request,
        "personnel/change_request_form.html",
        {
            "staff": staff,
            "section": spec,
            "table": table,
            "action": action,
            "action_label": ChangeRequest.RowAction(action).label if action else "",
            "target": target,
            "target_label": row_label(spec, target) if target is not None else "",
            "rows": rows,
            "may_add": table and ADD in table_actions(spec),
            "form": form,
            "is_formset": isinstance(form, BaseFormSet),
            "note": note,
            "back": _section_back(spec, staff),
            "active_nav": "me",
        },
    )


def _section_back(spec, staff: Staff) -> str:
    """Where the section is shown: the dossier's section, or the proposal page of a
    registered section (its app shows the rows on pages personnel does not know)."""
    if isinstance(spec, RequestSection):
        if spec.page_url is not None:
            return spec.page_url(staff)
        return reverse("personnel:change_request_new", args=[staff.pk, spec.key])
    return reverse("personnel:staff_detail", args=[staff.pk]) + f"#{spec.key}"


def _requests_of(request):
    """The requests the list shows: one's own (``?mine=1``), or those one decides."""
    user = request.user
    mine = request.GET.get("mine") == "1" or not permissions.may_edit_any(user)
    if mine:
        if permissions.own_staff_id(user) is None:
            raise Http404
        return True, ChangeRequest.objects.filter(requested_by=user)
    return False, _decidable(user)


def _decidable(user):
    found = ChangeRequest.objects.all()
    paths = permissions.granted_paths(user, permissions.CHANGE_STAFF)
    if paths is not None:
        found = found.filter(staff__in=permissions.visible_staff(user, permissions.CHANGE_STAFF))
    own = permissions.own_staff_id(user)
    return found.exclude(staff_id=own) if own is not None else found


@require_GET
def change_request_list(request):
    """Change requests: the clerk's (pending first by default), or one's own."""
    mine, found = _requests_of(request)
    status = request.GET.get("status", "")
    if status in ChangeRequest.Status.values:
        found = found.filter(status=status)
    page = Paginator(
        found.select_related("staff", "staff__unit", "requested_by__staff").order_by(
            "-created_at", "-id"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    for item in page:
        item.section_title = section_title(item.section)
    return render(
        request,
        "personnel/change_request_list.html",
        {
            "page": page,
            "mine": mine,
            "status": status,
            "statuses": ChangeRequest.Status.choices,
            "active_nav": "me" if mine else "requests",
        },
    )


def _request_or_404(user, pk: int) -> ChangeRequest:
    """A request its requester or a clerk of the person's unit may open; others get 404."""
    change = (
        ChangeRequest.objects.select_related(
            "staff", "staff__unit", "requested_by__staff", "decided_by__staff"
        )  # fmt: skip
        .filter(pk=pk)
        .first()
    )
    if change is None:
        raise Http404
    if change.requested_by_id == user.pk or permissions.may_decide_change_request(
        user, change.staff
    ):
        return change
    raise Http404


def _request_spec(change: ChangeRequest):
    spec = SECTIONS_BY_KEY.get(change.section) or registered_section(change.section)
    if spec is None:  # a section whose app is no longer installed
        raise Http404
    return spec


@require_http_methods(["GET", "POST"])
def change_request_detail(request, pk: int):
    """One request: the record's values and the proposal side by side (for a row, field by
    field, with the row as it is now when it changed since), the scans; the clerk approves
    (after editing, if need be) or rejects with a reason. A row changed since the request was
    made is never overwritten unseen: the approval refuses it once (docs/rules.md §10.8)."""
    change = _request_or_404(request.user, pk)
    spec = _request_spec(change)
    staff = Staff.objects.select_related("unit").get(pk=change.staff_id)
    deciding = change.is_pending and permissions.may_decide_change_request(request.user, staff)
    refusal = (
        permissions.four_eyes_refusal(
            actor=request.user,
            act=permissions.Act.APPROVE,
            concerns=[staff.pk],
            prepared_by_id=change.requested_by_id,
        )
        if deciding
        else None
    )
    action = request.POST.get("action") if request.method == "POST" else None
    if action and not (deciding and refusal is None):
        raise Http404
    row_action = change.row_action or (ADD if is_table(spec) else "")
    target = None
    current = None
    if change.row_id is not None and change.is_pending:
        current = row_state(change.section, staff, change.row_id)
        target = rows_of(change.section, staff).filter(pk=change.row_id).first()
    row_gone = change.row_id is not None and change.is_pending and target is None
    row_seen = request.POST.get("row_seen") if action == "approve" else None
    row_seen = row_seen or fingerprint(change.row_before)
    data = request.POST if action == "approve" else None
    form = proposal_form(
        spec, staff, user=request.user, action=row_action, row=target,
        proposed=change.proposed, data=data,
    )  # fmt: skip
    uses_version = not isinstance(spec, RequestSection) and spec.is_table
    version = VersionForm(data, initial={"version": staff.version}) if uses_version else None
    reject = RejectForm(request.POST if action == "reject" else None)
    if action == "approve" and not row_gone:
        version_ok = version is None or version.is_valid()
        if proposal_valid(spec, form, action=row_action) and version_ok:
            try:
                _approve(change, spec, staff, form, version, row_action, row_seen, request)
            except services.EditConflict as conflict:
                messages.error(request, str(conflict))
            except request_services.StaleRequest as stale:
                messages.error(request, stale.messages[0])
                current = stale.current
                row_seen = fingerprint(stale.current)  # the clerk has now seen the row
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The request was approved and the record updated."))
                return redirect("personnel:change_request", pk=change.pk)
    elif action == "reject" and reject.is_valid():
        try:
            request_services.change_request_reject(
                change_request_id=change.pk,
                reason=reject.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The request was rejected; the requester is told."))
            return redirect("personnel:change_request", pk=change.pk)
    shown = change.applied if change.status == ChangeRequest.Status.APPROVED else change.proposed
    changed_since = current is not None and current != change.row_before
    rows = comparison(spec, form, change, shown, current if changed_since else None)
    return render(
        request,
        "personnel/change_request_detail.html",
        {
            "change": change,
            "staff": staff,
            "section": spec,
            "section_back": _section_back(spec, staff),
            "row_action": row_action,
            "rows": rows,
            "changed_since": changed_since,
            "row_gone": row_gone,
            "row_seen": row_seen,
            "documents": change.documents.all(),
            "deciding": deciding,
            "refusal": refusal,
            "form": form,
            "is_formset": isinstance(form, BaseFormSet),
            "version": version,
            "reject": reject,
            "mine": change.requested_by_id == request.user.pk,
            "active_nav": "me" if change.requested_by_id == request.user.pk else "requests",
        },
    )


def _approve(change, spec, staff, form, version, row_action, row_seen, request) -> None:
    """Apply the clerk's approval through the service: the section's rows, its fields, or the
    registered section's values."""
    common = {
        "change_request_id": change.pk,
        "applied": submitted_values(spec, request.POST, row_action),
        "actor": request.user,
        "row_seen": row_seen,
    }
    if isinstance(spec, RequestSection):
        request_services.change_request_approve(
            expected_version=staff.version, values=form.cleaned_data, **common
        )
    elif spec.is_table:
        saved, deleted = [], []
        if row_action == REMOVE:
            deleted = list(rows_of(spec.key, staff).filter(pk=change.row_id))
        else:
            saved = form.save(commit=False)[:1]  # nothing when the row already holds it
            for row in saved:
                if row.pk is None:
                    row.row_order = spec.model.objects.filter(staff=staff).count()
        request_services.change_request_approve(
            expected_version=version.cleaned_data["version"],
            saved_rows=saved,
            deleted_rows=deleted,
            **common,
        )
    else:
        fields = [name for name in form.fields if name != "version"]
        request_services.change_request_approve(
            expected_version=form.cleaned_data.get("version") or staff.version,
            changes={name: form.cleaned_data[name] for name in fields},
            **common,
        )


@require_POST
def change_request_withdraw(request, pk: int):
    """The requester takes back a request still awaiting a decision."""
    change = _request_or_404(request.user, pk)
    if change.requested_by_id != request.user.pk:
        raise Http404
    try:
        request_services.change_request_withdraw(change_request_id=change.pk, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The request was withdrawn."))
    return redirect("personnel:change_request", pk=change.pk)


# --- Scanned documents --------------------------------------------------------------------


@require_GET
def document_download(request, pk: int, document: int):
    """A scan, to whoever may view the record; each opening is written to the access log."""
    staff = permissions.staff_or_404(request.user, pk)
    found = Document.objects.filter(staff=staff, pk=document).first()
    if found is None or not permissions.may_view_document(request.user, staff):
        raise Http404
    services.access_log_record(
        user=request.user,
        action=AccessLogEntry.Action.DOCUMENT,
        staff=staff,
        request=request,
        detail={"document": found.pk, "kind": found.kind, "row": found.row_kind},
    )
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{found.kind}-{found.pk}.{found.extension}",
        content_type=found.content_type,
    )


def document_targets(staff: Staff) -> list[tuple[str, str]]:
    """The dossier rows a scan may be attached to ("training:12" → "Training: …")."""
    targets = []
    for key in ("training", "certificates", "family", "awards", "work_history"):
        spec = SECTIONS_BY_KEY[key]
        for row in spec.model.objects.filter(staff=staff):
            label = " · ".join(
                str(getattr(row, name)) for name in spec.row_fields[:3] if getattr(row, name)
            )
            targets.append((f"{key}:{row.pk}", f"{spec.title}: {label}"))
    return targets + other_targets(staff)


@require_http_methods(["GET", "POST"])
def document_list(request, pk: int):
    """The record's scans; a clerk attaches a new one to the record or one of its rows."""
    staff = permissions.staff_or_404(
        request.user, pk, queryset=Staff.objects.select_related("unit")
    )
    may_attach = permissions.may_attach_document(request.user, staff)
    form = None
    if may_attach:
        form = DocumentForm(
            request.POST or None, request.FILES or None, targets=document_targets(staff)
        )
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            row_kind, row_id = form.target()
            request_services.document_attach(
                staff=staff,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                row_kind=row_kind,
                row_id=row_id,
                actor=request.user,
            )
            messages.success(request, _("The scan was attached."))
            return redirect("personnel:documents", pk=staff.pk)
    documents = staff.documents.select_related("uploaded_by__staff")
    labels = dict(document_targets(staff)) if may_attach else {}
    for item in documents:
        item.target_label = labels.get(f"{item.row_kind}:{item.row_id}", "")
    return render(
        request,
        "personnel/documents.html",
        {
            "staff": staff,
            "documents": documents,
            "form": form,
            "active_nav": "me" if permissions.is_own_record(request.user, staff) else "staff",
        },
    )


# --- Notifications ------------------------------------------------------------------------


@require_GET
def notification_list(request):
    """One's notifications, newest first; opening the page marks them read."""
    page = Paginator(Notification.objects.filter(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unread = [item.pk for item in page if item.read_at is None]
    response = render(
        request,
        "personnel/notifications.html",
        {"page": page, "unread": set(unread), "active_nav": "notifications"},
    )
    if unread:
        request_services.notifications_mark_read(user=request.user, ids=unread)
    return response


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Which kinds of notification one wants, in the app and by e-mail."""
    kinds = Notification.Kind.choices
    current = {
        kind: request_services.notification_choice(request.user, kind) for kind, _label in kinds
    }
    form = NotificationSettingsForm(request.POST or None, kinds=kinds, current=current)
    if request.method == "POST" and form.is_valid():
        request_services.notification_settings_save(user=request.user, choices=form.choices())
        messages.success(request, _("Your notification settings were saved."))
        return redirect(reverse("personnel:notification_settings"))
    return render(
        request,
        "personnel/notification_settings.html",
        {"form": form, "has_email": bool(request.user.email), "active_nav": "notifications"},
    )
