"""The organisation tree: subtree queries, constraints, and units that are never deleted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from personnel import selectors
from personnel.models import OrgUnit
from tests.factories import OrgUnitFactory


def _chain(depth: int) -> list[OrgUnit]:
    units = [OrgUnitFactory(code="ROOT", name="Gốc")]
    for level in range(1, depth):
        units.append(OrgUnitFactory(parent=units[-1], code=f"L{level}", name=f"Cấp {level}"))
        OrgUnitFactory(
            parent=units[-2], code=f"S{level}", name=f"Nhánh {level}"
        )  # a sibling branch
    return [OrgUnit.objects.get(pk=unit.pk) for unit in units]


@pytest.mark.django_db
@pytest.mark.parametrize("depth", [2, 5, 12])
def test_subtree_is_one_query_whatever_the_depth(depth, django_assert_num_queries):
    chain = _chain(depth)
    expected = {unit.pk for unit in OrgUnit.objects.all() if unit.path.startswith(chain[1].path)}

    with django_assert_num_queries(1):
        found = {unit.pk for unit in selectors.unit_subtree(unit=chain[1])}

    assert found == expected
    assert chain[-1].pk in found and chain[0].pk not in found


@pytest.mark.django_db
def test_subtree_query_uses_the_path_prefix_index():
    chain = _chain(4)
    # Without ORDER BY: ordering by path may rightly walk the unique path index instead.
    sql, params = selectors.unit_subtree(unit=chain[1]).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "orgunit_path_prefix" in plan


@pytest.mark.django_db
def test_units_cannot_be_deleted_even_with_raw_sql():
    unit = OrgUnitFactory()
    with pytest.raises(Exception, match="orgunit_never_deleted"), transaction.atomic():
        OrgUnit.objects.filter(pk=unit.pk).delete()
    with (
        pytest.raises(Exception, match="orgunit_never_deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM personnel_orgunit WHERE id = %s", [unit.pk])
    assert OrgUnit.objects.filter(pk=unit.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("level", "code", "ok"),
    [
        ("province", "37", True),
        ("province", "371", False),
        ("district", "369", True),
        ("district", "36", False),
        ("commune", "14329", True),
        ("commune", "1432", False),
        ("commune", "1432A", False),
    ],
)
def test_admin_code_length_follows_the_level(level, code, ok):
    unit = OrgUnit(
        code="X",
        name="X",
        level=level,
        kind="committee",
        admin_code=code,
        valid_from=datetime.date(2000, 1, 1),
    )
    if ok:
        unit.clean()
        return
    with pytest.raises(ValidationError) as error:
        unit.clean()
    assert "admin_code" in error.value.message_dict
    # The database refuses it too, whatever path the row takes.
    with pytest.raises(IntegrityError), transaction.atomic():
        OrgUnit.objects.add_root(instance=unit)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("000.00.00.H41", True),
        ("G12.01.05.H99", True),
        ("000.00.00.h41", False),
        ("00.00.00.H41", False),
        ("000.00.00.41", False),
        ("000-00-00-H41", False),
    ],
)
def test_electronic_agency_identifier_format(value, ok):
    unit = OrgUnit(
        code="X",
        name="X",
        level="province",
        kind="agency",
        agency_code=value,
        valid_from=datetime.date(2000, 1, 1),
    )
    if ok:
        unit.full_clean(exclude=["path", "depth", "numchild"])
    else:
        with pytest.raises(ValidationError) as error:
            unit.full_clean(exclude=["path", "depth", "numchild"])
        assert "agency_code" in error.value.message_dict


@pytest.mark.django_db
def test_end_date_before_start_date_is_refused():
    unit = OrgUnit(
        code="X",
        name="X",
        level="province",
        kind="agency",
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2019, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        unit.clean()
    assert "valid_to" in error.value.message_dict
