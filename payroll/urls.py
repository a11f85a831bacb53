from django.urls import path

from payroll import views
from payroll.views import charts as chartviews
from payroll.views import outputs
from payroll.views import pay_inputs as pay_views
from payroll.views import runs as runviews

app_name = "payroll"

urlpatterns = [
    path("salary/due/", views.due_list_view, name="due_list"),
    path("salary/due/export.xlsx", views.due_list_export, name="due_list_export"),
    path("salary/due/prepare/", views.due_list_prepare, name="due_list_prepare"),
    path("salary/decisions/", views.decisions, name="decisions"),
    path("salary/decisions/approve/", views.decisions_approve, name="decisions_approve"),
    path("salary/decisions/reject/", views.decisions_reject, name="decisions_reject"),
    path("salary/decisions/<int:pk>/edit/", views.decision_draft_edit, name="decision_draft_edit"),
    path(
        "salary/decisions/<int:pk>/withdraw/",
        views.decision_draft_withdraw,
        name="decision_draft_withdraw",
    ),
    path("staff/<int:pk>/salary/", views.staff_salary, name="staff_salary"),
    path("staff/<int:pk>/salary/new/", views.staff_salary_new, name="staff_salary_new"),
    path("charts/", chartviews.charts, name="charts"),
    path("charts/<slug:key>.xlsx", chartviews.chart_export, name="chart_export"),
    path("payroll/", runviews.run_list, name="run_list"),
    path("payroll/runs/<int:pk>/", runviews.run_detail, name="run_detail"),
    path("payroll/runs/<int:pk>/compute/", runviews.run_compute, name="run_compute"),
    path("payroll/runs/<int:pk>/approve/", runviews.run_approve, name="run_approve"),
    path("payroll/runs/<int:pk>/return/", runviews.run_return, name="run_return"),
    path("payroll/runs/<int:pk>/lock/", runviews.run_lock, name="run_lock"),
    path("payroll/runs/<int:pk>/compare/", runviews.run_compare, name="run_compare"),
    # A person's pay inputs (payroll/views/pay_inputs.py).
    path("staff/<int:pk>/pay/", pay_views.staff_pay, name="staff_pay"),
    path("staff/<int:pk>/pay/reveal/", pay_views.staff_pay_reveal, name="staff_pay_reveal"),
    path(
        "staff/<int:pk>/pay/allowances/new/",
        pay_views.staff_pay_allowance_new,
        name="staff_pay_allowance_new",
    ),
    path(
        "staff/<int:pk>/pay/allowances/<int:item>/",
        pay_views.staff_pay_allowance_edit,
        name="staff_pay_allowance_edit",
    ),
    path(
        "staff/<int:pk>/pay/allowances/<int:item>/end/",
        pay_views.staff_pay_allowance_end,
        name="staff_pay_allowance_end",
    ),
    path(
        "staff/<int:pk>/pay/allowances/<int:item>/remove/",
        pay_views.staff_pay_allowance_remove,
        name="staff_pay_allowance_remove",
    ),
    path(
        "staff/<int:pk>/pay/dependants/new/",
        pay_views.staff_pay_dependant_new,
        name="staff_pay_dependant_new",
    ),
    path(
        "staff/<int:pk>/pay/dependants/<int:item>/",
        pay_views.staff_pay_dependant_edit,
        name="staff_pay_dependant_edit",
    ),
    path(
        "staff/<int:pk>/pay/dependants/<int:item>/end/",
        pay_views.staff_pay_dependant_end,
        name="staff_pay_dependant_end",
    ),
    path("staff/<int:pk>/pay/profile/", pay_views.staff_pay_profile, name="staff_pay_profile"),
    # Payroll outputs (payroll.views.outputs)
    path("staff/<int:pk>/payslips/", outputs.staff_payslips, name="staff_payslips"),
    path("payroll/payslips/<int:pk>.pdf", outputs.payslip_pdf, name="payslip_pdf"),
    path("payroll/runs/<int:pk>/outputs/", outputs.run_outputs, name="run_outputs"),
    path("payroll/runs/<int:pk>/register.xlsx", outputs.run_register, name="run_register"),
    path("payroll/runs/<int:pk>/bank.xlsx", outputs.run_bank_list, name="run_bank_list"),
    path(
        "payroll/runs/<int:pk>/contributions.xlsx",
        outputs.run_contributions,
        name="run_contributions",
    ),
    path(
        "payroll/runs/<int:pk>/payslips/", outputs.run_payslips_export, name="run_payslips_export"
    ),
    path(
        "payroll/payslip-exports/<uuid:pk>/",
        outputs.payslip_export_download,
        name="payslip_export_download",
    ),
]
