"""Turning a dossier and its history into what the staff page shows.

Reads only; every value becomes display text (dates dd/mm/yyyy, choices by label, partial
dates as typed). Sensitive items are replaced by a placeholder unless the viewer may see them
and has revealed them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pghistory.models import Events

from hrms.lib.numbers import localized_coefficient
from hrms.lib.partial_dates import PartialDate, PartialDateField
from personnel.models import (
    AnnualRating,
    Discipline,
    Staff,
)
from personnel.people import display_name
from personnel.sections import SECTIONS, SENSITIVE_FIELDS, Section

EMPTY = "—"


def display(instance: models.Model, name: str) -> str:
    """One field of ``instance`` as display text."""
    model_field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value in (None, ""):
        return EMPTY
    if model_field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    return _format(value)


def _format(value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@dataclass
class FieldView:
    name: str
    label: str
    value: str
    hidden: bool = False  # a sensitive item the viewer has not revealed (or may not see)


@dataclass
class SectionView:
    section: Section
    fields: list[FieldView] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    hidden: bool = False
    has_hidden_items: bool = False


def dossier_queryset():
    """A staff queryset with everything the dossier page shows, in a fixed number of queries."""
    return Staff.objects.select_related(
        "unit", "rank", "ethnicity", "religion", "user"
    ).prefetch_related(
        "trainings",
        "work_history",
        "family",
        "awards",
        Prefetch("disciplines", queryset=Discipline.objects.select_related("kind")),
        Prefetch("ratings", queryset=AnnualRating.objects.select_related("level")),
        "non_counting_periods",
        "certificates",
    )


_RELATED_NAMES = {
    "training": "trainings",
    "work_history": "work_history",
    "family": "family",
    "awards": "awards",
    "disciplines": "disciplines",
    "ratings": "ratings",
    "non_counting": "non_counting_periods",
    "certificates": "certificates",
}


def dossier_sections(*, staff: Staff, may_see_sensitive: bool, revealed: bool) -> list[SectionView]:
    """Every section of ``staff``'s dossier as display text, sensitive items masked unless
    ``may_see_sensitive`` and ``revealed``."""
    show_sensitive = may_see_sensitive and revealed
    views = []
    for section in SECTIONS:
        view = SectionView(section=section)
        if section.sensitive and not show_sensitive:
            view.hidden = True
            view.has_hidden_items = True
            views.append(view)
            continue
        if section.is_table:
            rows = getattr(staff, _RELATED_NAMES[section.key]).all()
            meta = section.model._meta
            view.headers = [str(meta.get_field(name).verbose_name) for name in section.row_fields]
            view.rows = [[display(row, name) for name in section.row_fields] for row in rows]
        else:
            for name in section.fields:
                hidden = name in SENSITIVE_FIELDS and not show_sensitive
                view.has_hidden_items |= hidden
                view.fields.append(
                    FieldView(
                        name=name,
                        label=str(Staff._meta.get_field(name).verbose_name),
                        value="" if hidden else display(staff, name),
                        hidden=hidden,
                    )
                )
        views.append(view)
    return views


# --- History ------------------------------------------------------------------------------------

LABELS = {"insert": _("added"), "update": _("changed"), "delete": _("removed")}
HIDDEN_VALUE = "••••••"


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    who: str
    reason: str
    what: str  # the table or "record"
    action: str
    changes: list[Change]
    hidden: bool = False


# Sensitive fields of tables another app owns that refer to a staff record (the payroll's bank
# account, docs/rules.md §10.4). Personnel does not import those apps: the owner registers the
# fields at start-up, and their values are hidden in the history like the dossier's own.
_SENSITIVE_ELSEWHERE: dict[type[models.Model], frozenset[str]] = {}


def register_sensitive_fields(model: type[models.Model], names) -> None:
    """Hide ``model``'s fields ``names`` in a record's history unless revealed."""
    _SENSITIVE_ELSEWHERE[model] = frozenset(names)


def sensitive_items_elsewhere() -> list[str]:
    """The sensitive fields other apps registered (a reveal shows and logs them too)."""
    return sorted(name for names in _SENSITIVE_ELSEWHERE.values() for name in names)


def _tracked_model(event_label: str) -> type[models.Model]:
    return apps.get_model(event_label).pgh_tracked_model


def _raw_display(model_field: models.Field, raw, related: dict) -> str:
    if raw in (None, ""):
        return EMPTY
    if model_field.is_relation:
        return related.get((model_field.related_model, raw), f"#{raw}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(raw, raw))
    if isinstance(model_field, PartialDateField):
        return str(PartialDate.parse(raw))
    if isinstance(model_field, models.DateTimeField):
        parsed = parse_datetime(str(raw))
        if parsed is None:
            return str(raw)
        if timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)  # stored in UTC, read in Asia/Ho_Chi_Minh
        return parsed.strftime("%d/%m/%Y %H:%M")
    if isinstance(model_field, models.DecimalField | models.FloatField):
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            return str(raw)
        if "coefficient" in model_field.name:
            return localized_coefficient(number)  # 4,98 in Vietnamese, not 4.98
        return _decimal_text(number)
    if isinstance(model_field, models.DateField):
        parsed = parse_date(str(raw))
        return parsed.strftime("%d/%m/%Y") if parsed else str(raw)
    if isinstance(model_field, models.BooleanField):
        return _format(bool(raw))
    return str(raw)


def _decimal_text(number: Decimal) -> str:
    """A number as Vietnamese write it: a decimal comma, no trailing zeros (4,98; 0; 10,5)."""
    if number == number.to_integral_value():
        return f"{number:.0f}"
    return f"{number.normalize():f}".replace(".", ",")


def _is_blank(model_field: models.Field, raw) -> bool:
    """Nothing to show for a new row: empty text, empty JSON, a zero amount."""
    if raw in (None, "", {}, []):
        return True
    if isinstance(model_field, models.DecimalField | models.FloatField | models.IntegerField):
        try:
            return Decimal(str(raw)) == 0 and not model_field.choices
        except InvalidOperation:
            return False
    return False


_SECTION_OF_MODEL = {section.model: section for section in SECTIONS if section.model}
# Row bookkeeping, and who and when of the row itself (the entry already says who and when).
_SKIP = {
    "id", "staff", "row_order", "version", "created_at", "updated_at", "recorded_at",
    "recorded_by", "created_by",
}  # fmt: skip
# Fields whose model gives no label of its own (Django would show the attribute name).
_LABELS = {
    "decided_at": gettext_lazy("Decided on"),
    "created_at": gettext_lazy("Recorded on"),
    "recorded_at": gettext_lazy("Recorded on"),
    "recorded_by": gettext_lazy("Recorded by"),
}
NOT_RECORDED = gettext_lazy("(not recorded)")


def _field_label(model_field: models.Field) -> str:
    if model_field.name in _LABELS:
        return str(_LABELS[model_field.name])
    return str(model_field.verbose_name)


def staff_history(*, staff: Staff, may_see_sensitive: bool, limit: int = 500) -> list[HistoryEntry]:
    """Every change to ``staff`` and its tables, newest first: who, when, which field, before
    and after. Changes by bulk operations and imports are included (database triggers)."""
    events = list(Events.objects.references(staff).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids, related_ids = set(), defaultdict(set)
    parsed = []
    for event in events:
        if event.pgh_label == "snapshot":
            continue  # the state before a first change: the next event's diff shows it
        model = _tracked_model(event.pgh_model)
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        context = event.pgh_context or {}
        if context.get("user"):
            user_ids.add(context["user"])
        values = event.pgh_diff or {}
        if event.pgh_label == "update" and event.pgh_diff is None:
            # a change from before snapshots were kept: its old values are not known
            values = {key: [NOT_RECORDED, value] for key, value in (event.pgh_data or {}).items()}
        elif event.pgh_label != "update" or not values:
            values = {key: [None, value] for key, value in (event.pgh_data or {}).items()}
        for attname, (before, after) in values.items():
            model_field = by_attname.get(attname)
            if model_field is not None and model_field.is_relation:
                for raw in (before, after):
                    if raw not in (None, ""):
                        related_ids[model_field.related_model].add(raw)
        parsed.append((event, model, by_attname, values, context))
    related = {}
    for related_model, ids in related_ids.items():
        objects = related_model._default_manager.filter(pk__in=ids)
        if related_model is User:
            objects = objects.select_related("staff")
        for obj in objects:
            related[(related_model, obj.pk)] = (
                display_name(obj) if related_model is User else str(obj)
            )
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids).select_related("staff")}

    entries = []
    for event, model, by_attname, values, context in parsed:
        section = _SECTION_OF_MODEL.get(model)
        whole_hidden = bool(section and section.sensitive and not may_see_sensitive)
        changes = []
        for attname, (before, after) in sorted(values.items()):
            model_field = by_attname.get(attname)
            if model_field is None or model_field.name in _SKIP:
                continue
            hidden = whole_hidden or (
                not may_see_sensitive
                and (
                    (model is Staff and model_field.name in SENSITIVE_FIELDS)
                    or model_field.name in _SENSITIVE_ELSEWHERE.get(model, ())
                )
            )
            if event.pgh_label in ("insert", "delete") and _is_blank(model_field, after):
                continue
            if isinstance(model_field, models.JSONField):
                continue  # internal working data (the due list's reasons)
            if event.pgh_label == "delete":
                before, after = after, None
            if before is NOT_RECORDED:
                if _is_blank(model_field, after):
                    continue
                shown_before = str(NOT_RECORDED)
            else:
                shown_before = _raw_display(model_field, before, related)
            changes.append(
                Change(
                    label=_field_label(model_field),
                    before=HIDDEN_VALUE if hidden else shown_before,
                    after=HIDDEN_VALUE if hidden else _raw_display(model_field, after, related),
                )
            )
        user = users.get(context.get("user"))
        reason = context.get("reason", "")
        if section is not None:
            what = str(section.title)
        elif model is Staff:
            what, reason = reason or _("Record"), ""
        else:
            what = str(model._meta.verbose_name).capitalize()
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                who=display_name(user) if user else _("system"),
                reason="" if reason == what else reason,
                what=what,
                action=str(LABELS.get(event.pgh_label, event.pgh_label)),
                changes=changes,
                hidden=whole_hidden,
            )
        )
    return entries
