"""The staff list as a spreadsheet: the rows the user sees, with the minimum data a list needs
(no sensitive items, no identity numbers beyond the staff number)."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hrms.lib.exports import TableExport
from personnel.models import Staff


class StaffListExport(TableExport):
    column_widths = (6, 12, 28, 12, 8, 22, 30, 36, 26, 16)

    def __init__(self, staff: QuerySet[Staff]):
        self.staff = staff
        self.title = _("Staff list")

    def header(self) -> list[str]:
        return [
            _("No."), _("Staff number"), _("Full name"), _("Date of birth"), _("Sex"),
            _("Category"), _("Rank or title"), _("Unit"), _("Current position"), _("Status"),
        ]  # fmt: skip

    def rows(self):
        for number, person in enumerate(self.staff.iterator(chunk_size=2000), start=1):
            yield [
                number,
                person.staff_number,
                person.full_name,
                str(person.birth_date) if person.birth_date else "",
                person.get_sex_display(),
                person.get_category_display(),
                str(person.rank) if person.rank else "",
                person.unit.name,
                person.position_title,
                person.get_status_display(),
            ]
