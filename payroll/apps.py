from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "payroll"
    verbose_name = _("Salary and payroll")

    def ready(self):
        from payroll.selectors import dossier_salary_source
        from personnel.salary_source import register_salary_source

        register_salary_source(dossier_salary_source())
