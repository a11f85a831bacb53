from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrmsConfig(AppConfig):
    name = "hrms"
    verbose_name = _("HR system")

    def ready(self):
        from hrms.audit import protect_history_tables

        protect_history_tables()
