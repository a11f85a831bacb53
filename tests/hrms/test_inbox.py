"""The home page is an inbox per role: each line a count linking to the filtered list."""

import datetime

from django.urls import reverse
from django.utils import timezone

from payroll.models import PayrollRun, Payslip, SalaryRecord
from personnel.inbox import inbox_lines, quarter_bounds
from personnel.models import ChangeRequest, Notification, Rank

D = datetime.date
OCTOBER = D(2026, 10, 15)


def counts(user, today=OCTOBER) -> dict[str, dict[str, tuple[int, str]]]:
    return {
        str(role): {line.label: (line.count, line.url) for line in lines}
        for role, lines in inbox_lines(user, today).items()
    }


def test_quarters():
    assert quarter_bounds(D(2026, 11, 30)) == (D(2026, 10, 1), D(2026, 12, 31))
    assert quarter_bounds(D(2026, 1, 1)) == (D(2026, 1, 1), D(2026, 3, 31))
    assert quarter_bounds(D(2026, 6, 30)) == (D(2026, 4, 1), D(2026, 6, 30))


def test_the_clerk_sees_requests_raises_due_this_quarter_and_rejected_drafts(world, salaries):
    ChangeRequest.objects.create(
        staff=world.own_record, section="residence", requested_by=world.staff_user
    )
    ChangeRequest.objects.create(  # unit B: another clerk's
        staff=world.staff_in_b, section="residence", requested_by=world.outsider
    )
    SalaryRecord.objects.create(
        staff=world.staff_in_a1, status="rejected", kind="adjustment", rank=Rank.objects.first(),
        step=1, coefficient=2, effective_date=D(2026, 1, 1), step_since=D(2026, 1, 1),
        decided_at=timezone.now(),
    )  # fmt: skip
    clerk = counts(world.clerk, today=timezone.localdate())["clerk"]
    assert clerk["Yêu cầu sửa hồ sơ của nhân sự đang chờ bạn"] == (
        1,
        reverse("personnel:change_requests") + "?status=pending",
    )
    assert clerk["Quyết định lương bị từ chối trong 30 ngày qua"][0] == 1
    q4 = counts(world.clerk)["clerk"]
    count, url = q4["Nâng bậc lương đến hạn trong quý này"]
    assert count == 2  # Nguyễn Văn An (1/10) and Lê Thị Cúc (1/11); Dũng is in unit B
    assert url.startswith(reverse("payroll:due_list") + "?list=regular&start=01%2F10%2F2026")
    assert "head" not in counts(world.clerk)


def test_the_head_sees_decisions_and_payroll_runs_awaiting_approval(world, salaries):
    rank = Rank.objects.first()
    for staff in (world.staff_in_a1, world.own_record, world.staff_in_b):
        SalaryRecord.objects.create(
            staff=staff, status="draft", kind="adjustment", rank=rank, step=1, coefficient=2,
            effective_date=D(2026, 1, 1), step_since=D(2026, 1, 1), created_by=world.clerk,
        )  # fmt: skip
    PayrollRun.objects.create(unit=world.unit_a1, year=2026, month=7, status="computed")
    PayrollRun.objects.create(unit=world.unit_b1, year=2026, month=7, status="computed")
    head = counts(world.head)["head"]
    assert head["Quyết định lương chờ duyệt"] == (
        2,
        reverse("payroll:decisions") + "?status=draft",
    )
    assert head["Bảng lương chờ duyệt"] == (1, reverse("payroll:run_list") + "?status=computed")
    admin = counts(world.admin)["admin"]
    assert admin["Quyết định lương chờ duyệt"][0] == 3
    assert admin["Bảng lương chờ duyệt"][0] == 2


def test_the_staff_member_sees_their_requests_and_a_new_payslip(world):
    ChangeRequest.objects.create(
        staff=world.own_record, section="residence", requested_by=world.staff_user
    )
    run = PayrollRun.objects.create(unit=world.unit_a1, year=2026, month=9, status="approved")
    Payslip.objects.create(
        run=run, staff=world.own_record, year=2026, month=9, unit=world.unit_a1,
        category=world.own_record.category, working_days=22, paid_days=22, suspended=False,
        gross=1, net=1, computed_at=timezone.now(),
    )  # fmt: skip
    staff = counts(world.staff_user, today=timezone.localdate())["staff"]
    assert staff["Yêu cầu sửa hồ sơ của bạn đang chờ quyết định"][0] == 1
    assert staff["Phiếu lương mới (31 ngày qua)"] == (
        1,
        reverse("payroll:staff_payslips", args=[world.own_record.pk]),
    )


def test_the_administrator_sees_the_province_totals_in_a_few_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.admin)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("home")).content.decode()
    assert 'id="inbox"' in page
    admin = counts(world.admin)["admin"]
    assert admin["Nhân sự đang công tác trong tỉnh"][0] == 4
    assert admin["Đơn vị hiện có"][0] == 5


def test_the_home_page_links_each_line_and_says_when_nothing_waits(world, client_for):
    ChangeRequest.objects.create(
        staff=world.own_record, section="residence", requested_by=world.staff_user
    )
    page = client_for(world.clerk).get(reverse("home")).content.decode()
    assert f'href="{reverse("personnel:change_requests")}?status=pending"' in page
    assert 'id="inbox-empty"' in client_for(world.nobody).get(reverse("home")).content.decode()


def test_preparing_drafts_and_computing_a_run_tell_the_approvers(world, salaries):
    from payroll.services import salary_draft_create

    salary_draft_create(
        staff=world.staff_in_a1,
        values={"kind": "adjustment", "rank": salaries["a1"].rank, "step": 9,
                "effective_date": D(2026, 1, 1), "step_since": D(2026, 1, 1)},
        actor=world.clerk,
    )  # fmt: skip
    told = Notification.objects.get(user=world.head)
    assert told.kind == Notification.Kind.DECISION_AWAITS
    assert told.link == reverse("payroll:decisions") + "?status=draft"
    assert not Notification.objects.filter(user=world.outsider).exists()
