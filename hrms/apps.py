from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrmsConfig(AppConfig):
    name = "hrms"
    verbose_name = _("HR system")

    def ready(self):
        from django import forms

        from hrms.audit import protect_history_tables
        from hrms.lib import db  # noqa: F401 (registers the ``__any`` lookup)
        from hrms.lib.widgets import DayInput

        # Every date field of the app's forms says its format and offers a calendar; the
        # admin keeps its own widgets (it sets them explicitly).
        forms.DateField.widget = DayInput
        _name_other_apps()
        protect_history_tables()


def _name_other_apps() -> None:
    """Sections of the administration site that third-party apps name in English only."""
    from django.apps import apps
    from pghistory import config

    names = {
        "axes": _("Sign-in protection"),
        "django_tasks_database": _("Background tasks"),
        "pghistory": _("Change history"),
    }
    for label, name in names.items():
        try:
            apps.get_app_config(label).verbose_name = name
        except LookupError:
            continue
    events = config.admin_queryset().model._meta
    events.verbose_name, events.verbose_name_plural = _("change event"), _("change events")
