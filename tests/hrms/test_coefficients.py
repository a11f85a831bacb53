"""Coefficients read the Vietnamese way everywhere: 4,98 (a decimal comma), 3,00 (two
decimals), on every screen that shows them and on printed documents; English keeps its point."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from hrms.lib.numbers import format_coefficient
from personnel.models import Rank, SalaryStep
from tests.conftest import approved_record


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("4.98"), "4,98"),
        (Decimal("3.00"), "3,00"),
        (Decimal("3"), "3,00"),
        (3, "3,00"),
        (Decimal("0.125"), "0,125"),  # a reserved coefficient keeps its third decimal
        (Decimal("10.0000"), "10,00"),
        ("2.34", "2,34"),
        (None, ""),
    ],
)
def test_format_coefficient(value, expected):
    assert format_coefficient(value) == expected


def test_the_template_filter_follows_the_language():
    template = Template("{% load hrms %}{{ value|coefficient }}")
    with translation.override("vi"):
        assert template.render(Context({"value": Decimal("4.98")})) == "4,98"
        assert template.render(Context({"value": None})) == ""
    with translation.override("en"):
        assert template.render(Context({"value": Decimal("4.98")})) == "4.98"


@pytest.fixture
def on_step_nine(world):
    """Trần Thị Bình, V.07.05.15 step 9: coefficient 4.98."""
    return approved_record(
        world.staff_in_a1, rank_code="V.07.05.15", step=9, effective=datetime.date(2022, 12, 1)
    )


def page(client, name: str, *args, **query) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, name
    return response.content.decode()


def test_every_screen_showing_a_coefficient_uses_the_decimal_comma(world, on_step_nine, client_for):
    clerk = client_for(world.clerk)
    staff = world.staff_in_a1
    screens = {
        "salary card": page(clerk, "payroll:staff_salary", staff.pk),
        "dossier": page(clerk, "personnel:staff_detail", staff.pk),
        "history": page(clerk, "personnel:staff_history", staff.pk),
        "decisions": page(clerk, "payroll:decisions", status="approved"),
    }
    for name, content in screens.items():
        assert "4,98" in content, name
        assert "4.98" not in content, name


def test_the_due_list_shows_current_and_proposed_coefficients_with_a_comma(world, client_for):
    approved_record(
        world.staff_in_a1, rank_code="V.07.05.15", step=8, effective=datetime.date(2023, 6, 1)
    )
    content = page(
        client_for(world.clerk),
        "payroll:due_list",
        list="regular",
        start="01/01/2026",
        end="31/12/2026",
    )
    assert "4,65" in content and "(4,98)" in content  # current, and what the raise gives
    assert "4.65" not in content and "4.98" not in content


def test_step_choices_name_the_coefficient_with_a_comma(reference):
    group = Rank.objects.get(code="V.07.05.15").group
    step = SalaryStep.objects.filter(group=group, step=9).first()
    with translation.override("vi"):
        assert str(step).endswith(": 4,98")
    with translation.override("en"):
        assert str(step).endswith(": 4.98")


def test_english_is_localised_with_its_point(world, on_step_nine, client_for):
    clerk = client_for(world.clerk)
    clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = page(clerk, "payroll:staff_salary", world.staff_in_a1.pk)
    assert "4.98" in content and "4,98" not in content
