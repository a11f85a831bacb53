"""The kinds of import other than staff records, registered by the apps that own their data.

Staff records are personnel's own (``personnel.importers.staff``). Other kinds belong to apps
above personnel (salary decisions to payroll), which personnel never imports: such an app
describes its kind here and registers it when it starts (``PayrollConfig.ready``). The import
machinery (``personnel.services.imports``) runs every kind through the same flow: template,
upload, dry run in the background, error workbook, confirm, one-transaction commit, undo.
"""

from collections.abc import Callable
from dataclasses import dataclass

from personnel.importers.columns import Column


@dataclass
class ImportKind:
    """One kind of import.

    ``check(batch=, sheet=, write=, on_progress=)`` returns the ``RowResult`` of every data row
    (``personnel.importers.staff.RowResult``; action "created", "unchanged" or "refused").
    With ``write`` it also writes the rows, inside the caller's transaction, attributed to
    ``batch`` so that ``undo(batch=, actor=)`` can reverse them (raising ValidationError when
    it no longer may). ``lists(user)`` gives the template's drop-down values by column key.
    """

    key: str
    label: str
    columns: list[Column]
    check: Callable
    undo: Callable
    lists: Callable
    sheet_title: str
    file_name: str


_kinds: dict[str, ImportKind] = {}


def register_import_kind(kind: ImportKind) -> None:
    """Called once by the app that owns the kind's data."""
    _kinds[kind.key] = kind


def import_kind(key: str) -> ImportKind | None:
    return _kinds.get(key)


def column_label(columns: list[Column], key: str) -> str:
    for column in columns:
        if column.key == key:
            return column.header
    return key
