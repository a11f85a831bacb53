from django.urls import path

from payroll import runviews, views
from payroll.views import outputs

app_name = "payroll"

urlpatterns = [
    path("salary/due/", views.due_list_view, name="due_list"),
    path("salary/due/export.xlsx", views.due_list_export, name="due_list_export"),
    path("salary/due/prepare/", views.due_list_prepare, name="due_list_prepare"),
    path("salary/decisions/", views.decisions, name="decisions"),
    path("salary/decisions/approve/", views.decisions_approve, name="decisions_approve"),
    path("salary/decisions/reject/", views.decisions_reject, name="decisions_reject"),
    path("staff/<int:pk>/salary/", views.staff_salary, name="staff_salary"),
    path("staff/<int:pk>/salary/new/", views.staff_salary_new, name="staff_salary_new"),
    path("payroll/", runviews.run_list, name="run_list"),
    path("payroll/runs/<int:pk>/", runviews.run_detail, name="run_detail"),
    path("payroll/runs/<int:pk>/compute/", runviews.run_compute, name="run_compute"),
    path("payroll/runs/<int:pk>/approve/", runviews.run_approve, name="run_approve"),
    path("payroll/runs/<int:pk>/return/", runviews.run_return, name="run_return"),
    path("payroll/runs/<int:pk>/lock/", runviews.run_lock, name="run_lock"),
    path("payroll/runs/<int:pk>/compare/", runviews.run_compare, name="run_compare"),
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
