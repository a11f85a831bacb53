from django.urls import path

from personnel.views import dossier, exports, imports, requests, staff_list, units

app_name = "personnel"

urlpatterns = [
    path("units/", units.unit_list, name="unit_list"),
    path("units/<int:pk>/", units.unit_detail, name="unit_detail"),
    path("staff/", staff_list.staff_list, name="staff_list"),
    path("staff/export.xlsx", staff_list.staff_list_export, name="staff_list_export"),
    path("staff/new/", dossier.staff_create, name="staff_create"),
    path("staff/<int:pk>/", dossier.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/reveal/", dossier.staff_reveal, name="staff_reveal"),
    path("staff/<int:pk>/dossier.pdf", dossier.staff_dossier_pdf, name="staff_dossier_pdf"),
    path(
        "staff/<int:pk>/dossier-full.pdf",
        dossier.staff_dossier_full_pdf,
        name="staff_dossier_full_pdf",
    ),
    path("staff/<int:pk>/history/", dossier.staff_history_view, name="staff_history"),
    path("staff/<int:pk>/photo/", dossier.staff_photo, name="staff_photo"),
    path("staff/<int:pk>/photo/edit/", dossier.staff_photo_edit, name="staff_photo_edit"),
    path("staff/<int:pk>/edit/<slug:section>/", dossier.staff_section_edit, name="staff_edit"),
    path("staff/<int:pk>/move/<slug:kind>/", dossier.staff_movement, name="staff_movement"),
    path("me/", dossier.my_record, name="my_record"),
    path(
        "staff/<int:pk>/request/<slug:section>/",
        requests.change_request_new,
        name="change_request_new",
    ),
    path(
        "staff/<int:pk>/request/<slug:section>/<int:row>/<slug:action>/",
        requests.change_request_new,
        name="change_request_row",
    ),
    path("staff/<int:pk>/documents/", requests.document_list, name="documents"),
    path(
        "staff/<int:pk>/documents/<int:document>/",
        requests.document_download,
        name="document_download",
    ),
    path("requests/", requests.change_request_list, name="change_requests"),
    path("requests/<int:pk>/", requests.change_request_detail, name="change_request"),
    path(
        "requests/<int:pk>/withdraw/",
        requests.change_request_withdraw,
        name="change_request_withdraw",
    ),
    path("notifications/", requests.notification_list, name="notifications"),
    path(
        "notifications/settings/",
        requests.notification_settings,
        name="notification_settings",
    ),
    path("exports/", exports.export_list, name="exports"),
    path("exports/<uuid:pk>/<slug:part>/", exports.export_download, name="export_download"),
    path("imports/", imports.import_list, name="imports"),
    path("imports/template/<slug:kind>.xlsx", imports.import_template, name="import_template"),
    path("imports/<uuid:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<uuid:pk>/errors.xlsx", imports.import_errors, name="import_errors"),
]
