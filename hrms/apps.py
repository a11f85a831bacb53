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

        protect_history_tables()
