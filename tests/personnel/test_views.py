"""Unit and staff screens as each persona uses them (the access matrix covers every status)."""

import datetime

import pytest
from django.urls import reverse

from personnel import services
from personnel.models import Staff
from tests.factories import OrgUnitFactory, StaffFactory


def text(response) -> str:
    return response.content.decode()


def test_unit_list_shows_the_clerks_subtree_only(world, client_for):
    content = text(client_for(world.clerk).get(reverse("personnel:unit_list")))
    assert "Sở A" in content and "Trường A1" in content
    assert "Sở B" not in content and "Trường B1" not in content and "Tỉnh Thử" not in content


def test_ended_units_are_hidden_until_asked_for(world, client_for):
    OrgUnitFactory(
        parent=world.unit_a,
        code="OLD",
        name="Phòng đã giải thể",
        valid_to=datetime.date(2025, 6, 30),
    )
    client = client_for(world.clerk)
    assert "Phòng đã giải thể" not in text(client.get(reverse("personnel:unit_list")))
    assert "Phòng đã giải thể" in text(client.get(reverse("personnel:unit_list") + "?ended=1"))


def test_unit_page_shows_particulars_children_and_lineage(world, client_for):
    services.unit_rename(
        unit=world.unit_a1,
        new_name="Trường THPT A1",
        actor=world.admin,
        effective_date=datetime.date(2025, 7, 1),
        legal_basis="QĐ 99/QĐ-UBND",
    )
    content = text(
        client_for(world.clerk).get(reverse("personnel:unit_detail", args=[world.unit_a.pk]))
    )
    assert "Trường THPT A1" in content
    page = text(
        client_for(world.clerk).get(reverse("personnel:unit_detail", args=[world.unit_a1.pk]))
    )
    assert "Trường A1 → Trường THPT A1" in page and "QĐ 99/QĐ-UBND" in page and "01/07/2025" in page
    # the province above the clerk's grant is named but not linked
    assert reverse("personnel:unit_detail", args=[world.province.pk]) not in page


def test_staff_list_of_the_clerk(world, client_for):
    response = client_for(world.clerk).get(reverse("personnel:staff_list"))
    people = [person.full_name for person in response.context["page"]]
    assert people == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc"]  # An, Bình, Cúc


def test_staff_list_of_a_staff_member_is_their_own_record(world, client_for):
    response = client_for(world.staff_user).get(reverse("personnel:staff_list"))
    assert [p.pk for p in response.context["page"]] == [world.own_record.pk]


def test_staff_list_filters_by_unit_subtree_category_and_status(world, client_for):
    StaffFactory(
        unit=world.unit_a1,
        full_name="Vũ Văn Em",
        category=Staff.Category.PUBLIC_EMPLOYEE,
        status=Staff.Status.RETIRED,
    )
    client = client_for(world.clerk)
    url = reverse("personnel:staff_list")
    by_unit = client.get(url, {"unit": world.unit_a1.pk}).context["page"]
    assert {p.full_name for p in by_unit} == {"Trần Thị Bình", "Lê Thị Cúc", "Vũ Văn Em"}
    by_category = client.get(url, {"category": "public_employee"}).context["page"]
    assert [p.full_name for p in by_category] == ["Vũ Văn Em"]
    by_status = client.get(url, {"status": "active", "unit": world.unit_a1.pk}).context["page"]
    assert {p.full_name for p in by_status} == {"Trần Thị Bình", "Lê Thị Cúc"}


def test_a_unit_outside_scope_in_the_filter_is_refused_not_obeyed(world, client_for):
    response = client_for(world.clerk).get(
        reverse("personnel:staff_list"), {"unit": world.unit_b.pk}
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert "Phạm Văn Dũng" not in text(response)


def test_unknown_sort_orders_are_ignored(world, client_for):
    response = client_for(world.clerk).get(reverse("personnel:staff_list"), {"sort": "password"})
    assert response.status_code == 200
    assert [p.full_name for p in response.context["page"]][0] == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("sort", "first"),
    [("-name", "Lê Thị Cúc"), ("number", "Nguyễn Văn An"), ("-birth", "Trần Thị Bình")],
)
def test_staff_list_sorts(world, client_for, sort, first):
    world.staff_in_a1.birth_date = "1999-01-01"
    world.staff_in_a1.save()
    page = (
        client_for(world.clerk).get(reverse("personnel:staff_list"), {"sort": sort}).context["page"]
    )
    assert page[0].full_name == first


def test_staff_list_query_count_does_not_grow_with_the_list(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.clerk)
    client.get(reverse("personnel:staff_list"))  # warm the session

    def queries() -> tuple[int, object]:
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("personnel:staff_list"))
        return len(context), response

    few, _response = queries()
    for number in range(70):
        StaffFactory(unit=world.unit_a1, full_name=f"Người Thứ {number}")
    many, response = queries()
    assert many == few <= 14  # 13, and the unread-notifications badge
    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.count == 73


def test_staff_page_shows_the_record(world, client_for):
    content = text(
        client_for(world.head).get(reverse("personnel:staff_detail", args=[world.staff_in_a1.pk]))
    )
    assert "Trần Thị Bình" in content and "17/05/1985" in content and "Trường A1" in content


def test_my_record_leads_staff_to_their_own_page(world, client_for):
    response = client_for(world.staff_user).get(reverse("personnel:my_record"))
    assert response.status_code == 302
    assert response.url == reverse("personnel:staff_detail", args=[world.own_record.pk])


def test_navigation_offers_only_what_the_role_may_open(world, client_for):
    staff_nav = text(client_for(world.staff_user).get(reverse("home")))
    assert (
        reverse("personnel:unit_list") not in staff_nav and reverse("admin:index") not in staff_nav
    )
    assert reverse("personnel:my_record") in staff_nav
    admin_nav = text(client_for(world.admin).get(reverse("home")))
    assert reverse("admin:index") in admin_nav and reverse("personnel:unit_list") in admin_nav
