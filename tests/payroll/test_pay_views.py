"""The pay-inputs screens under a staff record, per persona: the clerk edits, the head reads,
staff read their own, outsiders get 404; the bank account is masked until a logged reveal and
stays hidden in the change history (docs/rules.md §10)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from payroll.models import AllowanceAssignment, AllowanceType, Dependant, PayProfile
from payroll.services.pay_inputs import (
    AllowanceValues,
    DependantValues,
    allowance_assign,
    dependant_register,
    pay_profile_update,
)
from personnel.models import AccessLogEntry

ACCOUNT = "19036688801234"
MASKED = "••••1234"


def pay_url(staff, name="staff_pay", *args):
    return reverse(f"payroll:{name}", args=[staff.pk, *args])


@pytest.fixture
def inputs(world):
    """Staff in A1 and the staff persona's own record, each with an allowance, a dependant and
    a bank account."""
    made = {}
    for key, person in (("a1", world.staff_in_a1), ("own", world.own_record)):
        made[key] = {
            "allowance": allowance_assign(
                staff=person,
                values=AllowanceValues(
                    allowance_type=AllowanceType.objects.get(code="TRACHNHIEM"),
                    valid_from=datetime.date(2026, 1, 1),
                    value=Decimal("0.2"),
                    decision="15/QĐ-SGD",
                ),
                actor=world.admin,
            ),
            "dependant": dependant_register(
                staff=person,
                values=DependantValues(
                    full_name=f"Con của {person.full_name}",
                    relation="child",
                    from_month=datetime.date(2024, 1, 1),
                ),
                actor=world.admin,
            ),
            "profile": pay_profile_update(
                staff=person,
                union_member=True,
                bank_account=ACCOUNT,
                bank_name="Ngân hàng TMCP Kỹ thương Việt Nam",
                actor=world.admin,
            ),
        }
    return made


def logged(action, staff):
    return list(AccessLogEntry.objects.filter(action=action, staff=staff).order_by("id"))


@pytest.mark.parametrize(
    ("persona", "record", "status", "editing"),
    [
        ("clerk", "staff_in_a1", 200, True),
        ("head", "staff_in_a1", 200, False),
        ("staff_user", "own_record", 200, False),
        ("admin", "staff_in_a1", 200, True),
        ("outsider", "staff_in_a1", 404, False),
        ("staff_user", "staff_in_a1", 404, False),
        ("nobody", "staff_in_a1", 404, False),
    ],
)
def test_the_pay_page_per_persona(world, inputs, client_for, persona, record, status, editing):
    staff = getattr(world, record)
    response = client_for(getattr(world, persona)).get(pay_url(staff))
    assert response.status_code == status
    if status != 200:
        assert not logged(AccessLogEntry.Action.VIEW, staff)
        return
    html = response.content.decode()
    assert "Phụ cấp trách nhiệm theo nghề, công việc" in html and "15/QĐ-SGD" in html
    assert f"Con của {staff.full_name}" in html
    assert (pay_url(staff, "staff_pay_allowance_new") in html) is editing
    assert (pay_url(staff, "staff_pay_profile") in html) is editing


def test_the_bank_account_is_masked_until_a_logged_reveal(world, inputs, client_for):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    html = client.get(pay_url(staff)).content.decode()
    assert MASKED in html and ACCOUNT not in html
    (view,) = logged(AccessLogEntry.Action.VIEW, staff)
    assert view.detail == {"page": "pay", "bank_account_shown": False}

    response = client.post(pay_url(staff, "staff_pay_reveal"))
    assert response.status_code == 302 and response.url.endswith("#profile")
    (reveal,) = logged(AccessLogEntry.Action.REVEAL_SENSITIVE, staff)
    assert (reveal.user, reveal.detail) == (world.clerk, {"items": ["bank_account"]})

    html = client.get(pay_url(staff)).content.decode()
    assert ACCOUNT in html
    assert logged(AccessLogEntry.Action.VIEW, staff)[-1].detail["bank_account_shown"] is True


def test_a_head_sees_the_page_but_may_not_reveal_the_account(world, inputs, client_for):
    staff = world.staff_in_a1
    client = client_for(world.head)
    html = client.get(pay_url(staff)).content.decode()
    assert MASKED in html and ACCOUNT not in html
    assert pay_url(staff, "staff_pay_reveal") not in html
    assert client.post(pay_url(staff, "staff_pay_reveal")).status_code == 403
    assert not logged(AccessLogEntry.Action.REVEAL_SENSITIVE, staff)
    assert ACCOUNT not in client.get(pay_url(staff)).content.decode()


def test_staff_see_their_own_account_in_full_and_the_view_is_logged(world, inputs, client_for):
    staff = world.own_record
    html = client_for(world.staff_user).get(pay_url(staff)).content.decode()
    assert ACCOUNT in html
    assert pay_url(staff, "staff_pay_allowance_new") not in html
    (view,) = logged(AccessLogEntry.Action.VIEW, staff)
    assert (view.user, view.detail["bank_account_shown"]) == (world.staff_user, True)


def test_the_bank_account_stays_hidden_in_the_change_history(world, inputs, client_for):
    staff = world.staff_in_a1
    history = reverse("personnel:staff_history", args=[staff.pk])
    head_view = client_for(world.head).get(history).content.decode()
    assert "Đoàn viên công đoàn và tài khoản ngân hàng" in head_view  # the change is listed
    assert ACCOUNT not in head_view
    clerk = client_for(world.clerk)
    assert ACCOUNT not in clerk.get(history).content.decode()
    clerk.post(pay_url(staff, "staff_pay_reveal"))
    assert ACCOUNT in clerk.get(history).content.decode()


# --- Editing ------------------------------------------------------------------------------


def test_the_clerk_grants_an_allowance_through_the_form(world, client_for):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    assert client.get(pay_url(staff, "staff_pay_allowance_new")).status_code == 200
    response = client.post(
        pay_url(staff, "staff_pay_allowance_new"),
        {
            "allowance_type": AllowanceType.objects.get(code="DOCHAI").pk,
            "value": "0,3",
            "valid_from": "01/09/2026",
        },
    )
    assert response.status_code == 302
    row = AllowanceAssignment.objects.get(staff=staff)
    assert (row.allowance_type.code, row.value, row.recorded_by) == (
        "DOCHAI",
        Decimal("0.3"),
        world.clerk,
    )


def test_a_refused_value_shows_its_vietnamese_message_and_saves_nothing(world, client_for):
    staff = world.staff_in_a1
    response = client_for(world.clerk).post(
        pay_url(staff, "staff_pay_allowance_new"),
        {
            "allowance_type": AllowanceType.objects.get(code="TRACHNHIEM").pk,
            "value": "0.4",
            "valid_from": "01/09/2026",
        },
    )
    assert response.status_code == 200
    assert "Giá trị: Phụ cấp trách nhiệm theo nghề, công việc chỉ có các mức" in (
        response.content.decode()
    )
    assert not AllowanceAssignment.objects.exists()


def test_a_type_carried_by_the_salary_decision_is_not_offered(world, client_for):
    response = client_for(world.clerk).post(
        pay_url(world.staff_in_a1, "staff_pay_allowance_new"),
        {
            "allowance_type": AllowanceType.objects.get(code="PCCV").pk,
            "value": "0.3",
            "valid_from": "01/09/2026",
        },
    )
    assert response.status_code == 200
    assert not AllowanceAssignment.objects.exists()
    assert "Phụ cấp chức vụ lãnh đạo" not in response.context["form"].fields[
        "allowance_type"
    ].widget.render("x", None)


@pytest.mark.parametrize(
    ("persona", "record", "status"),
    [
        ("head", "staff_in_a1", 403),
        ("staff_user", "own_record", 403),
        ("outsider", "staff_in_a1", 404),
    ],
)
def test_only_clerks_in_scope_edit(world, inputs, client_for, persona, record, status):
    staff = getattr(world, record)
    key = "own" if record == "own_record" else "a1"
    client = client_for(getattr(world, persona))
    allowance, dependant = inputs[key]["allowance"], inputs[key]["dependant"]
    allowance_form = {"value": "0.5", "valid_from": "01/01/2026"}
    dependant_form = {"full_name": "Y", "relation": "child", "from_month": "01/2026"}
    posts = [
        (
            pay_url(staff, "staff_pay_allowance_new"),
            {**allowance_form, "allowance_type": allowance.allowance_type_id},
        ),
        (pay_url(staff, "staff_pay_allowance_edit", allowance.pk), allowance_form),
        (pay_url(staff, "staff_pay_allowance_end", allowance.pk), {"valid_to": "31/12/2026"}),
        (pay_url(staff, "staff_pay_allowance_remove", allowance.pk), {"reason": "Ghi nhầm"}),
        (pay_url(staff, "staff_pay_dependant_new"), dependant_form),
        (pay_url(staff, "staff_pay_dependant_edit", dependant.pk), dependant_form),
        (pay_url(staff, "staff_pay_dependant_end", dependant.pk), {"to_month": "12/2026"}),
        (pay_url(staff, "staff_pay_profile"), {"bank_account": "", "no_account": "on"}),
    ]
    before = (
        list(AllowanceAssignment.objects.values()),
        list(Dependant.objects.values()),
        list(PayProfile.objects.values()),
    )
    for url, data in posts:
        assert client.post(url, data).status_code == status, url
    assert before == (
        list(AllowanceAssignment.objects.values()),
        list(Dependant.objects.values()),
        list(PayProfile.objects.values()),
    )


def test_an_allowance_of_another_record_answers_404(world, inputs, client_for):
    other = inputs["own"]["allowance"]
    url = pay_url(world.staff_in_a1, "staff_pay_allowance_edit", other.pk)
    assert client_for(world.clerk).get(url).status_code == 404


def test_correcting_ending_and_removing_an_allowance(world, inputs, client_for):
    staff, allowance = world.staff_in_a1, inputs["a1"]["allowance"]
    client = client_for(world.clerk)
    page = client.get(pay_url(staff, "staff_pay_allowance_edit", allowance.pk)).content.decode()
    assert 'value="0,2"' in page
    assert pay_url(staff, "staff_pay_allowance_remove", allowance.pk) in page  # never paid
    client.post(
        pay_url(staff, "staff_pay_allowance_edit", allowance.pk),
        {"value": "0,3", "valid_from": "01/01/2026", "decision": "16/QĐ-SGD"},
    )
    allowance.refresh_from_db()
    assert (allowance.value, allowance.decision) == (Decimal("0.3"), "16/QĐ-SGD")
    client.post(pay_url(staff, "staff_pay_allowance_end", allowance.pk), {"valid_to": "30/11/2026"})
    allowance.refresh_from_db()
    assert allowance.valid_to == datetime.date(2026, 11, 30)
    # Removing needs a reason; without one nothing is removed.
    response = client.post(pay_url(staff, "staff_pay_allowance_remove", allowance.pk), {})
    assert response.status_code == 302 and AllowanceAssignment.objects.filter(pk=allowance.pk)
    client.post(pay_url(staff, "staff_pay_allowance_remove", allowance.pk), {"reason": "Ghi nhầm"})
    assert not AllowanceAssignment.objects.filter(pk=allowance.pk).exists()


def test_registering_correcting_and_ending_a_dependant(world, client_for):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    response = client.post(
        pay_url(staff, "staff_pay_dependant_new"),
        {"full_name": "Trần Gia Hân", "relation": "child", "birth_date": "02/05/2021",
         "from_month": "05/2021"},
    )  # fmt: skip
    assert response.status_code == 302
    dependant = Dependant.objects.get(staff=staff)
    assert dependant.from_month == datetime.date(2021, 5, 1)
    response = client.post(
        pay_url(staff, "staff_pay_dependant_edit", dependant.pk),
        {"full_name": "Trần Gia Hân", "relation": "child", "birth_date": "02/05/2021",
         "from_month": "04/2021"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Từ tháng: người phụ thuộc sinh tháng 05/2021" in response.content.decode()
    client.post(pay_url(staff, "staff_pay_dependant_end", dependant.pk), {"to_month": "12/2026"})
    dependant.refresh_from_db()
    assert dependant.to_month == datetime.date(2026, 12, 1)


def test_the_profile_form_keeps_the_hidden_account_and_logs_when_it_shows_it(
    world, inputs, client_for
):
    staff = world.staff_in_a1
    client = client_for(world.clerk)
    form = client.get(pay_url(staff, "staff_pay_profile")).content.decode()
    assert ACCOUNT not in form and MASKED in form
    assert not logged(AccessLogEntry.Action.REVEAL_SENSITIVE, staff)
    client.post(
        pay_url(staff, "staff_pay_profile"),
        {"bank_account": "", "bank_name": "Ngân hàng TMCP Kỹ thương Việt Nam"},
    )
    profile = PayProfile.objects.get(staff=staff)
    assert (profile.union_member, profile.bank_account) == (False, ACCOUNT)
    client.post(pay_url(staff, "staff_pay_reveal"))
    form = client.get(pay_url(staff, "staff_pay_profile")).content.decode()
    assert ACCOUNT in form
    entries = logged(AccessLogEntry.Action.REVEAL_SENSITIVE, staff)
    assert [entry.detail for entry in entries] == [
        {"items": ["bank_account"]},
        {"items": ["bank_account"], "for": "edit"},
    ]
    response = client.post(pay_url(staff, "staff_pay_profile"), {"bank_account": "12AB"})
    assert "Số tài khoản ngân hàng: hãy nhập từ 6 đến 32 chữ số" in response.content.decode()
    assert PayProfile.objects.get(staff=staff).bank_account == ACCOUNT


def test_the_pay_page_reads_a_bounded_number_of_queries(
    world, inputs, client_for, django_assert_max_num_queries
):
    client = client_for(world.clerk)
    with django_assert_max_num_queries(25):
        assert client.get(pay_url(world.staff_in_a1)).status_code == 200


def test_the_administration_site_shows_the_bank_account_masked(world, inputs, client_for):
    profile = inputs["a1"]["profile"]
    client = client_for(world.admin)
    for url in (
        reverse("admin:payroll_payprofile_changelist"),
        reverse("admin:payroll_payprofile_change", args=[profile.pk]),
    ):
        html = client.get(url).content.decode()
        assert MASKED in html and ACCOUNT not in html, url
