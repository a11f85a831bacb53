"""Staff import (issue 13): a 50,000-row workbook checked (dry run) and committed.

Targets on this 2-core machine: validated in ≤ 30 s and committed in ≤ 60 s, memory bounded.
The workbook is written first by a child process (so its memory does not count); then this
process reads it with python-calamine, checks every row as the demo clerk (scope, personal-ID
match across the 100,000 seeded staff, likely duplicates, field validators), commits it (COPY,
history triggers, one transaction) and undoes it, so the database is left as it was.

Run: ``.venv/bin/python bench/import.py`` (``BENCH_IMPORT_ROWS`` changes the size).

``BENCH_IMPORT_KIND=salary`` measures the salary-history import instead: 50,000 past decisions
(one or more per person, each after the person's latest approved decision, same rank and step)
imported as the command line does, checked by the salary screens' rules, committed and undone.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "50000"))
KIND = os.environ.get("BENCH_IMPORT_KIND", "staff")


def make_workbook(path: str, units: list[str], rows: int) -> None:
    """Write the workbook (run in a child process)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    headers = [
        "Số định danh cá nhân (CCCD) (*)", "Mã cán bộ (*)", "Họ và tên (*)", "Ngày sinh (*)",
        "Giới tính (*)", "Mã đơn vị", "Đối tượng (*)", "Mã ngạch / chức danh nghề nghiệp",
        "Chức vụ", "Ngày tuyển dụng", "Điện thoại", "Dân tộc", "Quê quán (tỉnh)",
        "Nơi ở hiện nay", "Mã số thuế", "Số sổ BHXH", "Trình độ chuyên môn", "Chuyên ngành",
    ]  # fmt: skip
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
    middle = ["Văn", "Thị", "Minh", "Thu", "Hữu", "Ngọc"]
    given = ["An", "Bình", "Cường", "Dũng", "Hà", "Khoa", "Lan", "Mai", "Nam", "Phúc"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("HoSo")
    sheet.append(headers)
    for n in range(rows):
        year = 1965 + n % 35
        female = n % 2
        pid = f"096{female}{year % 100:02d}{n:06d}"
        cells = [
            pid, f"BI{n:07d}",
            f"{family[n % 8]} {middle[n // 8 % 6]} {given[n // 48 % 10]} {n}",
            f"{1 + n % 28:02d}/{1 + n % 12:02d}/{year}", "Nữ" if female else "Nam",
            units[n % len(units)], "Viên chức", "V.07.03.29", "Giáo viên",
            f"01/09/{year + 23}", f"09{n:08d}", "Kinh", "Hà Nội", f"Số {n} đường Lê Lợi",
            "", "", "Đại học", "Sư phạm Toán",
        ]  # fmt: skip
        row = []
        for value in cells:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            row.append(cell)
        sheet.append(row)
    workbook.save(path)


def main() -> None:
    from common import ensure_seeded, setup_django

    setup_django()
    ensure_seeded()
    from django.contrib.auth.models import User

    from personnel import permissions
    from personnel.models import ImportBatch, OrgUnit, Staff
    from personnel.services import imports

    clerk = User.objects.get(username="clerk")
    units = list(
        permissions.visible_units(clerk, permissions.CHANGE_STAFF)
        .filter(valid_to__isnull=True, kind=OrgUnit.Kind.PUBLIC_SERVICE_UNIT)
        .values_list("code", flat=True)[:200]
    )
    home = OrgUnit.objects.get(code=units[0])
    before = Staff.objects.count()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nhan-su.xlsx"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--make", str(path), ",".join(units), str(ROWS)],
            check=True,
        )
        print(f"{ROWS} rows, {len(units)} schools of the clerk's subtree; workbook "
              f"{path.stat().st_size / 1e6:.1f} MB written in "
              f"{time.perf_counter() - started:.1f} s (child process)\n", flush=True)  # fmt: skip
        batch = imports.import_batch_create(
            user=clerk, unit=home, upload=path.read_bytes(), file_name=path.name, queue=False
        )
    started, cpu = time.perf_counter(), time.process_time()
    report = imports.import_check(batch=batch)
    checked = time.perf_counter() - started
    print(f"dry run (read + check every row)   {checked:6.1f} s   "
          f"(CPU of this process {time.process_time() - cpu:.1f} s)   created {report['created']}, "
          f"refused {report['refused']}, likely duplicates {len(report['likely_duplicates'])}; "
          f"peak RSS {_rss()} MiB", flush=True)  # fmt: skip
    assert report["refused"] == 0, report["refusals"][:5]
    started, cpu = time.perf_counter(), time.process_time()
    report = imports.import_commit(batch=batch)
    committed = time.perf_counter() - started
    print(
        f"commit (check again + COPY + history) {committed:6.1f} s   "
        f"(CPU of this process {time.process_time() - cpu:.1f} s)   "
        f"{Staff.objects.count() - before} records; peak RSS {_rss()} MiB",
        flush=True,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTED)
    started = time.perf_counter()
    imports.import_batch_undo(batch=batch, actor=clerk)
    print(
        f"undo of the batch                  {time.perf_counter() - started:6.1f} s   "
        f"{Staff.objects.count() - before} records left; peak RSS {_rss()} MiB",
        flush=True,
    )
    print(f"\nTargets: dry run ≤ 30 s ({checked:.1f}), commit ≤ 60 s ({committed:.1f})")


def _rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def make_salary_workbook(path: str, rows_path: str) -> None:
    """Write the salary-history workbook from the rows listed in ``rows_path`` (child process)."""
    import json

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    headers = ["Số định danh cá nhân (CCCD) (*)", "Mã ngạch / chức danh nghề nghiệp (*)",
               "Bậc (*)", "Ngày hưởng (*)", "Loại quyết định", "Số quyết định",
               "Ngày quyết định"]  # fmt: skip
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("QuaTrinhLuong")
    sheet.append(headers)
    with open(rows_path) as handle:
        for line in handle:
            cells = []
            for value in json.loads(line):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
    workbook.save(path)


def main_salary() -> None:
    """50,000 past salary decisions: dry run, commit, undo."""
    import datetime
    import json

    from common import ensure_seeded, setup_django

    setup_django()
    ensure_seeded()
    from django.contrib.auth.models import User
    from django.utils import timezone

    from payroll.models import SalaryRecord
    from payroll.selectors import current_records
    from personnel.models import ImportBatch, OrgUnit, Staff
    from personnel.services import imports

    # As the command line (``import_rows --kind salary``: every unit), so that the decisions
    # spread over as many people as the database holds; the clerk's scope is a few thousand.
    clerk = User.objects.get(username="clerk")
    today = timezone.localdate()
    people = list(Staff.objects.values_list("pk", "personal_id"))
    latest = current_records([pk for pk, _pid in people])
    usable = [
        (pid, latest[pk]) for pk, pid in people
        if pk in latest and latest[pk].effective_date < today - datetime.timedelta(days=120)
    ]  # fmt: skip
    per_person = -(-ROWS // len(usable))
    home = OrgUnit.objects.filter(valid_to__isnull=True).order_by("path").first()
    with tempfile.TemporaryDirectory() as folder:
        rows_path = Path(folder) / "rows.jsonl"
        written = 0
        with open(rows_path, "w") as handle:
            for pid, record in usable:
                for k in range(1, per_person + 1):
                    if written == ROWS:
                        break
                    day = record.effective_date + datetime.timedelta(days=k)
                    handle.write(json.dumps([
                        pid, record.rank.code, str(record.step), day.strftime("%d/%m/%Y"),
                        "Điều chỉnh khác", f"{written}/QĐ-BENCH", day.strftime("%d/%m/%Y"),
                    ], ensure_ascii=False) + "\n")  # fmt: skip
                    written += 1
        path = Path(folder) / "qua-trinh-luong.xlsx"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--make-salary", str(path), str(rows_path)], check=True
        )
        print(f"{written} decisions for {min(len(usable), -(-written // per_person))} people "
              f"({per_person} at most each); workbook "
              f"{path.stat().st_size / 1e6:.1f} MB written in "
              f"{time.perf_counter() - started:.1f} s (child process)\n", flush=True)  # fmt: skip
        batch = imports.import_batch_create(
            user=None, unit=home, upload=path.read_bytes(), file_name=path.name, queue=False,
            kind="salary",
        )  # fmt: skip
    before = SalaryRecord.objects.count()
    started, cpu = time.perf_counter(), time.process_time()
    report = imports.import_check(batch=batch)
    checked = time.perf_counter() - started
    print(f"dry run (read + check every row)   {checked:6.1f} s   "
          f"(CPU of this process {time.process_time() - cpu:.1f} s)   created {report['created']}, "
          f"refused {report['refused']}; peak RSS {_rss()} MiB", flush=True)  # fmt: skip
    assert report["refused"] == 0, report["refusals"][:5]
    started, cpu = time.perf_counter(), time.process_time()
    report = imports.import_commit(batch=batch)
    committed = time.perf_counter() - started
    print(f"commit (check again + write + history) {committed:6.1f} s   "
          f"(CPU of this process {time.process_time() - cpu:.1f} s)   "
          f"{SalaryRecord.objects.count() - before} decisions; peak RSS {_rss()} MiB",
          flush=True)  # fmt: skip
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.COMMITTED, committed_at=timezone.now()
    )
    batch.refresh_from_db()
    started = time.perf_counter()
    imports.import_batch_undo(batch=batch, actor=clerk)
    print(f"undo of the batch                  {time.perf_counter() - started:6.1f} s   "
          f"{SalaryRecord.objects.count() - before} decisions left", flush=True)  # fmt: skip
    print(
        f"\nTargets (the staff import's): dry run ≤ 30 s ({checked:.1f}), "
        f"commit ≤ 60 s ({committed:.1f})"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--make":
        make_workbook(sys.argv[2], sys.argv[3].split(","), int(sys.argv[4]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--make-salary":
        make_salary_workbook(sys.argv[2], sys.argv[3])
    elif KIND == "salary":
        main_salary()
    else:
        main()
