"""Import staff records from a spreadsheet on the command line (the same checks as the page).

python manage.py import_staff FILE.xlsx --unit CODE [--commit] [--user USERNAME]

Prints the dry run (rows to be created, updated, unchanged, refused with row, column and
message, likely duplicates). With ``--commit`` and no refused row, writes everything as one
transaction, recorded in the history as an import batch (which can be undone on the page of
the user named by ``--user``). The other kinds: ``import_rows --kind KIND``.
"""

from personnel.management.commands import import_rows
from personnel.models import ImportBatch


class Command(import_rows.Command):
    help = "Check (and with --commit, import) staff records from an .xlsx or .csv file."
    kind = ImportBatch.Kind.STAFF
