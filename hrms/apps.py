from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrmsConfig(AppConfig):
    name = "hrms"
    verbose_name = _("HR system")

    def ready(self):
        from hrms.audit import protect_history_tables
        from hrms.lib import db  # noqa: F401 (registers the ``__any`` lookup)

        protect_history_tables()
