"""Merging and splitting units from the administration site and from the command line: the
units that end are end-dated and a lineage event records the change."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from personnel.models import LineageEvent
from tests.factories import OrgUnitFactory


@pytest.fixture
def schools(world):
    return [
        OrgUnitFactory(parent=world.unit_a, code=code, name=name)
        for code, name in (("M1", "Trường Mầm non 1"), ("M2", "Trường Mầm non 2"))
    ]


def test_the_administrator_merges_units_on_a_screen_and_the_lineage_event_is_recorded(
    world, schools, client_for
):
    client = client_for(world.admin)
    assert (
        reverse("admin:personnel_orgunit_merge")
        in client.get(reverse("admin:personnel_orgunit_changelist")).content.decode()
    )
    response = client.post(
        reverse("admin:personnel_orgunit_merge"),
        {"sources": [u.pk for u in schools], "result": schools[0].pk,
         "effective_date": "01/07/2026", "legal_basis": "QĐ 12/QĐ-UBND"},
    )  # fmt: skip
    event = LineageEvent.objects.get(kind=LineageEvent.Kind.MERGE)
    assert response.status_code == 302
    assert response.url == reverse("admin:personnel_lineageevent_change", args=[event.pk])
    assert set(event.sources.all()) == set(schools) and list(event.results.all()) == [schools[0]]
    for unit in schools:
        unit.refresh_from_db()
    assert schools[1].valid_to == datetime.date(2026, 6, 30) and schools[0].valid_to is None


def test_a_split_screen_refuses_a_split_without_results_and_only_admins_open_it(
    world, schools, client_for
):
    client = client_for(world.admin)
    response = client.post(
        reverse("admin:personnel_orgunit_split"),
        {"source": schools[0].pk, "effective_date": "01/07/2026", "legal_basis": "QĐ 1"},
    )
    assert response.status_code == 200 and not LineageEvent.objects.exists()
    assert client_for(world.clerk).get(reverse("admin:personnel_orgunit_split")).status_code == 302


def test_the_command_splits_a_unit(world, schools):
    split = ["units_change", "split", "--unit", "A1", "--into", "M1", "M2",
             "--date", "01/09/2026", "--basis", "QĐ 7/QĐ-UBND", "--by", "admin_p"]  # fmt: skip
    working = set(world.unit_a1.staff.filter(status="active").values_list("pk", flat=True))
    assert working
    with pytest.raises(CommandError, match="hãy chọn đơn vị mới tiếp nhận"):
        call_command(*split)
    call_command(*split, "--staff-to", "M2")
    event = LineageEvent.objects.get(kind=LineageEvent.Kind.SPLIT)
    assert list(event.sources.all()) == [world.unit_a1]
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.valid_to == datetime.date(2026, 8, 31)
    assert set(schools[1].staff.values_list("pk", flat=True)) == working
    with pytest.raises(CommandError, match="No current unit"):
        call_command(
            "units_change", "merge", "--units", "NOPE", "--into", "M1", "--date", "01/09/2026",
            "--basis", "x", "--by", "admin_p",
        )  # fmt: skip


def test_the_merge_screen_says_how_many_staff_followed_and_the_split_screen_asks_where_to(
    world, schools, client_for
):
    from tests.factories import StaffFactory

    StaffFactory(unit=schools[1], full_name="Vũ Thị Theo")
    client = client_for(world.admin)
    response = client.post(
        reverse("admin:personnel_orgunit_merge"),
        {"sources": [u.pk for u in schools], "result": schools[0].pk,
         "effective_date": "01/07/2026", "legal_basis": "QĐ 12/QĐ-UBND"},
        follow=True,
    )  # fmt: skip
    assert "đã điều chuyển 1 cán bộ" in response.content.decode()
    assert schools[0].staff.get().full_name == "Vũ Thị Theo"
    other = OrgUnitFactory(parent=world.unit_a, code="M3", name="Trường Mầm non 3")
    response = client.post(
        reverse("admin:personnel_orgunit_split"),
        {"source": schools[0].pk, "results": [other.pk], "effective_date": "01/08/2026",
         "legal_basis": "QĐ 13/QĐ-UBND"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "hãy chọn đơn vị mới tiếp nhận họ" in response.context["form"].errors["staff_to"][0]
    assert not LineageEvent.objects.filter(kind=LineageEvent.Kind.SPLIT).exists()
