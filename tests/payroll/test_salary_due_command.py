"""manage.py salary_due: the due lists from the command line."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook


def run(*args) -> str:
    out = io.StringIO()
    call_command("salary_due", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_lists_the_units_subtree(world, salaries):
    document = json.loads(run("--unit", "A", "--from", "2026-07-01", "--to", "2026-12-31"))
    regular = document["lists"]["regular"]
    assert [row["full_name"] for row in regular] == ["Nguyễn Văn An", "Lê Thị Cúc"]
    assert regular[0]["due_date"] == "2026-10-01" and regular[0]["proposed_coefficient"] == "3.33"
    assert regular[0]["why"].startswith("đang hưởng bậc 3")


def test_all_lists_at_once(world, salaries):
    document = json.loads(
        run("--unit", "PROV", "--from", "2025-07-01", "--to", "2026-12-31", "--list", "all")
    )
    assert set(document["lists"]) == {"regular", "beyond", "early", "retirement"}
    assert [row["full_name"] for row in document["lists"]["beyond"]] == ["Trần Thị Bình"]


def test_xlsx_goes_to_a_file(world, salaries, tmp_path):
    target = tmp_path / "due.xlsx"
    run(
        "--unit",
        "A",
        "--from",
        "2026-07-01",
        "--to",
        "2026-12-31",
        "--format",
        "xlsx",
        "--out",
        str(target),
    )
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][2] == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "NOPE", "--from", "2026-07-01", "--to", "2026-12-31"], "No unit"),
        (["--unit", "A", "--from", "2026-12-31", "--to", "2026-07-01"], "before"),
        (
            ["--unit", "A", "--from", "2026-07-01", "--to", "2026-12-31", "--format", "xlsx"],
            "--out",
        ),
    ],
)
def test_bad_arguments_are_explained(world, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_refresh_current_rank_command(world, salaries):
    from payroll.models import SalaryRecord
    from personnel.models import Staff

    Staff.objects.filter(pk=world.staff_in_a.pk).update(rank=None)
    out = io.StringIO()
    call_command("refresh_current_rank", stdout=out)
    assert out.getvalue().strip() == "1 staff records updated."
    assert (
        Staff.objects.get(pk=world.staff_in_a.pk).rank
        == SalaryRecord.objects.get(staff=world.staff_in_a).rank
    )
