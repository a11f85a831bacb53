from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceConfig(AppConfig):
    name = "insurance"
    verbose_name = _("Insurance")

    def ready(self):
        from insurance.selectors.absences import absences_changed_at, paid_by_the_fund
        from payroll.unpaid_sources import register_unpaid_periods_source

        register_unpaid_periods_source(paid_by_the_fund, changed_at=absences_changed_at)
