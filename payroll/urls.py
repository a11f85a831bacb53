from django.urls import path

from payroll import views

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
]
