"""Import rows of any kind from a spreadsheet on the command line (the same checks as the
page): staff records, salary history, ratings, training, family, dependants, allowances.

python manage.py import_rows FILE.xlsx --kind KIND --unit CODE [--commit] [--user USERNAME]

Prints the dry run (rows to be created, updated, unchanged, refused with row, column and
message, likely duplicates). With ``--commit`` and no refused row, writes everything as one
transaction, recorded in the history as an import batch (which can be undone on the page of
the user named by ``--user``). ``--unit`` is the unit of staff rows without a unit code (the
other kinds name their people by personal ID; the unit only files the batch). ``import_staff``
is this command for staff records.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from personnel.importers.kinds import import_kind
from personnel.importers.reading import FileRefused
from personnel.models import ImportBatch, OrgUnit
from personnel.services import imports


def kinds() -> list[str]:
    """The kinds that can be imported (staff records and those the apps registered)."""
    return [
        value
        for value, _label in ImportBatch.Kind.choices
        if value == ImportBatch.Kind.STAFF or import_kind(value) is not None
    ]


class Command(BaseCommand):
    help = "Check (and with --commit, import) rows of one kind from an .xlsx or .csv file."
    kind = None  # a subclass importing one kind only sets it

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file")
        if self.kind is None:
            parser.add_argument(
                "--kind", required=True, choices=kinds(), help="what the file holds"
            )
        parser.add_argument("--unit", required=True, help="code of the unit of rows without one")
        parser.add_argument("--commit", action="store_true", help="write the rows")
        parser.add_argument("--user", default="", help="import as this user (their scope)")

    def handle(self, *args, file, unit, commit, user, **options):
        kind = self.kind or options["kind"]
        translation.activate(settings.LANGUAGE_CODE)
        target = OrgUnit.objects.filter(code=unit, valid_to__isnull=True).first()
        if target is None:
            raise CommandError(f"No current unit with the code {unit!r}.")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No user {user!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file!r}.")
        batch = imports.import_batch_create(
            user=actor, unit=target, upload=path.read_bytes(), file_name=path.name, queue=False,
            kind=kind,
        )  # fmt: skip
        try:
            if commit:
                report = imports.import_commit(batch=batch)
            else:
                report = imports.import_check(batch=batch)
        except FileRefused as refused:
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportBatch.Status.FAILED, error=str(refused.message)
            )
            raise CommandError(str(refused.message)) from refused
        except imports.ImportRefused as refused:
            report = refused.report
            commit = False
        self._print(report)
        status = ImportBatch.Status.COMMITTED if commit else ImportBatch.Status.CHECKED
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=status, total=report["rows"], done=report["rows"],
            report={k: v for k, v in report.items() if not k.startswith("_")},
            error_file=report.get("_error_file", ""),
            committed_at=timezone.now() if commit else None,
        )  # fmt: skip
        if commit:
            self.stdout.write(f"Đã nhập. Lô nhập: {batch.pk}")
        elif report["refused"]:
            raise CommandError(f"{report['refused']} dòng bị từ chối; không ghi gì.")
        else:
            self.stdout.write("Chạy thử: chưa ghi gì (thêm --commit để nhập).")

    def _print(self, report: dict) -> None:
        self.stdout.write(
            f"Tạo mới: {report['created']}  Cập nhật: {report['updated']}  "
            f"Không đổi: {report['unchanged']}  Từ chối: {report['refused']}"
        )
        for item in report["refusals"]:
            self.stdout.write(f"  Dòng {item['row']}, cột “{item['column']}”: {item['message']}")
        for item in report["likely_duplicates"]:
            self.stdout.write(
                f"  Có thể trùng — dòng {item['row']}: {item['name']} ({item['birth']}), "
                f"giống {item['other']}"
            )
        if report["ignored"]:
            self.stdout.write("  Cột bỏ qua: " + ", ".join(report["ignored"]))
