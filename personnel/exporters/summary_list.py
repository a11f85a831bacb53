"""The "trích ngang" list: one row per person, the summary that accompanies a dossier export.
Minimum data: no sensitive items."""

from django.utils.translation import gettext as _

from hrms.lib.exports import ExportHeading, TableExport


class SummaryListExport(TableExport):
    column_widths = (6, 12, 26, 12, 8, 30, 30, 28, 26, 8, 8, 12, 22, 18)

    def __init__(
        self, people: list, current_salaries: dict, *, heading: ExportHeading | None = None
    ):
        self.people = people
        self.current = current_salaries
        self.title = _("Summary list")
        self.heading = heading

    def header(self):
        return [
            _("No."), _("Staff number"), _("Full name"), _("Date of birth"), _("Sex"),
            _("Hometown"), _("Current position"), _("Unit"), _("Rank or title"), _("Step"),
            _("Coefficient"), _("Recruitment date"), _("Highest professional qualification"),
            _("Political theory"),
        ]  # fmt: skip

    def rows(self):
        for number, person in enumerate(self.people, start=1):
            salary = self.current.get(person.pk)
            hometown = ", ".join(
                p for p in (person.home_commune, person.home_district, person.home_province) if p
            )
            yield [
                number, person.staff_number, person.full_name,
                person.birth_date, person.get_sex_display(),
                hometown, person.position_title, person.unit.name,
                f"{salary.rank_name} ({salary.rank_code})" if salary else "",
                salary.step if salary else None, salary.coefficient if salary else None,
                person.recruitment_date, person.get_qualification_display(),
                person.get_political_theory_display(),
            ]  # fmt: skip
