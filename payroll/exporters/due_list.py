"""A due list as a spreadsheet."""

from django.utils.translation import gettext as _

from hrms.lib.exports import TableExport
from payroll.selectors.due_lists import LISTS, DueRow


class DueListExport(TableExport):
    column_widths = (6, 12, 28, 12, 36, 30, 8, 10, 12, 14, 10, 10, 12, 36, 8, 60)

    def __init__(self, rows: list[DueRow], kind: str):
        self.due_rows = rows
        self.kind = kind
        self.title = str(LISTS[kind])

    def header(self):
        return [
            _("No."), _("Staff number"), _("Full name"), _("Date of birth"), _("Unit"),
            _("Rank or title"), _("Step"), _("Coefficient"), _("Beyond scale (%)"),
            _("Due on") if self.kind != "retirement" else _("Retires on"), _("New step"),
            _("New coefficient"), _("New beyond scale (%)"), _("Payroll unit"), _("Quota"),
            _("Why"),
        ]  # fmt: skip

    def rows(self):
        for number, row in enumerate(self.due_rows, start=1):
            yield [
                number, row.staff_number, row.full_name, row.date_of_birth, row.unit_name,
                f"{row.rank_name} ({row.rank_code})" if row.rank_code else "", row.step,
                row.coefficient, row.beyond_scale_percent or None,
                row.retires_on if self.kind == "retirement" else row.due_date,
                row.proposed_step, row.proposed_coefficient, row.proposed_percent or None,
                row.payroll_unit_name, row.quota, row.why(),
            ]  # fmt: skip
