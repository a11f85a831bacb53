"""The audit tables refuse UPDATE, DELETE and TRUNCATE at the database.

The change history (django-pghistory event tables) and the access log are evidence; nothing in
the application changes or removes them, so the database refuses to, whoever asks — a raw SQL
session included. Every pghistory event table is protected when the app registry is ready
(``protect_history_tables``, called from ``HrmsConfig.ready``), so a model tracked tomorrow is
covered without anyone remembering to; the triggers reach the database through migrations.

Tests that empty the database between them (pytest-django's flush) pass through
``pgtrigger.ignore`` in ``tests/conftest.py``; nothing in the application does.
"""

import pgtrigger
from django.apps import apps

HISTORY_TRIGGER = "history_append_only"


class RefuseTruncate(pgtrigger.Trigger):
    """A statement-level trigger refusing TRUNCATE (pgtrigger's ``Protect`` cannot: a
    statement-level ``Protect`` needs transition tables, which TRUNCATE has not)."""

    when = pgtrigger.Before
    level = pgtrigger.Statement
    operation = pgtrigger.Truncate
    func = "RAISE EXCEPTION 'pgtrigger: Cannot truncate % table', TG_TABLE_NAME;"


class RefuseChanges(RefuseTruncate):
    """Refuses every UPDATE, DELETE and TRUNCATE statement, however many rows it touches."""

    operation = pgtrigger.Update | pgtrigger.Delete | pgtrigger.Truncate
    func = "RAISE EXCEPTION 'pgtrigger: Cannot % on % table', TG_OP, TG_TABLE_NAME;"


def history_models() -> list:
    """The concrete django-pghistory event models of every installed app."""
    from pghistory.models import Event

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Event) and model._meta.managed and not model._meta.proxy
    ]


def protect_history_tables() -> None:
    """Register the append-only trigger on every pghistory event model (once)."""
    for model in history_models():
        if not any(t.name == HISTORY_TRIGGER for t in getattr(model._meta, "triggers", [])):
            pgtrigger.register(RefuseChanges(name=HISTORY_TRIGGER))(model)
