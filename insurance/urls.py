from django.urls import path

from insurance import views

app_name = "insurance"

urlpatterns = [
    path("insurance/", views.month_page, name="month"),
    path("insurance/register/", views.register_page, name="register"),
    path("insurance/d02lt.xlsx", views.d02lt_export, name="d02lt_export"),
    path("insurance/register.xlsx", views.register_export, name="register_export"),
    path("insurance/statements/", views.statement_upload, name="statement_upload"),
    path("insurance/statements/<int:pk>/", views.statement_detail, name="statement"),
    path("insurance/units/<int:pk>/", views.unit_registration, name="unit_registration"),
    path("insurance/me/", views.my_insurance, name="mine"),
    path("staff/<int:pk>/insurance/", views.staff_insurance, name="staff"),
    path("staff/<int:pk>/insurance/edit/", views.staff_insurance_edit, name="staff_edit"),
    path("staff/<int:pk>/insurance/absences/new/", views.staff_absence_new, name="absence_new"),
    path("staff/<int:pk>/insurance/rebuild/", views.staff_periods_rebuild, name="rebuild"),
]
