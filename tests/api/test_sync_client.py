"""A client written against the schema: it finds its operations in /api/v1/schema/ by their
operationId (never a hard-coded path), syncs a unit page by page, then syncs again and gets
only what changed — an edit, a leaver, a newcomer — and the record that was transferred away
as a departure."""

import datetime

import pytest

from personnel.models import Staff
from tests.api.conftest import TokenClient
from tests.factories import StaffFactory


class SchemaClient:
    """What another agency's system would write: operations by id, paths from the schema."""

    def __init__(self, http: TokenClient):
        self.http = http
        schema = http.get("/api/v1/schema/").json()
        self.operations = {
            operation["operationId"]: (path, method.upper())
            for path, item in schema["paths"].items()
            for method, operation in item.items()
            if isinstance(operation, dict) and "operationId" in operation
        }

    def url(self, operation: str, **params) -> str:
        path, _method = self.operations[operation]
        for name, value in params.items():
            path = path.replace("{" + name + "}", str(value))
        return path

    def pages(self, operation: str, **query):
        """Every page of a list operation, following next_cursor; yields the envelopes."""
        url, query = self.url(operation), {k: v for k, v in query.items() if v is not None}
        while True:
            response = self.http.get(url, query)
            assert response.status_code == 200, response.content
            page = response.json()
            yield page
            if page["next_cursor"] is None:
                return
            query = {**query, "cursor": page["next_cursor"]}

    def sync(self, copy: dict, *, unit: int, since: str | None) -> str:
        """Bring ``copy`` (id → record) up to date; returns the mark for the next sync."""
        mark = None
        for page in self.pages("staff_list", unit=unit, changed_since=since, page_size=2):
            mark = mark or page["sync_mark"]
            for record in page["results"]:
                copy[record["id"]] = record
        for page in self.pages("staff_departures", unit=unit, changed_since=since):
            for departure in page["results"]:
                copy.pop(departure["staff"], None)
        return mark


@pytest.fixture
def no_overlap(settings):
    settings.API_SYNC_OVERLAP_SECONDS = 0


def test_a_schema_client_syncs_a_unit_then_only_what_changed(world, token_for, no_overlap):
    for number in range(5):
        StaffFactory(unit=world.unit_a1, full_name=f"Giáo viên {number}")
    clerk = token_for(world.clerk)
    client = SchemaClient(clerk)
    copy: dict[int, dict] = {}
    mark = client.sync(copy, unit=world.unit_a.pk, since=None)
    assert set(copy) == set(Staff.objects.in_subtree(world.unit_a).values_list("pk", flat=True))
    assert len(copy) == 8

    # Nothing changed: the next sync reads nothing.
    calls = []
    for page in client.pages("staff_list", unit=world.unit_a.pk, changed_since=mark):
        calls += page["results"]
    assert calls == []

    # Changes through the API itself (a clerk's edit, a retirement, a transfer) and a newcomer.
    edited, leaver, moved = world.staff_in_a1, world.staff_in_a, world.own_record
    patch = clerk.patch(
        client.url("staff_section_update", id=edited.pk, section="residence"),
        {"version": copy[edited.pk]["version"], "current_residence": "Phường Mới"},
    )
    assert patch.status_code == 200, patch.content
    today = datetime.date.today().isoformat()
    for person, body in (
        (leaver, {"kind": "retirement", "effective_date": today}),
        (moved, {"kind": "transfer", "effective_date": today, "to_unit": world.unit_b1.pk}),
    ):
        response = token_for(world.admin).post(
            client.url("staff_movement_create", id=person.pk),
            {"version": copy[person.pk]["version"], **body},
        )
        assert response.status_code == 201, response.content
    newcomer = StaffFactory(unit=world.unit_a1, full_name="Người Mới")

    before = dict(copy)
    seen: list[int] = []
    for page in client.pages("staff_list", unit=world.unit_a.pk, changed_since=mark):
        seen += [record["id"] for record in page["results"]]
    assert sorted(seen) == sorted([edited.pk, leaver.pk, newcomer.pk])  # only what changed
    client.sync(copy, unit=world.unit_a.pk, since=mark)
    assert copy[edited.pk]["current_residence"] == "Phường Mới"
    assert copy[edited.pk]["version"] == before[edited.pk]["version"] + 1
    assert (copy[leaver.pk]["status"], copy[leaver.pk]["status_since"]) == ("retired", today)
    assert moved.pk not in copy and newcomer.pk in copy
    assert set(copy) == set(Staff.objects.in_subtree(world.unit_a).values_list("pk", flat=True))
