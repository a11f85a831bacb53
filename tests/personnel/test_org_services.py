"""Structural changes go through services that record lineage and never delete."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from personnel import services
from personnel.models import LineageEvent, OrgUnit
from tests.factories import OrgUnitFactory, StaffFactory

REFORM = datetime.date(2025, 7, 1)
BASIS = "NQ 1234/NQ-UBTVQH15"


@pytest.fixture
def province(db):
    return OrgUnitFactory(code="P", name="Tỉnh", kind=OrgUnit.Kind.PEOPLES_COMMITTEE)


def test_establish_records_an_event_under_the_parent(province, django_user_model):
    actor = django_user_model.objects.create(username="a")
    unit = services.unit_establish(
        parent=province,
        effective_date=datetime.date(2024, 1, 1),
        legal_basis=BASIS,
        actor=actor,
        code="SNV",
        name="Sở Nội vụ",
        level="province",
        kind="department",
    )
    assert unit.parent_unit() == province
    assert unit.valid_from == datetime.date(2024, 1, 1)
    event = LineageEvent.objects.get(kind="establish", results=unit)
    assert (
        event.recorded_by == actor and event.legal_basis == BASIS and event.new_parent == province
    )


def test_establish_validates_fields_with_a_message_naming_the_field(province):
    with pytest.raises(ValidationError) as error:
        services.unit_establish(
            parent=province,
            effective_date=REFORM,
            legal_basis=BASIS,
            actor=None,
            code="X1",
            name="Xã",
            level="commune",
            kind="committee",
            admin_code="123",
        )
    assert "admin_code" in error.value.message_dict
    assert not OrgUnit.objects.filter(code="X1").exists()


def test_rename_keeps_the_old_name_on_the_event(province):
    unit = OrgUnitFactory(parent=province, name="Sở Lao động")
    services.unit_rename(
        unit=unit, new_name="Sở Nội vụ", effective_date=REFORM, legal_basis=BASIS, actor=None
    )
    unit.refresh_from_db()
    assert unit.name == "Sở Nội vụ"
    event = LineageEvent.objects.get(kind="rename")
    assert (event.old_name, event.new_name) == ("Sở Lao động", "Sở Nội vụ")


def test_move_carries_the_whole_subtree(province):
    district = OrgUnitFactory(parent=province, code="H", name="Huyện", level="district")
    commune = OrgUnitFactory(parent=province, code="X", name="Xã mới", level="commune")
    school = OrgUnitFactory(parent=district, code="S", name="Trường")
    OrgUnitFactory(parent=school, code="S1", name="Điểm trường")

    services.unit_move(
        unit=school, new_parent=commune, effective_date=REFORM, legal_basis=BASIS, actor=None
    )

    commune.refresh_from_db()
    moved = OrgUnit.objects.get(code="S")
    assert moved.parent_unit() == commune
    assert OrgUnit.objects.get(code="S1").path.startswith(commune.path)
    event = LineageEvent.objects.get(kind="move")
    assert event.old_parent.code == "H" and event.new_parent == commune


def test_a_unit_cannot_move_under_itself(province):
    unit = OrgUnitFactory(parent=province, code="A")
    child = OrgUnitFactory(parent=unit, code="A1")
    with pytest.raises(ValidationError):
        services.unit_move(
            unit=unit, new_parent=child, effective_date=REFORM, legal_basis=BASIS, actor=None
        )


def test_dissolve_end_dates_the_subtree_and_deletes_nothing(province):
    district = OrgUnitFactory(parent=province, code="H", level="district")
    OrgUnitFactory(parent=district, code="H-P1")
    services.unit_dissolve(unit=district, effective_date=REFORM, legal_basis=BASIS, actor=None)
    ended = OrgUnit.objects.filter(code__in=["H", "H-P1"])
    assert ended.count() == 2
    assert {unit.valid_to for unit in ended} == {datetime.date(2025, 6, 30)}


def test_dissolve_is_refused_while_staff_still_work_there(province):
    unit = OrgUnitFactory(parent=province, code="H")
    StaffFactory(unit=unit)
    with pytest.raises(ValidationError, match="điều chuyển"):
        services.unit_dissolve(unit=unit, effective_date=REFORM, legal_basis=BASIS, actor=None)
    unit.refresh_from_db()
    assert unit.valid_to is None
    assert not LineageEvent.objects.filter(kind="dissolve").exists()


def test_merge_ends_the_sources_and_links_them_to_the_result(province):
    old = [OrgUnitFactory(parent=province, code=f"X{n}", level="commune") for n in range(3)]
    new = services.unit_establish(
        parent=province,
        effective_date=REFORM,
        legal_basis=BASIS,
        actor=None,
        code="XN",
        name="Xã Mới",
        level="commune",
        kind="committee",
    )
    event = services.units_merge(
        sources=old, result=new, effective_date=REFORM, legal_basis=BASIS, actor=None
    )
    assert set(event.sources.all()) == set(old) and list(event.results.all()) == [new]
    assert all(OrgUnit.objects.get(pk=u.pk).valid_to == datetime.date(2025, 6, 30) for u in old)
    assert OrgUnit.objects.get(pk=new.pk).valid_to is None


def test_merge_into_one_of_the_sources_keeps_it_current(province):
    a = OrgUnitFactory(parent=province, code="A")
    b = OrgUnitFactory(parent=province, code="B")
    services.units_merge(
        sources=[a, b], result=a, effective_date=REFORM, legal_basis=BASIS, actor=None
    )
    assert OrgUnit.objects.get(code="A").valid_to is None
    assert OrgUnit.objects.get(code="B").valid_to == datetime.date(2025, 6, 30)


def test_split_ends_the_source_unless_it_continues(province):
    source = OrgUnitFactory(parent=province, code="S")
    parts = [OrgUnitFactory(parent=province, code=f"S{n}") for n in range(2)]
    event = services.unit_split(
        source=source, results=parts, effective_date=REFORM, legal_basis=BASIS, actor=None
    )
    assert set(event.results.all()) == set(parts)
    assert OrgUnit.objects.get(code="S").valid_to == datetime.date(2025, 6, 30)


def test_an_ended_unit_cannot_be_renamed_after_its_end(province):
    unit = OrgUnitFactory(parent=province, code="E", valid_to=datetime.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="đã chấm dứt hoạt động"):
        services.unit_rename(
            unit=unit, new_name="Mới", effective_date=REFORM, legal_basis=BASIS, actor=None
        )


# --- Staff follow their unit into a merger or split (docs/rules.md §9.5) ----------------------


def _commune(province, code):
    return OrgUnitFactory(parent=province, code=code, name=f"Xã {code}", level="commune")


def test_merge_transfers_everyone_still_in_the_service_from_the_ended_units_and_their_offices(
    province,
):
    old_a, old_b, new = (_commune(province, code) for code in ("XA", "XB", "XN"))
    office = OrgUnitFactory(parent=old_b, code="XB-VP", name="Văn phòng xã B")
    working = StaffFactory(unit=old_a, full_name="Nguyễn Văn Làm")
    on_leave = StaffFactory(unit=office, status="unpaid_leave", full_name="Trần Thị Nghỉ")
    retired = StaffFactory(unit=old_b, status="retired", full_name="Lê Văn Hưu")
    already_there = StaffFactory(unit=new)
    event = services.units_merge(
        sources=[old_a, old_b], result=new, effective_date=REFORM, legal_basis=BASIS, actor=None
    )
    assert event.staff_moved == 2
    for person in (working, on_leave, retired, already_there):
        person.refresh_from_db()
    assert working.unit == new and on_leave.unit == new and already_there.unit == new
    assert on_leave.status == "unpaid_leave"
    assert retired.unit == old_b and not retired.movements.exists()
    movement = working.movements.get()
    assert (movement.kind, movement.from_unit, movement.to_unit) == ("transfer", old_a, new)
    assert movement.effective_date == REFORM and movement.decision == BASIS
    assert on_leave.movements.get().from_unit == office
    assert OrgUnit.objects.get(code="XB-VP").valid_to == datetime.date(2025, 6, 30)
    assert working.work_history.get(end="").unit == new


def test_a_merge_that_cannot_move_someone_changes_nothing_and_names_the_person(province):
    old, other, new = (_commune(province, code) for code in ("XA", "XB", "XN"))
    blocked = StaffFactory(unit=old, full_name="Phạm Văn Trễ")
    StaffFactory(unit=old)
    services.staff_transfer(
        staff_id=blocked.pk,
        expected_version=None,
        to_unit=other,
        effective_date=datetime.date(2025, 9, 1),
        actor=None,
    )
    services.staff_transfer(
        staff_id=blocked.pk,
        expected_version=None,
        to_unit=old,
        effective_date=datetime.date(2025, 10, 1),
        actor=None,
    )
    with pytest.raises(ValidationError, match="Phạm Văn Trễ"):
        services.units_merge(
            sources=[old, new], result=new, effective_date=REFORM, legal_basis=BASIS, actor=None
        )
    assert OrgUnit.objects.get(code="XA").valid_to is None
    assert not LineageEvent.objects.filter(kind="merge").exists()
    assert set(OrgUnit.objects.get(code="XA").staff.values_list("status", flat=True)) == {"active"}
    assert not OrgUnit.objects.get(code="XN").staff.exists()


def test_a_split_that_ends_asks_which_result_receives_the_staff(province):
    source, part_a, part_b = (_commune(province, code) for code in ("S", "S1", "S2"))
    person = StaffFactory(unit=source)
    with pytest.raises(ValidationError) as refused:
        services.unit_split(
            source=source, results=[part_a, part_b], effective_date=REFORM,
            legal_basis=BASIS, actor=None,
        )  # fmt: skip
    assert "staff_to" in refused.value.error_dict
    assert OrgUnit.objects.get(code="S").valid_to is None
    assert not LineageEvent.objects.filter(kind="split").exists()
    with pytest.raises(ValidationError, match="một trong các đơn vị"):
        services.unit_split(
            source=source, results=[part_a], effective_date=REFORM, legal_basis=BASIS,
            actor=None, staff_to=part_b,
        )  # fmt: skip
    event = services.unit_split(
        source=source, results=[part_a, part_b], effective_date=REFORM, legal_basis=BASIS,
        actor=None, staff_to=part_b,
    )  # fmt: skip
    person.refresh_from_db()
    assert event.staff_moved == 1 and person.unit == part_b
    assert OrgUnit.objects.get(code="S").valid_to == datetime.date(2025, 6, 30)


def test_a_split_unit_that_continues_keeps_its_staff(province):
    source, part = _commune(province, "S"), _commune(province, "S1")
    person = StaffFactory(unit=source)
    event = services.unit_split(
        source=source, results=[part], effective_date=REFORM, legal_basis=BASIS, actor=None,
        source_continues=True,
    )  # fmt: skip
    person.refresh_from_db()
    assert event.staff_moved == 0 and person.unit == source
