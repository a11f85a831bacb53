"""Export the dossiers of a unit subtree from the command line (as the background job does).

python manage.py export_dossiers --unit SGDDT --out dossiers.zip [--merged]
    [--category public_employee] [--status active] [--with-sensitive]
"""

import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext

from personnel.models import AccessLogEntry, ExportJob, OrgUnit
from personnel.services.exports import exported_staff, write_export


class Command(BaseCommand):
    help = "Write the dossiers (PDF) and the summary list (XLSX) of a unit subtree to a ZIP file."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit code (its subtree is exported)")
        parser.add_argument("--out", required=True, help="the ZIP file to write")
        parser.add_argument("--merged", action="store_true", help="one merged PDF inside the ZIP")
        parser.add_argument("--category", default="", help="only this staff category")
        parser.add_argument("--status", default="", help="only this status (e.g. active)")
        parser.add_argument(
            "--with-sensitive",
            action="store_true",
            help="print sensitive items (default: withheld)",
        )

    def handle(self, *args, unit, out, merged, category, status, with_sensitive, **options):
        translation.activate(settings.LANGUAGE_CODE)
        root = OrgUnit.objects.filter(code=unit).first()
        if root is None:
            raise CommandError(f"No unit with the code {unit!r}.")
        staff = exported_staff(user=None, unit=root, category=category, staff_status=status)
        target = Path(out)
        with tempfile.TemporaryDirectory() as work:
            main, summary, ids = write_export(
                staff=staff,
                target_dir=Path(work),
                base_name=f"ho-so-{root.code}",
                format=ExportJob.Format.MERGED if merged else ExportJob.Format.ZIP,
                show_sensitive_for=lambda person: with_sensitive,
                extracted_by="dòng lệnh (export_dossiers)",
                on_progress=lambda done, total: self.stderr.write(f"\r{done}/{total}", ending=""),
                on_problem=lambda person, reason: self.stderr.write(
                    f"\n{person.full_name} ({person.staff_number}): {gettext(reason)}"
                ),
            )
            if merged:
                import zipfile

                with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                    archive.write(main, main.name)
                    archive.write(summary, summary.name)
            else:
                shutil.copyfile(main, target)
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(user=None, action=AccessLogEntry.Action.EXPORT_BULK, staff_id=pk,
                           detail={"command": "export_dossiers", "unit": root.code})
            for pk in ids
        )  # fmt: skip
        self.stderr.write("")
        self.stdout.write(f"{len(ids)} dossiers written to {target}")
