"""``/api/v1/``: every view answers JSON (the docs page excepted) and decides access itself
(401 without credentials; never the login page)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from api.views import docs, exports, read, write

app_name = "api"


class StaffCollection(read.StaffList, write.StaffCreate):
    """GET lists (incremental sync), POST creates."""


def _open(view_class):
    return login_not_required(view_class.as_view())


urlpatterns = [
    path("schema/", _open(docs.SchemaView), name="schema"),
    # The docs page is for people: without a session it sends them to the login page.
    path("docs/", docs.DocsView.as_view(), name="docs"),
    path("units/", _open(read.UnitList), name="unit_list"),
    path("units/<int:pk>/", _open(read.UnitDetail), name="unit_detail"),
    path("staff/", _open(StaffCollection), name="staff_list"),
    path("staff/departures/", _open(read.StaffDepartures), name="staff_departures"),
    path("staff/<int:pk>/", _open(read.StaffDetail), name="staff_detail"),
    path("staff/<int:pk>/salary/", _open(read.StaffSalary), name="staff_salary"),
    path(
        "staff/<int:pk>/salary/drafts/", _open(write.SalaryDraftCreate), name="salary_draft_create"
    ),
    path("salary-decisions/", _open(read.SalaryDecisionList), name="salary_decision_list"),
    path(
        "salary-decisions/removed/",
        _open(read.SalaryDecisionRemovals),
        name="salary_decision_removed",
    ),
    path("staff/<int:pk>/insurance/", _open(read.StaffInsurance), name="staff_insurance"),
    path(
        "staff/<int:pk>/sections/<slug:section>/",
        _open(write.StaffSectionEdit),
        name="staff_section",
    ),
    path("staff/<int:pk>/movements/", _open(write.StaffMovementCreate), name="staff_movement"),
    path("exports/cbccvc/", _open(exports.CbccvcExportCreate), name="cbccvc_export_create"),
    path("exports/cbccvc/<uuid:pk>/", _open(exports.CbccvcExportDetail), name="cbccvc_export"),
    path(
        "exports/cbccvc/<uuid:pk>/file/", _open(exports.CbccvcExportFile), name="cbccvc_export_file"
    ),
]
