"""Reading: org units, staff records (list for incremental sync, one record with its tables),
a person's salary history and current pay, and their insurance participation.

Scope is decided by ``personnel.permissions`` exactly as on the screens: a list holds what the
caller may view; one object outside their scope answers 404 like a missing one.
"""

from django.apps import apps
from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from api import serializers as shapes
from api.views.base import (
    ApiView,
    after_cursor,
    changed_since,
    choice_param,
    decode_cursor,
    integer_param,
    keyset_page,
    page_size,
)
from insurance.models import InsuranceProfile, ParticipationPeriod
from insurance.services.participation import participation_refresh
from payroll import selectors as payroll_selectors
from payroll.models import SalaryRecord
from personnel import permissions, services
from personnel.models import (
    AccessLogEntry,
    AnnualRating,
    Discipline,
    LineageEvent,
    Movement,
    OrgUnit,
    Staff,
)
from personnel.presentation import sensitive_items_elsewhere
from personnel.sections import SENSITIVE_FIELDS

PAGE_PARAMS = [
    OpenApiParameter("cursor", str, description="The next_cursor of the previous page."),
    OpenApiParameter("page_size", int, description="Records per page (default 100, at most 1000)."),
    OpenApiParameter(
        "changed_since",
        str,
        description="Only records changed after this moment (ISO 8601): the sync_mark of the "
        "first page of the previous sync.",
    ),
]
UNIT_PARAM = OpenApiParameter(
    "unit", int, description="A unit id: only that unit and the units under it."
)


def _page_serializer(name: str, item) -> serializers.Serializer:
    return inline_serializer(
        name,
        {
            "results": item(many=True),
            "next_cursor": serializers.CharField(allow_null=True),
            "next": serializers.URLField(allow_null=True),
            "sync_mark": serializers.DateTimeField(),
        },
    )


def _page_response(page: dict, results: list) -> Response:
    return Response(
        {
            "results": results,
            "next_cursor": page["next_cursor"],
            "next": page["next"],
            "sync_mark": page["sync_mark"],
        }
    )


def _subtree_unit(request, user) -> OrgUnit | None:
    """``?unit=``: a unit the caller may view (404 otherwise, like the screens)."""
    pk = integer_param(request, "unit")
    return None if pk is None else permissions.unit_or_404(user, pk)


# --- Org units ----------------------------------------------------------------------------------


class UnitList(ApiView):
    @extend_schema(
        operation_id="units_list",
        summary="Org units the caller may view (with ended ones), for sync",
        parameters=[*PAGE_PARAMS, UNIT_PARAM],
        responses=_page_serializer("OrgUnitPage", shapes.OrgUnitSerializer),
    )
    def get(self, request):
        if not permissions.may_browse_units(request.user):
            raise Http404
        units = permissions.visible_units(request.user).order_by("updated_at", "id")
        unit = _subtree_unit(request, request.user)
        if unit is not None:
            units = units.under(unit.path)
        since = changed_since(request)
        if since is not None:
            units = units.filter(updated_at__gt=since)
        units = after_cursor(units, decode_cursor(request))
        rows = list(units.values(*shapes.UNIT_FIELDS, "path")[: page_size(request) + 1])
        page = keyset_page(request, rows)
        parents = dict(
            OrgUnit.objects.filter(
                path__in={row["path"][: -OrgUnit.steplen] for row in page["rows"]}
            ).values_list("path", "id")
        )
        for row in page["rows"]:
            row["parent"] = parents.get(row.pop("path")[: -OrgUnit.steplen])
        return _page_response(page, shapes.OrgUnitSerializer(page["rows"], many=True).data)


class UnitDetail(ApiView):
    @extend_schema(
        operation_id="units_retrieve",
        summary="One org unit with its lineage (merges, splits, renames…)",
        responses=shapes.OrgUnitDetailSerializer,
    )
    def get(self, request, pk: int):
        unit = permissions.unit_or_404(request.user, pk)
        parent = unit.parent_unit()
        unit.parent = parent.pk if parent else None
        events = list(
            LineageEvent.objects.filter(pk__in=unit.lineage_as_source.values("pk"))
            .union(LineageEvent.objects.filter(pk__in=unit.lineage_as_result.values("pk")))
            .order_by("effective_date", "id")
        )
        through_sources = LineageEvent.sources.through.objects.filter(
            lineageevent_id__in=[event.pk for event in events]
        )
        through_results = LineageEvent.results.through.objects.filter(
            lineageevent_id__in=[event.pk for event in events]
        )
        for event in events:
            event.source_ids = [
                row.orgunit_id for row in through_sources if row.lineageevent_id == event.pk
            ]
            event.result_ids = [
                row.orgunit_id for row in through_results if row.lineageevent_id == event.pk
            ]
        unit.lineage = events
        return Response(shapes.OrgUnitDetailSerializer(unit).data)


# --- Staff --------------------------------------------------------------------------------------


class StaffList(ApiView):
    @extend_schema(
        operation_id="staff_list",
        summary="Staff records the caller may view, oldest change first (incremental sync)",
        description="Leavers stay in the list with their status (records are never deleted); "
        "records transferred out of the unit (or the caller's scope) are listed by "
        "/api/v1/staff/departures/.",
        parameters=[
            *PAGE_PARAMS,
            UNIT_PARAM,
            OpenApiParameter("category", str, enum=Staff.Category.values),
            OpenApiParameter("status", str, enum=Staff.Status.values),
        ],
        responses=_page_serializer("StaffPage", shapes.StaffSerializer),
    )
    def get(self, request):
        staff = _scoped_staff(request)
        category = choice_param(request, "category", Staff.Category.values)
        if category:
            staff = staff.filter(category=category)
        status = choice_param(request, "status", Staff.Status.values)
        if status:
            staff = staff.filter(status=status)
        since = changed_since(request)
        if since is not None:
            staff = staff.filter(updated_at__gt=since)
        staff = after_cursor(staff.order_by("updated_at", "id"), decode_cursor(request))
        rows = list(staff.values(*shapes.STAFF_VALUES)[: page_size(request) + 1])
        page = keyset_page(request, rows)
        self.log_detail = {"records": len(page["rows"])}
        return _page_response(page, [shapes.staff_row(row) for row in page["rows"]])


def _scoped_staff(request):
    """The records the caller may view, within ``?unit=``'s subtree when given."""
    staff = permissions.visible_staff(request.user)
    unit = _subtree_unit(request, request.user)
    return staff.in_subtree(unit) if unit is not None else staff


class StaffDepartures(ApiView):
    @extend_schema(
        operation_id="staff_departures",
        summary="Records transferred out of a unit's subtree (or the caller's scope) since a "
        "moment: drop them from a synced copy unless they appear in the list again",
        parameters=[*PAGE_PARAMS, UNIT_PARAM],
        responses=_page_serializer("DeparturePage", shapes.DepartureSerializer),
    )
    def get(self, request):
        unit = _subtree_unit(request, request.user)
        units = (
            OrgUnit.objects.under(unit.path) if unit else permissions.visible_units(request.user)
        )
        moves = Movement.objects.filter(
            kind=Movement.Kind.TRANSFER, from_unit__in=units.values("pk")
        ).exclude(to_unit__in=units.values("pk"))
        since = changed_since(request)
        if since is not None:
            moves = moves.filter(recorded_at__gt=since)
        moves = after_cursor(moves, decode_cursor(request), stamp="recorded_at")
        rows = list(
            moves.order_by("recorded_at", "id").values(
                "id", "staff_id", "from_unit_id", "to_unit_id", "effective_date", "recorded_at"
            )[: page_size(request) + 1]
        )
        page = keyset_page(request, rows, key=lambda row: (row["recorded_at"], row["id"]))
        results = [
            {
                "staff": row["staff_id"],
                "from_unit": row["from_unit_id"],
                "to_unit": row["to_unit_id"],
                "effective_date": row["effective_date"].isoformat(),
                "recorded_at": row["recorded_at"].isoformat(),
            }
            for row in page["rows"]
        ]
        return _page_response(page, results)


def _dossier_queryset():
    return Staff.objects.select_related("unit", "rank", "ethnicity", "religion").prefetch_related(
        "trainings",
        "work_history",
        "family",
        "awards",
        Prefetch("disciplines", queryset=Discipline.objects.select_related("kind")),
        Prefetch("ratings", queryset=AnnualRating.objects.select_related("level")),
        "non_counting_periods",
        "certificates",
        Prefetch("movements", queryset=Movement.objects.order_by("effective_date", "id")),
    )


_TABLE_RELATIONS = {
    "training": "trainings",
    "work_history": "work_history",
    "family": "family",
    "awards": "awards",
    "disciplines": "disciplines",
    "ratings": "ratings",
    "non_counting": "non_counting_periods",
    "certificates": "certificates",
}


class StaffDetail(ApiView):
    @extend_schema(
        operation_id="staff_retrieve",
        summary="One staff record with every table of the dossier and its movements",
        parameters=[
            OpenApiParameter(
                "sensitive",
                bool,
                description="Include the sensitive items (needs the sensitive-data permission "
                "or one's own record; logged as a reveal).",
            )
        ],
        responses=shapes.StaffDetailSerializer,
    )
    def get(self, request, pk: int):
        staff = permissions.staff_or_404(request.user, pk, queryset=_dossier_queryset())
        self.logged_staff = staff
        wants_sensitive = request.query_params.get("sensitive", "").lower() in ("1", "true")
        if wants_sensitive and not permissions.may_see_sensitive(request.user, staff):
            raise PermissionDenied(_("You may not see the sensitive items of this record."))
        if wants_sensitive:
            services.access_log_record(
                user=request.user,
                action=AccessLogEntry.Action.REVEAL_SENSITIVE,
                staff=staff,
                request=request._request,
                detail={
                    "items": sorted(SENSITIVE_FIELDS)
                    + ["disciplines", *sensitive_items_elsewhere()],
                    "via": "api",
                },
            )
        values = {name: getattr(staff, name) for name in shapes.STAFF_VALUES if "__" not in name}
        values["unit__code"] = staff.unit.code
        values["rank__code"] = staff.rank.code if staff.rank_id else None
        data = shapes.staff_row(values)
        data["sensitive_shown"] = wants_sensitive
        for section in shapes.TABLE_SECTIONS:
            if section.sensitive and not wants_sensitive:
                continue
            rows = getattr(staff, _TABLE_RELATIONS[section.key]).all()
            data[section.key] = shapes.ROW_SERIALIZERS[section.key](rows, many=True).data
        if wants_sensitive:
            for name in shapes.STAFF_SENSITIVE:
                data[name] = shapes.json_value(getattr(staff, name))
        data["movements"] = shapes.MovementSerializer(staff.movements.all(), many=True).data
        return Response(data)


# --- Salary and insurance -------------------------------------------------------------------------

SALARY_FIELDS = (
    "id", "status", "kind", "decision_number", "decision_date", "effective_date", "rank", "step",
    "coefficient", "step_since", "beyond_scale_percent", "beyond_scale_since",
    "leadership_coefficient", "reserved_coefficient", "other_allowances", "note",
)  # fmt: skip

SalaryRecordSerializer = type(
    "SalaryRecordSerializer",
    (shapes.RowSerializer,),
    {name: shapes.schema_field(SalaryRecord._meta.get_field(name)) for name in SALARY_FIELDS},
)


class StaffSalary(ApiView):
    @extend_schema(
        operation_id="staff_salary",
        summary="A person's salary history (approved decisions) and the pay in force today",
        responses=inline_serializer(
            "StaffSalary",
            {
                "history": SalaryRecordSerializer(many=True),
                "current": SalaryRecordSerializer(allow_null=True),
                "base_salary": serializers.DecimalField(max_digits=14, decimal_places=0),
                "monthly_salary": serializers.DecimalField(
                    max_digits=14, decimal_places=0, allow_null=True
                ),
                "retires_on": serializers.DateField(allow_null=True),
                "drafts": SalaryRecordSerializer(many=True),
            },
        ),
    )
    def get(self, request, pk: int):
        staff = permissions.staff_or_404(
            request.user, pk, queryset=Staff.objects.select_related("unit")
        )
        self.logged_staff = staff
        summary = payroll_selectors.salary_summary(staff=staff, on=timezone.localdate())
        return Response(
            {
                "history": SalaryRecordSerializer(summary.history, many=True).data,
                "current": SalaryRecordSerializer(summary.current).data
                if summary.current
                else None,
                "base_salary": shapes.json_value(summary.base_salary),
                "monthly_salary": shapes.json_value(summary.monthly),
                "retires_on": shapes.json_value(summary.retires_on),
                "drafts": SalaryRecordSerializer(
                    payroll_selectors.pending_decisions(staff=staff), many=True
                ).data,
            }
        )


FEED_FIELDS = ("staff_id", *SALARY_FIELDS, "approved_at")
SalaryFeedSerializer = type(
    "SalaryDecisionFeedSerializer",
    (SalaryRecordSerializer,),
    {
        "staff_id": serializers.IntegerField(read_only=True),
        "approved_at": serializers.DateTimeField(
            read_only=True,
            help_text="When the decision was approved (for history loaded in bulk: when it was "
            "recorded). The feed's order.",
        ),
    },
)


class SalaryDecisionList(ApiView):
    """Approved salary decisions in the order they were approved: how a client keeps a copy of
    everyone's pay without asking person by person (docs/rules.md §10.6). A decision approved
    is never changed afterwards (a correction is a new decision), so the feed only grows; the
    one exception, undoing an import batch, removes the batch's decisions, which a client
    learns of from ``/salary-decisions/removed/``."""

    @extend_schema(
        operation_id="salary_decisions_list",
        summary="Approved salary decisions of the staff the caller may view, oldest approval "
        "first (incremental sync)",
        parameters=[*PAGE_PARAMS, UNIT_PARAM],
        responses=_page_serializer("SalaryDecisionPage", SalaryFeedSerializer),
    )
    def get(self, request):
        staff = _scoped_staff(request)
        decisions = SalaryRecord.objects.filter(
            status=SalaryRecord.Status.APPROVED, staff__in=staff.values("pk")
        ).annotate(approved_at=Coalesce("decided_at", "created_at"))
        since = changed_since(request)
        if since is not None:
            decisions = decisions.filter(approved_at__gt=since)
        decisions = after_cursor(
            decisions,
            decode_cursor(request),
            stamp_sql='COALESCE("payroll_salaryrecord"."decided_at", '
            '"payroll_salaryrecord"."created_at")',
        )
        rows = list(
            decisions.order_by("approved_at", "id").values(
                *(name for name in FEED_FIELDS if name != "rank"), rank_code=F("rank__code")
            )[: page_size(request) + 1]
        )
        page = keyset_page(request, rows, key=lambda row: (row["approved_at"], row["id"]))
        for row in page["rows"]:
            row["rank"] = row.pop("rank_code")
        self.log_detail = {"salary_decisions": len(page["rows"])}
        return _page_response(page, SalaryFeedSerializer(page["rows"], many=True).data)


class SalaryDecisionRemovals(ApiView):
    """Approved decisions removed since a moment (an import batch undone), in the order of
    removal, for people the caller may view: drop them from a synced copy. Read from the
    audit trail's deletions (index ``salary_event_removed``)."""

    @extend_schema(
        operation_id="salary_decisions_removed",
        summary="Approved salary decisions removed (import batches undone), oldest removal "
        "first: drop them from a synced copy",
        parameters=[*PAGE_PARAMS, UNIT_PARAM],
        responses=_page_serializer("RemovedDecisionPage", shapes.RemovedDecisionSerializer),
    )
    def get(self, request):
        staff = _scoped_staff(request)
        events = apps.get_model("payroll", "SalaryRecordEvent")
        removed = events.objects.filter(
            pgh_label="delete",
            status=SalaryRecord.Status.APPROVED,
            staff_id__in=staff.values("pk"),
        )
        since = changed_since(request)
        if since is not None:
            removed = removed.filter(pgh_created_at__gt=since)
        removed = after_cursor(
            removed, decode_cursor(request), stamp="pgh_created_at", key="pgh_id"
        )
        rows = list(
            removed.order_by("pgh_created_at", "pgh_id").values(
                "pgh_id", "pgh_created_at", "pgh_obj_id", "staff_id", "import_batch_id"
            )[: page_size(request) + 1]
        )
        page = keyset_page(request, rows, key=lambda row: (row["pgh_created_at"], row["pgh_id"]))
        results = [
            {
                "id": row["pgh_obj_id"],
                "staff_id": row["staff_id"],
                "removed_at": row["pgh_created_at"].isoformat(),
                "import_batch": str(row["import_batch_id"]) if row["import_batch_id"] else None,
            }
            for row in page["rows"]
        ]
        self.log_detail = {"salary_decisions_removed": len(results)}
        return _page_response(page, results)


PERIOD_FIELDS = ("unit_id", "start", "start_reason", "stop", "stop_reason", "first_month",
                 "last_month")  # fmt: skip
PeriodSerializer = type(
    "ParticipationPeriodSerializer",
    (shapes.RowSerializer,),
    {
        name: shapes.schema_field(ParticipationPeriod._meta.get_field(name.removesuffix("_id")))
        if not name.endswith("_id")
        else serializers.IntegerField(read_only=True)
        for name in PERIOD_FIELDS
    },
)
PROFILE_FIELDS = ("health_card_number", "hospital_name", "hospital_code", "book_held_by_unit")
ProfileSerializer = type(
    "InsuranceProfileSerializer",
    (shapes.RowSerializer,),
    {name: shapes.schema_field(InsuranceProfile._meta.get_field(name)) for name in PROFILE_FIELDS},
)


class StaffInsurance(ApiView):
    @extend_schema(
        operation_id="staff_insurance",
        summary="A person's insurance card and participation periods (months as yyyymm)",
        responses=inline_serializer(
            "StaffInsurance",
            {
                "social_insurance_number": serializers.CharField(),
                "profile": ProfileSerializer(allow_null=True),
                "periods": PeriodSerializer(many=True),
            },
        ),
    )
    def get(self, request, pk: int):
        staff = permissions.staff_or_404(request.user, pk)
        self.logged_staff = staff
        participation_refresh(staff_ids=[staff.pk], actor=request.user)
        profile = InsuranceProfile.objects.filter(staff=staff).first()
        periods = ParticipationPeriod.objects.filter(staff=staff).order_by("first_month", "id")
        return Response(
            {
                "social_insurance_number": staff.social_insurance_number,
                "profile": ProfileSerializer(profile).data if profile else None,
                "periods": PeriodSerializer(periods, many=True).data,
            }
        )
