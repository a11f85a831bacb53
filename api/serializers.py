"""The API's JSON shapes. Fields are listed explicitly (from the dossier's sections, never
``__all__``); the serializers describe the schema, and the hot paths (the staff list of an
incremental sync) write their dicts straight from ``values()`` rows through ``json_value``.

Dates are ISO 8601 (``yyyy-mm-dd``); partial dates of the form are ``yyyy``, ``yyyy-mm`` or
``yyyy-mm-dd``; amounts and coefficients are decimal strings; choices are their codes.
"""

import datetime
from decimal import Decimal

from django.db import models
from rest_framework import serializers

from hrms.lib.partial_dates import PartialDate, PartialDateField
from personnel.models import LineageEvent, Movement, OrgUnit, Staff
from personnel.sections import SECTIONS, SENSITIVE_FIELDS

# --- Values ----------------------------------------------------------------------------------


def json_value(value):
    """A stored value as JSON: ISO dates, partial dates as their ISO prefix, decimals as
    strings, related rows by their name."""
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or str(value)
    return str(value)


def schema_field(model_field: models.Field, **kwargs) -> serializers.Field:
    """A read-only serializer field describing ``model_field`` in the schema."""
    options = {"read_only": True, "allow_null": True, **kwargs}
    label = str(model_field.verbose_name)
    if isinstance(model_field, PartialDateField):
        return serializers.CharField(help_text=f"{label} (yyyy, yyyy-mm or yyyy-mm-dd)", **options)
    if model_field.choices:
        return serializers.ChoiceField(choices=model_field.choices, help_text=label, **options)
    if isinstance(model_field, models.DateTimeField):
        return serializers.DateTimeField(help_text=label, **options)
    if isinstance(model_field, models.DateField):
        return serializers.DateField(help_text=label, **options)
    if isinstance(model_field, models.BooleanField):
        options.pop("allow_null")
        return serializers.BooleanField(help_text=label, **options)
    if isinstance(model_field, models.IntegerField | models.AutoField):
        return serializers.IntegerField(help_text=label, **options)
    if isinstance(model_field, models.DecimalField):
        return serializers.DecimalField(
            max_digits=model_field.max_digits,
            decimal_places=model_field.decimal_places,
            help_text=label,
            **options,
        )
    if isinstance(model_field, models.ForeignKey):
        return serializers.CharField(help_text=f"{label} (name)", **options)
    return serializers.CharField(help_text=label, **options)


class RowSerializer(serializers.Serializer):
    """Turns a ``values()`` dict (or an object) into JSON with ``json_value``, field by
    field, without DRF's per-field machinery (a sync page has 1,000 records)."""

    def to_representation(self, instance):
        if isinstance(instance, dict):
            return {name: json_value(instance.get(name)) for name in self.fields}
        return {name: json_value(getattr(instance, name, None)) for name in self.fields}


# --- Org units -------------------------------------------------------------------------------

UNIT_FIELDS = (
    "id", "code", "name", "short_name", "level", "kind", "admin_code", "agency_code",
    "keeps_payroll", "valid_from", "valid_to", "legal_basis", "depth", "updated_at",
)  # fmt: skip


def _unit_fields() -> dict:
    fields = {name: schema_field(OrgUnit._meta.get_field(name)) for name in UNIT_FIELDS}
    fields["parent"] = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The unit directly above (its id)."
    )
    return fields


OrgUnitSerializer = type("OrgUnitSerializer", (RowSerializer,), _unit_fields())


class LineageEventSerializer(RowSerializer):
    kind = schema_field(LineageEvent._meta.get_field("kind"))
    effective_date = serializers.DateField(read_only=True)
    legal_basis = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    old_name = serializers.CharField(read_only=True)
    new_name = serializers.CharField(read_only=True)
    sources = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    results = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["sources"] = instance.source_ids
        data["results"] = instance.result_ids
        return data


class OrgUnitDetailSerializer(OrgUnitSerializer):
    lineage = LineageEventSerializer(many=True, read_only=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["lineage"] = LineageEventSerializer(instance.lineage, many=True).data
        return data


# --- Staff -----------------------------------------------------------------------------------

STAFF_HEADER = ("id", "staff_number", "category", "status", "status_since", "version")
_ALL_SECTION_FIELDS = tuple(name for section in SECTIONS for name in section.fields)
# The dossier's items everyone who may view the record sees, in the form's order.
STAFF_ITEMS = tuple(
    name
    for name in _ALL_SECTION_FIELDS
    if name not in SENSITIVE_FIELDS and name not in STAFF_HEADER
)
STAFF_SENSITIVE = tuple(name for name in _ALL_SECTION_FIELDS if name in SENSITIVE_FIELDS)
# What a list row reads from the database (values()), and the keys it is shown under.
STAFF_VALUES = (*STAFF_HEADER, *STAFF_ITEMS, "updated_at", "unit_id", "unit__code", "rank__code")
_RENAMED = {"unit_id": "unit", "unit__code": "unit_code", "rank__code": "rank"}


def _staff_fields(names) -> dict:
    return {name: schema_field(Staff._meta.get_field(name)) for name in names}


_KEYS = tuple(_RENAMED.get(name, name) for name in STAFF_VALUES)
_PLAIN = (str, int, bool, type(None))


def staff_row(values: dict) -> dict:
    """A list row (``values(*STAFF_VALUES)``) as JSON. Most values are text already: only the
    others go through ``json_value`` (a sync page has 1,000 rows of 60 values)."""
    return {
        key: value if type(value) in _PLAIN else json_value(value)
        for key, value in zip(_KEYS, (values[name] for name in STAFF_VALUES), strict=True)
    }


class _StaffBase(serializers.Serializer):
    def to_representation(self, instance):
        return staff_row(instance)


def _list_fields() -> dict:
    return {
        **_staff_fields(STAFF_HEADER),
        "unit": serializers.IntegerField(read_only=True),
        "unit_code": serializers.CharField(read_only=True),
        "rank": serializers.CharField(read_only=True, allow_null=True, help_text="Rank code"),
        **_staff_fields(STAFF_ITEMS),
        "updated_at": serializers.DateTimeField(read_only=True),
        "__doc__": "A staff record as lists and the sync show it: the dossier's items but the "
        "sensitive ones (docs/rules.md §10.1).",
    }


StaffSerializer = type("StaffSerializer", (_StaffBase,), _list_fields())


def _row_serializer(section) -> type[RowSerializer]:
    fields = {"id": serializers.IntegerField(read_only=True)}
    for name in section.row_fields:
        fields[name] = schema_field(section.model._meta.get_field(name))
    return type(f"{section.key.title().replace('_', '')}RowSerializer", (RowSerializer,), fields)


TABLE_SECTIONS = tuple(section for section in SECTIONS if section.is_table)
ROW_SERIALIZERS = {section.key: _row_serializer(section) for section in TABLE_SECTIONS}


class MovementSerializer(RowSerializer):
    id = serializers.IntegerField(read_only=True)
    kind = schema_field(Movement._meta.get_field("kind"))
    effective_date = serializers.DateField(read_only=True)
    decision = serializers.CharField(read_only=True)
    from_unit_id = serializers.IntegerField(read_only=True, allow_null=True)
    to_unit_id = serializers.IntegerField(read_only=True, allow_null=True)
    position = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)


def _detail_fields() -> dict:
    fields = {}
    fields.update(_staff_fields(STAFF_SENSITIVE))
    for section in TABLE_SECTIONS:
        fields[section.key] = ROW_SERIALIZERS[section.key](
            many=True, read_only=True, help_text=str(section.title)
        )
    fields["movements"] = MovementSerializer(many=True, read_only=True)
    fields["sensitive_shown"] = serializers.BooleanField(
        read_only=True,
        help_text="Whether the sensitive items are included (asked with ?sensitive=true, "
        "allowed, and logged as a reveal).",
    )
    return fields


StaffDetailSerializer = type("StaffDetailSerializer", (StaffSerializer,), _detail_fields())


class DepartureSerializer(serializers.Serializer):
    """A record that left the synced units (or the caller's scope) by a transfer."""

    staff = serializers.IntegerField(read_only=True)
    from_unit = serializers.IntegerField(read_only=True)
    to_unit = serializers.IntegerField(read_only=True, allow_null=True)
    effective_date = serializers.DateField(read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)


class RemovedDecisionSerializer(serializers.Serializer):
    """An approved salary decision taken out of the records (its import batch was undone)."""

    id = serializers.IntegerField(read_only=True, help_text="The decision's id in the feed.")
    staff_id = serializers.IntegerField(read_only=True)
    removed_at = serializers.DateTimeField(read_only=True)
    import_batch = serializers.UUIDField(read_only=True, allow_null=True)


# --- Errors ----------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every refusal: a message, and for bad input the messages of each field."""

    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per field (``non_field_errors`` for the request as a whole).",
    )
