"""Writing (the clerks' scope): the screens' operations through the screens' forms (the same
validation, messages naming the field) and the same services (locking, optimistic version,
history with the actor).

A record the caller may not view answers 404; one they may view but not change (a unit head,
one's own record) answers 403, as on the screens. Nothing is written on any refusal.
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from api import serializers as shapes
from api.errors import Conflict, FieldErrors, form_errors, validation_errors
from api.views.base import ApiView
from payroll import services as payroll_services
from payroll.forms import SalaryRecordForm
from personnel import permissions, services
from personnel.forms import (
    StaffCreateForm,
    StatusChangeForm,
    TransferForm,
    section_form_class,
    section_formset_class,
)
from personnel.models import Movement, Rank, Staff
from personnel.sections import SECTIONS, SECTIONS_BY_KEY, visible_fields

ERRORS = {
    400: OpenApiResponse(shapes.ErrorSerializer, description="Bad input (messages per field)"),
    403: OpenApiResponse(shapes.ErrorSerializer, description="Visible but not changeable"),
    404: OpenApiResponse(shapes.ErrorSerializer, description="Missing or out of scope"),
}
SAVED = inline_serializer(
    "Saved",
    {
        "id": serializers.IntegerField(),
        "version": serializers.IntegerField(),
        "warnings": serializers.ListField(child=serializers.CharField()),
    },
)


def _body(request) -> dict:
    if not isinstance(request.data, dict):
        raise FieldErrors({"non_field_errors": [_("Send a JSON object.")]})
    return request.data


def _unknown(body: dict, allowed) -> None:
    extra = sorted(set(body) - set(allowed))
    if extra:
        raise FieldErrors({name: [_("This field cannot be written here.")] for name in extra})


def _form_data(form, names) -> dict:
    """What the screen would post for ``names``: the record's current values."""
    return {name: form[name].value() for name in names}


def _json_input(value):
    return "" if value is None else value


def _codes_to_ids(model, values: dict) -> dict:
    """Reference rows (ethnicity, religion, discipline form, rating level) are read as their
    code: a code sent back is turned into the id the screen's form expects."""
    values = dict(values)
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # version, DELETE…
            continue
        related = field.related_model if field.is_relation else None
        if related is None or not isinstance(value, str) or value == "" or value.isdigit():
            continue
        if any(f.name == "code" for f in related._meta.fields):
            found = related._default_manager.filter(code=value).values_list("pk", flat=True)
            values[name] = found.first() if found else value
    return values


def _editable(request, pk: int) -> Staff:
    staff = permissions.staff_or_404(
        request.user, pk, queryset=Staff.objects.select_related("unit")
    )
    if not permissions.may_edit(request.user, staff):
        raise PermissionDenied(_("You may view this record but not change it."))
    return staff


SCALAR_SECTIONS = [section.key for section in SECTIONS if not section.is_table and section.editable]


class StaffSectionEdit(ApiView):
    @extend_schema(
        operation_id="staff_section_update",
        summary="Change fields of one section of the dossier (optimistic locking by version)",
        description="Send `version` (the record's, as read) and the fields to change; the "
        "others keep their values. Sections: " + ", ".join(SCALAR_SECTIONS) + ". A record "
        "saved by someone else since that version answers 409 and nothing is written.",
        request=inline_serializer(
            "SectionChange",
            {"version": serializers.IntegerField()},
        ),
        responses={200: SAVED, 409: shapes.ErrorSerializer, **ERRORS},
    )
    def patch(self, request, pk: int, section: str):
        spec = SECTIONS_BY_KEY.get(section)
        if spec is None or spec.is_table or not spec.editable:
            raise Http404
        staff = _editable(request, pk)
        self.logged_staff = staff
        sensitive_allowed = permissions.may_edit_sensitive(request.user, staff)
        if spec.sensitive and not sensitive_allowed:
            raise PermissionDenied(_("You may not change the sensitive items of this record."))
        fields = visible_fields(spec, sensitive_allowed=sensitive_allowed)
        body = _body(request)
        _unknown(body, {*fields, "version"})
        if "version" not in body:
            raise FieldErrors({"version": [_("Send the version of the record you read.")]})
        form_class = section_form_class(spec, fields)
        data = _form_data(form_class(instance=staff), fields)
        data.update(_codes_to_ids(Staff, {k: _json_input(v) for k, v in body.items()}))
        form = form_class(data=data, instance=staff, user=request.user)
        if not form.is_valid():
            raise FieldErrors(form_errors(form))
        try:
            saved = services.staff_update(
                staff_id=staff.pk,
                expected_version=form.cleaned_data["version"],
                changes={name: form.cleaned_data[name] for name in fields},
                actor=request.user,
                reason=str(spec.title),
            )
        except services.EditConflict as conflict:
            raise Conflict(str(conflict)) from conflict
        except ValidationError as error:
            raise FieldErrors(validation_errors(error, set(fields))) from error
        self.log_detail = {"section": spec.key, "fields": sorted(body.keys() - {"version"})}
        return Response({"id": saved.pk, "version": saved.version, "warnings": form.warnings})

    @extend_schema(
        operation_id="staff_section_rows_replace",
        summary="Replace the rows of one of the dossier's tables (training, family, awards…)",
        description="Send `version` and `rows`: every row to keep (with its `id`, changed or "
        "not) and new ones (without `id`); rows left out are deleted. Reference values "
        "(form of discipline, rating level) are given by their code. Tables: "
        + ", ".join(section.key for section in SECTIONS if section.is_table)
        + ".",
        request=inline_serializer(
            "SectionRows",
            {
                "version": serializers.IntegerField(),
                "rows": serializers.ListField(child=serializers.DictField()),
            },
        ),
        responses={200: SAVED, 409: shapes.ErrorSerializer, **ERRORS},
    )
    def put(self, request, pk: int, section: str):
        spec = SECTIONS_BY_KEY.get(section)
        if spec is None or not spec.is_table or not spec.editable:
            raise Http404
        staff = _editable(request, pk)
        self.logged_staff = staff
        if spec.sensitive and not permissions.may_edit_sensitive(request.user, staff):
            raise PermissionDenied(_("You may not change the sensitive items of this record."))
        body = _body(request)
        _unknown(body, {"version", "rows"})
        if "version" not in body:
            raise FieldErrors({"version": [_("Send the version of the record you read.")]})
        rows = body.get("rows")
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise FieldErrors({"rows": [_("Send the rows as a list of JSON objects.")]})
        formset_class = section_formset_class(spec)
        existing = list(formset_class(instance=staff, prefix="rows").get_queryset())
        known = {row.pk for row in existing}
        sent = {row["id"]: row for row in rows if row.get("id") is not None}
        if set(sent) - known:
            raise FieldErrors({"rows": [_("A row id that is not a row of this table was sent.")]})
        for row in rows:
            _unknown({k: v for k, v in row.items() if k != "id"}, spec.row_fields)
        data = {
            "rows-TOTAL_FORMS": str(len(existing) + len(rows) - len(sent)),
            "rows-INITIAL_FORMS": str(len(existing)),
            "rows-MIN_NUM_FORMS": "0",
            "rows-MAX_NUM_FORMS": "1000",
        }
        new_rows = [row for row in rows if row.get("id") is None]
        for index, row in enumerate([*existing, *new_rows]):
            if isinstance(row, dict):  # a new row
                values = dict.fromkeys(spec.row_fields, "")
                values.update(row)
            else:
                values = _form_data(formset_class.form(instance=row), spec.row_fields)
                values["id"] = row.pk
                if row.pk in sent:
                    values.update(sent[row.pk])
                else:
                    values["DELETE"] = "on"
            values = _codes_to_ids(spec.model, {k: _json_input(v) for k, v in values.items()})
            for name, value in values.items():
                data[f"rows-{index}-{name}"] = value
            data[f"rows-{index}-staff"] = staff.pk
        formset = formset_class(data, instance=staff, prefix="rows")
        if not formset.is_valid():
            errors = {"rows": list(formset.non_form_errors())} if formset.non_form_errors() else {}
            # Errors are named by the row's place in the request's list.
            place = {id(row): index for index, row in enumerate(rows)}
            for form, row in zip(formset.forms, [*existing, *new_rows], strict=True):
                if formset._should_delete_form(form) or not form.errors:
                    continue
                index = place[id(row)] if isinstance(row, dict) else place[id(sent[row.pk])]
                for name, messages in form.errors.items():
                    key = f"rows[{index}]" if name == "__all__" else f"rows[{index}].{name}"
                    errors[key] = list(messages)
            raise FieldErrors(errors)
        saved = formset.save(commit=False)
        for index, form in enumerate(formset.forms):
            if form.instance in saved and not form.instance.pk:
                form.instance.row_order = index
        try:
            result = services.staff_rows_save(
                staff_id=staff.pk,
                expected_version=body["version"],
                saved=saved,
                deleted=formset.deleted_objects,
                actor=request.user,
                reason=str(spec.title),
            )
        except services.EditConflict as conflict:
            raise Conflict(str(conflict)) from conflict
        except ValidationError as error:
            raise FieldErrors(validation_errors(error, set())) from error
        self.log_detail = {"section": spec.key, "rows": len(rows)}
        return Response({"id": result.pk, "version": result.version, "warnings": []})


MOVEMENT_FIELDS = ("kind", "version", "effective_date", "to_unit", "decision", "position", "note")


class StaffMovementCreate(ApiView):
    @extend_schema(
        operation_id="staff_movement_create",
        summary="Record a transfer, leave without pay, return, retirement, resignation or death",
        request=inline_serializer(
            "MovementInput",
            {
                "kind": serializers.ChoiceField(choices=Movement.Kind.values),
                "version": serializers.IntegerField(),
                "effective_date": serializers.DateField(),
                "to_unit": serializers.IntegerField(required=False, help_text="For a transfer"),
                "decision": serializers.CharField(required=False),
                "position": serializers.CharField(required=False, help_text="For a transfer"),
                "note": serializers.CharField(required=False),
            },
        ),
        responses={201: shapes.MovementSerializer, 409: shapes.ErrorSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        staff = _editable(request, pk)
        self.logged_staff = staff
        body = _body(request)
        _unknown(body, MOVEMENT_FIELDS)
        kind = body.get("kind")
        if kind not in Movement.Kind.values:
            raise FieldErrors(
                {"kind": [_("One of: %(choices)s.") % {"choices": ", ".join(Movement.Kind.values)}]}
            )
        transfer = kind == Movement.Kind.TRANSFER
        form_class = TransferForm if transfer else StatusChangeForm
        if not transfer:
            _unknown(body, set(MOVEMENT_FIELDS) - {"to_unit", "position"})
        form = form_class(
            data={name: _json_input(value) for name, value in body.items() if name != "kind"}
        )
        if not form.is_valid():
            raise FieldErrors(form_errors(form))
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if transfer:
                    movement = services.staff_transfer(
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
                    movement = services.staff_status_change(
                        staff_id=staff.pk,
                        expected_version=data["version"],
                        kind=kind,
                        effective_date=data["effective_date"],
                        decision=data["decision"],
                        note=data["note"],
                        actor=request.user,
                    )
        except services.EditConflict as conflict:
            raise Conflict(str(conflict)) from conflict
        except ValidationError as error:
            raise FieldErrors(validation_errors(error, set(MOVEMENT_FIELDS))) from error
        self.log_detail = {"movement": kind}
        return Response(shapes.MovementSerializer(movement).data, status=status.HTTP_201_CREATED)


SALARY_INPUT = tuple(SalaryRecordForm.Meta.fields)


class SalaryDraftCreate(ApiView):
    @extend_schema(
        operation_id="staff_salary_draft_create",
        summary="Prepare a salary decision (a draft: it changes nothing until approved)",
        description="`rank` is the rank's code (e.g. 01.003). For a promotion the step may be "
        "left out: it is worked out as on the screen.",
        request=inline_serializer(
            "SalaryDraftInput",
            {
                "kind": serializers.ChoiceField(choices=payroll_services.SalaryRecord.Kind.values),
                "effective_date": serializers.DateField(),
                "rank": serializers.CharField(),
                "step": serializers.IntegerField(required=False),
                **{
                    name: serializers.CharField(required=False)
                    for name in SALARY_INPUT
                    if name not in ("kind", "effective_date", "rank", "step")
                },
            },
        ),
        responses={201: SAVED, **ERRORS},
    )
    def post(self, request, pk: int):
        staff = permissions.staff_or_404(
            request.user, pk, queryset=Staff.objects.select_related("unit")
        )
        self.logged_staff = staff
        if not permissions.may_prepare_salary(request.user, staff):
            raise PermissionDenied(_("You may not prepare salary decisions for this record."))
        body = _body(request)
        _unknown(body, SALARY_INPUT)
        # What the screen's form would post for the fields left out: their defaults.
        data = _form_data(SalaryRecordForm(), SALARY_INPUT)
        data.update({name: _json_input(value) for name, value in body.items()})
        if data.get("rank") and "rank" in body:
            rank = Rank.objects.filter(code=str(data["rank"])).first()
            if rank is None:
                raise FieldErrors({"rank": [_("No rank has this code.")]})
            data["rank"] = rank.pk
        form = SalaryRecordForm(data=data)
        if not form.is_valid():
            raise FieldErrors(form_errors(form))
        values = {name: form.cleaned_data[name] for name in SALARY_INPUT}
        try:
            record = payroll_services.salary_draft_create(
                staff=staff, values=values, actor=request.user
            )
        except ValidationError as error:
            raise FieldErrors(validation_errors(error, set(SALARY_INPUT))) from error
        self.log_detail = {"salary_draft": record.pk}
        return Response(
            {"id": record.pk, "version": staff.version, "warnings": []},
            status=status.HTTP_201_CREATED,
        )


CREATE_FIELDS = ("unit", *StaffCreateForm.Meta.fields)


class StaffCreate(ApiView):
    """Mixed into the staff list's URL (POST)."""

    @extend_schema(
        operation_id="staff_create",
        summary="Create a staff record in a unit the caller may edit",
        request=inline_serializer(
            "StaffCreateInput",
            {
                "unit": serializers.IntegerField(),
                **{
                    name: serializers.CharField(required=name != "recruitment_date")
                    for name in StaffCreateForm.Meta.fields
                },
            },
        ),
        responses={201: SAVED, **ERRORS},
    )
    def post(self, request):
        units = permissions.visible_units(request.user, permissions.CHANGE_STAFF).filter(
            valid_to__isnull=True
        )
        if not permissions.may_edit_any(request.user):
            raise Http404
        body = _body(request)
        _unknown(body, CREATE_FIELDS)
        form = StaffCreateForm(
            data={name: _json_input(value) for name, value in body.items()},
            units=units,
            user=request.user,
        )
        if not form.is_valid():
            raise FieldErrors(form_errors(form))
        values = {name: form.cleaned_data[name] for name in StaffCreateForm.Meta.fields}
        try:
            staff = services.staff_create(
                unit=form.cleaned_data["unit"], values=values, actor=request.user
            )
        except ValidationError as error:
            raise FieldErrors(validation_errors(error, set(CREATE_FIELDS))) from error
        self.logged_staff = staff
        return Response(
            {"id": staff.pk, "version": staff.version, "warnings": form.warnings},
            status=status.HTTP_201_CREATED,
        )
