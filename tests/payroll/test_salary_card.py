"""A person's salary card after a future-dated decision is approved: the salary in force and
the approved change to come are shown apart."""

import datetime

from django.urls import reverse
from django.utils import timezone

from payroll.models import SalaryRecord
from tests.conftest import approved_record


def test_a_future_promotion_is_shown_apart_from_the_salary_in_force(world, client_for):
    person = world.staff_in_a
    approved_record(person, rank_code="01.003", step=3, effective=datetime.date(2023, 10, 1))
    later = timezone.localdate() + datetime.timedelta(days=40)
    approved_record(
        person, rank_code="01.003", step=4, effective=later, kind=SalaryRecord.Kind.REGULAR_RAISE
    )
    response = client_for(world.clerk).get(reverse("payroll:staff_salary", args=[person.pk]))
    page = response.content.decode()
    assert response.context["summary"].current.step == 3
    assert [r.step for r in response.context["upcoming"]] == [4]
    current = page[page.index("Lương hiện hưởng") :]
    current = current[: current.index("</div>")]
    assert "bậc 3/" in current and "bậc 4" not in current
    assert f"Đã duyệt, hưởng từ {later:%d/%m/%Y}" in page
    assert "Đến ngày đó vẫn hưởng mức lương hiện tại." in page
