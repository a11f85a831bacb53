from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "payroll"
    verbose_name = _("Salary and payroll")

    def ready(self):
        from payroll.importers.pay_inputs import ALLOWANCES_KIND, DEPENDANTS_KIND
        from payroll.importers.salary import SALARY_KIND
        from payroll.inbox import payroll_lines, salary_decision_targets
        from payroll.models import PayProfile
        from payroll.request_sections import DEPENDANTS_SECTION
        from payroll.selectors import dossier_salary_source
        from personnel.document_targets import register_document_targets
        from personnel.importers.kinds import register_import_kind
        from personnel.inbox import register_inbox_source
        from personnel.presentation import register_sensitive_fields
        from personnel.request_sections import register_request_section
        from personnel.salary_source import register_salary_source

        register_salary_source(dossier_salary_source())
        register_inbox_source(payroll_lines)
        register_document_targets(salary_decision_targets)
        register_import_kind(SALARY_KIND)
        register_import_kind(DEPENDANTS_KIND)
        register_import_kind(ALLOWANCES_KIND)
        register_request_section(DEPENDANTS_SECTION)
        # The bank account is sensitive: hidden in the record's history until revealed.
        register_sensitive_fields(PayProfile, ["bank_account"])
