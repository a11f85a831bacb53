from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrmsConfig(AppConfig):
    name = "hrms"
    verbose_name = _("HR system")
