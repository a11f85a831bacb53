"""The API against the real database: scope, sync, the dossier and its sensitive items, writes
through the screens' forms and services, errors in the caller's language, tokens, the rate
limit, no-store, and the OpenAPI schema."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiCallCount, ApiToken
from api.tokens import hash_key, token_issue, token_revoke
from personnel.models import AccessLogEntry, Movement, Staff
from tests.api.conftest import TokenClient
from tests.factories import StaffFactory

STAFF = "/api/v1/staff/"


def staff_url(staff, tail=""):
    return f"{STAFF}{staff.pk}/{tail}"


# --- Schema ------------------------------------------------------------------------------------


def test_the_schema_loads_and_validates_as_openapi_3(world, token_for):
    from drf_spectacular.validation import validate_schema

    response = token_for(world.clerk).get("/api/v1/schema/")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")
    operations = {
        operation["operationId"]
        for item in schema["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert {
        "units_list", "units_retrieve", "staff_list", "staff_create", "staff_departures",
        "staff_retrieve", "staff_salary", "staff_insurance", "staff_section_update",
        "staff_movement_create", "staff_salary_draft_create", "cbccvc_export_create",
        "cbccvc_export_retrieve", "cbccvc_export_file", "salary_decisions_list",
    } <= operations  # fmt: skip
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"


def test_the_docs_page_uses_no_inline_script_and_no_cdn(world, client_for):
    response = client_for(world.clerk).get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style>" not in html
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = client_for(world.clerk).get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


# --- Authentication -------------------------------------------------------------------------------


def test_without_credentials_the_api_answers_401_not_the_login_page(world):
    response = Client().get(STAFF)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "detail" in response.json()


def test_a_token_is_stored_only_as_its_hash_and_shown_once(world):
    token, key = token_issue(user=world.clerk, name="Sở Tài chính", actor=world.admin)
    assert key.startswith(token.prefix + ".")
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert not any(key in str(value) for value in stored.values())
    assert TokenClient(key).get(STAFF).status_code == 200


@pytest.mark.parametrize("spoil", ["revoke", "expire", "deactivate", "wrong_secret"])
def test_a_revoked_expired_or_wrong_token_is_refused(world, spoil):
    token, key = token_issue(user=world.clerk, name="Sở Tài chính", actor=world.admin)
    if spoil == "revoke":
        token_revoke(token=token, actor=world.admin)
    elif spoil == "expire":
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    elif spoil == "deactivate":
        world.clerk.is_active = False
        world.clerk.save()
    else:
        key = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    response = TokenClient(key).get(STAFF)
    assert response.status_code == 401


def test_the_tokens_account_decides_the_scope_exactly_as_for_a_person(world, token_for):
    ids = {row["id"] for row in token_for(world.clerk).get(STAFF).json()["results"]}
    assert ids == {world.staff_in_a.pk, world.staff_in_a1.pk, world.own_record.pk}
    outsider = {row["id"] for row in token_for(world.outsider).get(STAFF).json()["results"]}
    assert outsider == {world.staff_in_b.pk}
    assert token_for(world.outsider).get(staff_url(world.staff_in_a1)).status_code == 404


def test_each_call_is_logged_with_the_token(world):
    token, key = token_issue(user=world.head, name="Cổng dữ liệu", actor=world.admin)
    TokenClient(key).get(staff_url(world.staff_in_a1))
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.API_CALL)
    assert (entry.user, entry.staff) == (world.head, world.staff_in_a1)
    assert entry.detail == {"method": "GET", "status": 200, "token": token.prefix}
    assert entry.path == staff_url(world.staff_in_a1)


def test_every_answer_carries_no_store(world, token_for):
    for response in (
        token_for(world.clerk).get(STAFF),
        token_for(world.clerk).get(staff_url(world.staff_in_b)),  # 404
        Client().get(STAFF),  # 401
    ):
        assert "no-store" in response["Cache-Control"], response.status_code


def test_the_rate_limit_counts_per_token_in_the_database(world):
    token, key = token_issue(
        user=world.clerk, name="Sở Tài chính", actor=world.admin, rate_per_minute=3
    )
    _other, other_key = token_issue(user=world.clerk, name="Khác", actor=world.admin)
    client = TokenClient(key)
    statuses = [client.get(STAFF).status_code for _ in range(4)]
    if statuses != [200, 200, 200, 429]:  # the minute turned between two calls
        statuses = [client.get(STAFF).status_code for _ in range(4)]
    assert statuses[-1] == 429 and statuses.count(200) >= 2
    assert ApiCallCount.objects.filter(token=token).get().calls >= 4
    assert TokenClient(other_key).get(STAFF).status_code == 200  # another token, own budget


# --- Reading ----------------------------------------------------------------------------------


def test_staff_list_filters_by_subtree_category_status_and_changed_since(world, token_for):
    client = token_for(world.admin)
    in_a1 = {row["id"] for row in client.get(STAFF, {"unit": world.unit_a1.pk}).json()["results"]}
    assert in_a1 == {world.staff_in_a1.pk, world.own_record.pk}
    Staff.objects.filter(pk=world.staff_in_a1.pk).update(category=Staff.Category.PUBLIC_EMPLOYEE)
    rows = client.get(STAFF, {"category": "public_employee"}).json()["results"]
    assert [row["id"] for row in rows] == [world.staff_in_a1.pk]
    Staff.objects.filter(pk=world.staff_in_b.pk).update(status=Staff.Status.RETIRED)
    rows = client.get(STAFF, {"status": "retired"}).json()["results"]
    assert [row["id"] for row in rows] == [world.staff_in_b.pk]
    moment = timezone.now()
    Staff.objects.filter(pk=world.staff_in_a.pk).update(updated_at=moment)
    rows = client.get(
        STAFF, {"changed_since": (moment - datetime.timedelta(microseconds=1)).isoformat()}
    ).json()["results"]
    assert [row["id"] for row in rows] == [world.staff_in_a.pk]


def test_a_unit_outside_scope_as_filter_answers_404(world, token_for):
    assert token_for(world.clerk).get(STAFF, {"unit": world.unit_b.pk}).status_code == 404


def test_bad_filters_name_the_parameter(world, token_for):
    response = token_for(world.clerk, language="en").get(
        STAFF, {"status": "gone", "changed_since": "hôm qua"}
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) in ({"status"}, {"changed_since"})


def test_cursor_pages_cover_every_record_once(world, token_for):
    for number in range(7):
        StaffFactory(unit=world.unit_a1, full_name=f"Người {number}")
    client = token_for(world.clerk)
    seen, url, params = [], STAFF, {"page_size": 3}
    while url:
        page = client.get(url, params).json()
        seen += [row["id"] for row in page["results"]]
        assert len(page["results"]) <= 3
        url, params = page["next"], None
    assert len(seen) == len(set(seen)) == 10


def test_the_list_never_carries_sensitive_items(world, token_for):
    row = token_for(world.admin).get(STAFF).json()["results"][0]
    assert not {"ethnicity", "religion", "party_admission_date", "health_status"} & set(row)
    assert {"full_name", "birth_date", "personal_id", "unit", "unit_code", "version"} <= set(row)


def test_sensitive_items_need_the_permission_and_are_logged_as_a_reveal(world, token_for):
    Staff.objects.filter(pk=world.staff_in_a1.pk).update(health_status="Tốt")
    head = token_for(world.head).get(staff_url(world.staff_in_a1), {"sensitive": "true"})
    assert head.status_code == 403
    assert not AccessLogEntry.objects.filter(action="reveal").exists()
    plain = token_for(world.clerk).get(staff_url(world.staff_in_a1)).json()
    assert "health_status" not in plain and "disciplines" not in plain
    assert plain["sensitive_shown"] is False
    shown = token_for(world.clerk).get(staff_url(world.staff_in_a1), {"sensitive": "1"}).json()
    assert shown["health_status"] == "Tốt" and shown["disciplines"] == []
    reveal = AccessLogEntry.objects.get(action=AccessLogEntry.Action.REVEAL_SENSITIVE)
    assert (reveal.user, reveal.staff, reveal.detail["via"]) == (
        world.clerk,
        world.staff_in_a1,
        "api",
    )


def test_units_carry_codes_identifiers_validity_and_parent(world, token_for):
    rows = token_for(world.admin).get("/api/v1/units/").json()["results"]
    by_code = {row["code"]: row for row in rows}
    assert by_code["A1"]["parent"] == world.unit_a.pk
    assert by_code["PROV"]["admin_code"] == "99" and by_code["PROV"]["parent"] is None
    assert {"agency_code", "valid_from", "valid_to", "level", "kind"} <= set(by_code["A1"])
    detail = token_for(world.admin).get(f"/api/v1/units/{world.unit_a1.pk}/").json()
    assert detail["lineage"] == [] or detail["lineage"][0]["kind"]


def test_salary_and_insurance_of_a_person(world, token_for, salaries):
    salary = token_for(world.head).get(staff_url(world.staff_in_a1, "salary/")).json()
    assert salary["current"]["rank"] == "V.07.05.15" and salary["current"]["step"] == 9
    assert salary["monthly_salary"] and salary["base_salary"]
    insurance = token_for(world.head).get(staff_url(world.staff_in_a1, "insurance/"))
    assert insurance.status_code == 200
    assert set(insurance.json()) == {"social_insurance_number", "profile", "periods"}


def test_the_salary_feed_lists_approved_decisions_in_scope_in_approval_order(
    world, token_for, salaries
):
    from payroll import services as payroll_services

    feed = "/api/v1/salary-decisions/"
    client = token_for(world.clerk)
    first = client.get(feed, {"page_size": 1})
    assert first.status_code == 200
    seen, page = [], first.json()
    while True:
        seen += page["results"]
        if not page["next_cursor"]:
            break
        page = client.get(feed, {"page_size": 1, "cursor": page["next_cursor"]}).json()
    in_scope = {salaries[key].pk for key in ("a", "a1", "own")}
    assert sorted(row["id"] for row in seen) == sorted(in_scope)  # B's decision is out of scope
    a1 = next(row for row in seen if row["id"] == salaries["a1"].pk)
    assert (a1["staff_id"], a1["rank"], a1["step"], a1["status"]) == (
        world.staff_in_a1.pk,
        "V.07.05.15",
        9,
        "approved",
    )
    mark = first.json()["sync_mark"]
    draft = payroll_services.salary_draft_create(
        staff=world.staff_in_a,
        values={"kind": "regular", "effective_date": datetime.date(2026, 10, 1),
                "rank": salaries["a"].rank, "step": 4},
        actor=world.clerk,
    )  # fmt: skip
    assert draft.pk not in {row["id"] for row in client.get(feed).json()["results"]}
    moment = timezone.now()
    payroll_services.salary_records_approve(records=[draft], actor=world.head)
    since = client.get(feed, {"changed_since": moment.isoformat()}).json()["results"]
    assert [row["id"] for row in since] == [draft.pk]
    # The sync mark reaches a little back (late commits): the earlier ones again, then the new.
    again = [row["id"] for row in client.get(feed, {"changed_since": mark}).json()["results"]]
    assert again[-1] == draft.pk and set(again) <= in_scope | {draft.pk}
    assert since[-1]["approved_at"]
    only_a1 = client.get(feed, {"unit": world.unit_a1.pk}).json()["results"]
    assert {row["staff_id"] for row in only_a1} == {world.staff_in_a1.pk, world.own_record.pk}
    assert token_for(world.clerk).get(feed, {"unit": world.unit_b.pk}).status_code == 404


def test_decisions_removed_by_undoing_an_import_are_listed_for_a_synced_copy(
    world, token_for, settings, tmp_path
):
    """An undone import batch takes its approved decisions away: the feed of removals tells a
    client which to drop, in scope only, and from a moment on."""
    from payroll.models import SalaryRecord
    from personnel.models import ImportBatch
    from personnel.services import imports
    from tests.payroll.test_salary_imports import batch_of, decision, mark_committed

    settings.MEDIA_ROOT = tmp_path / "media"
    removed_feed = "/api/v1/salary-decisions/removed/"
    person = world.staff_in_a1
    batch = batch_of(
        world, [decision(person), decision(person, step="2", effective_date="01/10/2013")]
    )
    mark_committed(batch, imports.import_commit(batch=batch))
    imported = sorted(SalaryRecord.objects.filter(import_batch=batch).values_list("pk", flat=True))
    client = token_for(world.clerk)
    feed = client.get("/api/v1/salary-decisions/").json()["results"]
    assert set(imported) <= {row["id"] for row in feed}
    before = client.get(removed_feed)
    assert before.status_code == 200 and before.json()["results"] == []
    imports.import_batch_undo(batch=ImportBatch.objects.get(pk=batch.pk), actor=world.clerk)

    # (the audit trail stamps a removal with its transaction's start: the test's transaction)
    removed = client.get(removed_feed).json()["results"]
    assert sorted(row["id"] for row in removed) == imported
    assert {(row["staff_id"], row["import_batch"]) for row in removed} == {
        (person.pk, str(batch.pk))
    }
    assert not set(imported) & {
        row["id"] for row in client.get("/api/v1/salary-decisions/").json()["results"]
    }
    paged = client.get(removed_feed, {"page_size": 1}).json()
    assert len(paged["results"]) == 1 and paged["next_cursor"]
    rest = client.get(removed_feed, {"page_size": 1, "cursor": paged["next_cursor"]}).json()
    assert [row["id"] for row in paged["results"] + rest["results"]] == [
        row["id"] for row in removed
    ]
    later = client.get(removed_feed, {"changed_since": timezone.now().isoformat()}).json()
    assert later["results"] == []
    # Unit B's clerk-less view: out of scope, nothing to drop
    assert token_for(world.clerk).get(removed_feed, {"unit": world.unit_b.pk}).status_code == 404
    outsider = token_for(world.outsider).get(removed_feed)
    assert outsider.status_code == 200 and outsider.json()["results"] == []


# --- Writing ------------------------------------------------------------------------------------


def test_a_section_edit_goes_through_the_service_with_the_version(world, token_for):
    staff = world.staff_in_a1
    client = token_for(world.clerk)
    response = client.patch(
        staff_url(staff, "sections/residence/"), {"version": staff.version, "phone": "0912 345 678"}
    )
    assert response.status_code == 200, response.content
    staff.refresh_from_db()
    assert staff.phone == "0912 345 678" and response.json()["version"] == staff.version == 2
    stale = client.patch(
        staff_url(staff, "sections/residence/"), {"version": 1, "phone": "0987654321"}
    )
    assert stale.status_code == 409
    staff.refresh_from_db()
    assert staff.phone == "0912 345 678"


@pytest.mark.parametrize(
    ("language", "words"), [("en", "digits"), ("vi", "chữ số"), (None, "chữ số")]
)
def test_errors_name_the_field_in_the_callers_language(world, token_for, language, words):
    staff = world.staff_in_a1
    response = token_for(world.clerk, language=language).patch(
        staff_url(staff, "sections/residence/"), {"version": staff.version, "phone": "12"}
    )
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == ["phone"]
    assert words in body["errors"]["phone"][0]
    staff.refresh_from_db()
    assert staff.phone == "" and staff.version == 1


def test_fields_of_another_section_or_unknown_ones_are_refused(world, token_for):
    staff = world.staff_in_a1
    response = token_for(world.clerk).patch(
        staff_url(staff, "sections/residence/"), {"version": 1, "full_name": "X", "hack": 1}
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"full_name", "hack"}


def test_a_head_may_read_but_not_write_and_nothing_is_written(world, token_for):
    staff = world.staff_in_a1
    client = token_for(world.head)
    assert (
        client.patch(staff_url(staff, "sections/residence/"), {"version": 1, "phone": "0912345678"})
    ).status_code == 403
    out = token_for(world.outsider).post(
        staff_url(staff, "movements/"),
        {"kind": "retirement", "version": 1, "effective_date": "2026-01-01"},
    )
    assert out.status_code == 404
    staff.refresh_from_db()
    assert (staff.version, staff.phone, staff.movements.count()) == (1, "", 0)


def test_a_transfer_is_recorded_and_reported_as_a_departure(world, token_for):
    staff = world.staff_in_a1
    clerk = token_for(world.admin)
    response = clerk.post(
        staff_url(staff, "movements/"),
        {
            "kind": "transfer", "version": staff.version, "effective_date": "2026-03-01",
            "to_unit": world.unit_b1.pk, "decision": "QĐ 12/QĐ-SNV",
        },
    )  # fmt: skip
    assert response.status_code == 201, response.content
    staff.refresh_from_db()
    assert staff.unit == world.unit_b1
    assert Movement.objects.get(staff=staff).kind == "transfer"
    departures = token_for(world.clerk).get(f"{STAFF}departures/").json()["results"]
    assert [(row["staff"], row["from_unit"]) for row in departures] == [
        (staff.pk, world.unit_a1.pk)
    ]


def test_a_movement_with_a_bad_date_names_the_field(world, token_for):
    response = token_for(world.clerk, language="en").post(
        staff_url(world.staff_in_a1, "movements/"),
        {"kind": "retirement", "version": 1, "effective_date": "1900-01-01"},
    )
    assert response.status_code == 400
    assert "effective_date" in response.json()["errors"]


def test_a_salary_draft_is_prepared_by_rank_code(world, token_for, salaries):
    from payroll.models import SalaryRecord

    response = token_for(world.clerk).post(
        staff_url(world.staff_in_a, "salary/drafts/"),
        {"kind": "regular", "effective_date": "2026-10-01", "rank": "01.003", "step": 4},
    )
    assert response.status_code == 201, response.content
    draft = SalaryRecord.objects.get(pk=response.json()["id"])
    assert (draft.status, draft.step, draft.created_by) == ("draft", 4, world.clerk)
    wrong = token_for(world.clerk, language="en").post(
        staff_url(world.staff_in_a, "salary/drafts/"),
        {"kind": "regular", "effective_date": "2026-11-01", "rank": "01.003", "step": 40},
    )
    assert wrong.status_code == 400 and list(wrong.json()["errors"]) == ["step"]


def test_a_record_is_created_in_a_unit_the_caller_may_edit(world, token_for):
    body = {
        "unit": world.unit_a1.pk, "staff_number": "API0001", "full_name": "Vũ Thị Hoa",
        "birth_date": "1990-02-03", "sex": "female", "category": "public_employee",
        "personal_id": "037190000111",
    }  # fmt: skip
    response = token_for(world.clerk).post(STAFF, body)
    assert response.status_code == 201, response.content
    assert Staff.objects.get(pk=response.json()["id"]).unit == world.unit_a1
    outside = token_for(world.clerk).post(STAFF, {**body, "unit": world.unit_b1.pk})
    assert outside.status_code == 400 and "unit" in outside.json()["errors"]


def test_session_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.clerk, backend="django.contrib.auth.backends.ModelBackend")
    response = client.patch(
        staff_url(world.staff_in_a1, "sections/residence/"),
        {"version": 1, "phone": "0912345678"},
        content_type="application/json",
    )
    assert response.status_code == 403
    world.staff_in_a1.refresh_from_db()
    assert world.staff_in_a1.version == 1


def test_a_table_is_replaced_row_by_row_through_the_formset(world, token_for):
    from personnel.models import Training

    staff = world.staff_in_a1
    kept = Training.objects.create(staff=staff, school="Đại học Huế", start="2003")
    dropped = Training.objects.create(staff=staff, school="Trường cũ", start="2001")
    client = token_for(world.clerk)
    read = client.get(staff_url(staff)).json()
    assert {row["school"] for row in read["training"]} == {"Đại học Huế", "Trường cũ"}
    response = client.put(
        staff_url(staff, "sections/training/"),
        {
            "version": read["version"],
            "rows": [
                {"id": kept.pk, "degree": "Cử nhân"},
                {"school": "Học viện Hành chính", "start": "2015-09", "end": "2017"},
            ],
        },
    )
    assert response.status_code == 200, response.content
    rows = {row.school: row for row in Training.objects.filter(staff=staff)}
    assert set(rows) == {"Đại học Huế", "Học viện Hành chính"}
    assert rows["Đại học Huế"].degree == "Cử nhân"
    assert not Training.objects.filter(pk=dropped.pk).exists()
    bad = client.put(
        staff_url(staff, "sections/training/"),
        {
            "version": response.json()["version"],
            "rows": [{"school": "X", "start": "2015", "end": "2010"}],
        },
    )
    assert bad.status_code == 400 and "rows[0].end" in bad.json()["errors"], bad.json()
    assert Training.objects.filter(staff=staff).count() == 2
