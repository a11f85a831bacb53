"""A due list as a spreadsheet: the columns the list's page shows (a retirement list proposes
nothing, only an early-raise list has a payroll unit and quota), dates of birth as known."""

from django.utils.translation import gettext as _

from hrms.lib.exports import ExportHeading, TableExport
from payroll.selectors.due_lists import LISTS, DueRow
from personnel.models import Staff


class DueListExport(TableExport):
    def __init__(self, rows: list[DueRow], kind: str, *, heading: ExportHeading | None = None):
        self.due_rows = rows
        self.kind = kind
        self.title = str(LISTS[kind])
        self.heading = heading
        self.proposes = kind != "retirement"
        self.quota = kind == "early"
        self.column_widths = (
            6, 12, 28, 12, 36, 30, 8, 10, 12, 14,
            *((10, 10, 12) if self.proposes else ()), *((36, 8) if self.quota else ()), 60,
        )  # fmt: skip

    def header(self):
        return [
            _("No."), _("Staff number"), _("Full name"), _("Date of birth"), _("Unit"),
            _("Rank or title"), _("Step"), _("Coefficient"), _("Beyond scale (%)"),
            _("Due on") if self.proposes else _("Retires on"),
            *((_("New step"), _("New coefficient"), _("New beyond scale (%)"))
              if self.proposes else ()),
            *((_("Payroll unit"), _("Quota")) if self.quota else ()),
            _("Why"),
        ]  # fmt: skip

    def rows(self):
        # The list computes with the first day a partial birth date may mean; the file shows
        # the date as the dossier knows it ("1973" stays "1973").
        birth_dates = dict(
            Staff.objects.filter(pk__in=[row.staff_id for row in self.due_rows]).values_list(
                "pk", "birth_date"
            )
        )
        for number, row in enumerate(self.due_rows, start=1):
            yield [
                number, row.staff_number, row.full_name,
                birth_dates.get(row.staff_id) or row.date_of_birth, row.unit_name,
                f"{row.rank_name} ({row.rank_code})" if row.rank_code else "", row.step,
                row.coefficient, _percent(row.beyond_scale_percent),
                row.due_date if self.proposes else row.retires_on,
                *((row.proposed_step, row.proposed_coefficient, _percent(row.proposed_percent))
                  if self.proposes else ()),
                *((row.payroll_unit_name, row.quota) if self.quota else ()),
                row.why(),
            ]  # fmt: skip


def _percent(value):
    """A beyond-scale percentage as a whole number of per cent (5, not 5.00); none for 0."""
    if not value:
        return None
    return int(value) if value == value.to_integral_value() else value
