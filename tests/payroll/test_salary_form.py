"""The salary form: the current rank comes prefilled, the ranks offered are those of the
person's category, and the coefficient and monthly salary are previewed before saving."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from hrms.lib.money import format_vnd
from payroll.selectors import parameters_at
from personnel.models import Rank, Staff
from tests.conftest import approved_record
from tests.factories import StaffFactory

D = datetime.date


def teacher(world):
    person = StaffFactory(
        unit=world.unit_a1, full_name="Vũ Thị Giáo", category=Staff.Category.PUBLIC_EMPLOYEE
    )
    approved_record(person, rank_code="V.07.05.15", step=3, effective=D(2023, 9, 1))
    return person


def test_a_teachers_form_prefills_her_title_and_offers_only_teachers_titles(world, client_for):
    person = teacher(world)
    response = client_for(world.clerk).get(reverse("payroll:staff_salary_new", args=[person.pk]))
    form = response.context["form"]
    offered = set(form.fields["rank"].queryset.values_list("code", flat=True))
    assert offered and all(code.startswith("V.07.") for code in offered)
    assert len(offered) < Rank.objects.count()
    assert form["rank"].value() == Rank.objects.get(code="V.07.05.15").pk
    page = response.content.decode()
    assert "bậc 3, hệ số 3,00" in page
    assert 'data-coefficients="2.34 2.67 3.00' in page


def test_every_rank_is_offered_when_asked(world, client_for):
    person = teacher(world)
    response = client_for(world.clerk).get(
        reverse("payroll:staff_salary_new", args=[person.pk]), {"all_ranks": "1"}
    )
    assert response.context["form"].fields["rank"].queryset.count() == Rank.objects.count()


def test_a_civil_servant_is_offered_civil_service_ranks(world, client_for):
    person = StaffFactory(unit=world.unit_a1, category=Staff.Category.CIVIL_SERVANT)
    response = client_for(world.clerk).get(reverse("payroll:staff_salary_new", args=[person.pk]))
    offered = set(response.context["form"].fields["rank"].queryset.values_list("code", flat=True))
    assert "01.003" in offered and not any(code.startswith("V.") for code in offered)


def test_a_refused_form_shows_the_coefficient_and_monthly_salary_of_its_rank_and_step(
    world, client_for
):
    person = teacher(world)
    rank = Rank.objects.get(code="V.07.05.15")
    response = client_for(world.clerk).post(
        reverse("payroll:staff_salary_new", args=[person.pk]),
        {"kind": "regular", "rank": rank.pk, "step": "4"},  # no effective date: refused
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    base = parameters_at(timezone.localdate()).base_salary
    assert preview["coefficient"] == Decimal("3.33")
    assert format_vnd(preview["monthly"]) in response.content.decode()
    assert preview["monthly"] == Decimal("3.33") * base
