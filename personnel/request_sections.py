"""The rows staff may propose to add, correct, remove or end, whoever keeps them.

The dossier's own tables (family, training, certificates) are sections of ``personnel.sections``;
other apps register theirs here when they start (``AppConfig.ready``), as payroll registers the
dependants of the family deduction. Personnel never imports those apps: it defines this slot,
the shape of a registered section, and how a row's state is read for the stale-row rule
(docs/rules.md §10.8).
"""

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db import models

ADD = "add"
CHANGE = "change"
REMOVE = "remove"
END = "end"

# What staff may propose on a table of the dossier itself.
DOSSIER_TABLE_ACTIONS = (ADD, CHANGE, REMOVE)


@dataclass(frozen=True)
class RequestSection:
    """A table kept by another app that staff may propose changes to.

    ``rows(staff)`` is a queryset of the person's rows; ``row_values(row)`` their values as the
    form's initial data; ``row_label(row)`` a one-line description. ``form_class`` is the form a
    clerk enters a row with, ``end_form_class`` the form ending one (for ``END``); ``check``, when
    given, says what the app's services would refuse in a proposal ({field: message}), so staff
    learn it when they send it: ``check(staff=, action=, row=, values=)``. ``apply`` applies
    an approved request through the app's own services, inside the approval's transaction:
    ``apply(staff=, action=, row=, values=, actor=, reason=)`` with the form's cleaned values
    (``row`` is None when adding); it raises ValidationError naming the field."""

    key: str
    title: str
    form_class: type[forms.Form]
    rows: Callable[[object], models.QuerySet]
    row_values: Callable[[models.Model], dict]
    row_label: Callable[[models.Model], str]
    apply: Callable[..., object]
    actions: tuple[str, ...] = (ADD, CHANGE, END)
    end_form_class: type[forms.Form] | None = None
    may_end: Callable[[models.Model], bool] = lambda row: True
    check: Callable[..., dict] | None = None
    page_url: Callable[[object], str] | None = None  # where the app shows the rows


_registered: dict[str, RequestSection] = {}


def register_request_section(section: RequestSection) -> None:
    """Called once by each app that lets staff propose changes to rows it keeps."""
    _registered[section.key] = section


def registered_section(key: str) -> RequestSection | None:
    return _registered.get(key)


def registered_sections() -> Iterable[RequestSection]:
    return list(_registered.values())


def plain(value) -> str:
    """A stored value as plain text, the same whatever the user's language: dates dd/mm/yyyy,
    a related row by its id, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def fingerprint(state: dict) -> str:
    """A short digest of a row's state (the approve form carries the state the clerk saw)."""
    encoded = json.dumps(state, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def section_title(key: str) -> str:
    """The title of a dossier section or a registered one (the key itself if neither)."""
    from personnel.sections import SECTIONS_BY_KEY

    spec = SECTIONS_BY_KEY.get(key) or _registered.get(key)
    return str(spec.title) if spec else key


def rows_of(key: str, staff) -> models.QuerySet | None:
    """The rows of a table section (dossier or registered) of ``staff``; None for others."""
    from personnel.sections import SECTIONS_BY_KEY

    spec = SECTIONS_BY_KEY.get(key)
    if spec is not None:
        return spec.model.objects.filter(staff=staff) if spec.is_table else None
    registered = _registered.get(key)
    return registered.rows(staff) if registered else None


def row_state(key: str, staff, row_id: int, *, lock: bool = False) -> dict | None:
    """What row ``row_id`` of ``staff``'s section ``key`` holds now ({field: plain text}), or
    None when the record has no such row (any more). ``lock`` holds the row until commit."""
    from personnel.sections import SECTIONS_BY_KEY

    found = rows_of(key, staff)
    if found is None:
        return None
    if lock:
        found = found.select_for_update()
    row = found.filter(pk=row_id).first()
    if row is None:
        return None
    spec = SECTIONS_BY_KEY.get(key)
    if spec is not None:
        return {name: plain(getattr(row, name)) for name in spec.row_fields}
    return {name: plain(value) for name, value in _registered[key].row_values(row).items()}
