"""The month's register of contributions (one row per participant) and the summary per unit, as
XLSX tables (the shared ``TableExport`` base: write-only, text never a formula)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from hrms.lib.exports import FORMULA_TRIGGERS, TableExport
from hrms.lib.printable import printable
from insurance.selectors.contributions import OFFICE_FUNDS
from insurance.selectors.register import Register
from payroll.rules.contributions import Fund

FUND_LABELS = {
    Fund.RETIREMENT: "Hưu trí, tử tuất",
    Fund.SICKNESS: "Ốm đau, thai sản",
    Fund.WORK_ACCIDENT: "TNLĐ-BNN",
    Fund.HEALTH: "BHYT",
    Fund.UNEMPLOYMENT: "BHTN",
    Fund.UNION_FEE: "KPCĐ",
}


class RegisterExport(TableExport):
    """One row per person: identifiers, contribution salary, shares per fund, totals."""

    title = "Danh sach dong BHXH"
    column_widths = (6, 28, 26, 13, 14, 14, 14, *(12,) * 12, 14, 14, 30)

    def __init__(self, register: Register, unit_names: dict[int, str]):
        self.register = register
        self.unit_names = unit_names

    def header(self) -> list[str]:
        funds = []
        for fund in OFFICE_FUNDS:
            funds += [f"{FUND_LABELS[fund]}: NLĐ", f"{FUND_LABELS[fund]}: đơn vị"]
        return [
            "STT", "Đơn vị báo cáo", "Họ và tên", "Mã số BHXH", "Số CCCD", "Tiền lương đóng",
            "Mức đóng (sau trần)", *funds, "KPCĐ: đơn vị", "Truy đóng: NLĐ",
            "Cộng NLĐ", "Cộng đơn vị", "Ghi chú",
        ]  # fmt: skip

    def rows(self):
        for number, item in enumerate(self.register.rows, start=1):
            row = item.row
            shares = []
            for fund in OFFICE_FUNDS:
                shares += list(row.share(fund)) if row else [None, None]
            notes = list(item.problems)
            if row is not None and row.suspended:
                notes.append(_("no social insurance this month (14-day rule)"))
            yield [
                number,
                self.unit_names.get(item.reporting_unit_id, ""),
                item.full_name,
                item.social_insurance_number,
                item.personal_id,
                row.insurance_salary if row else None,
                row.insurance_base if row else None,
                *shares,
                row.share(Fund.UNION_FEE)[1] if row else None,
                sum((c.employee for c, _p in row.back), 0) if row and row.back else None,
                row.employee if row else None,
                row.employer if row else None,
                "; ".join(notes),
            ]


class SummaryExport(TableExport):
    """One row per reporting unit and fund: employee and employer totals."""

    title = "Tong hop"
    column_widths = (30, 12, 10, 24, 16, 16)

    def __init__(self, register: Register):
        self.register = register

    def header(self) -> list[str]:
        return ["Đơn vị báo cáo", "Mã đơn vị BHXH", "Số người", "Quỹ", "NLĐ", "Đơn vị"]

    def rows(self):
        for summary in self.register.summaries:
            code = summary.registration.code if summary.registration else ""
            for fund, employee, employer in summary.fund_rows:
                yield [summary.unit.name, code, summary.headcount, FUND_LABELS[fund], employee,
                       employer]  # fmt: skip
            yield [summary.unit.name, code, summary.headcount, "Cộng", summary.employee,
                   summary.employer]  # fmt: skip


def register_workbook(register: Register) -> bytes:
    """The summary per reporting unit and the register, two sheets of one workbook."""
    names = {summary.unit.pk: summary.unit.name for summary in register.summaries}
    workbook = Workbook(write_only=True)
    for export in (SummaryExport(register), RegisterExport(register, names)):
        sheet = workbook.create_sheet(export.title)
        for index, width in enumerate(export.column_widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([TableExport._xlsx_cell(sheet, title) for title in export.header()])
        for row in export.rows():
            sheet.append([_fast_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fast_cell(sheet, value):
    """Plain values where they are safe (a province's register is 2 million cells, and a styled
    cell object for each costs most of the time): numbers as they are, text that could be taken
    for a formula through the shared exporter's quoted cell."""
    if isinstance(value, str):
        value = printable(value)
        return TableExport._xlsx_cell(sheet, value) if value.startswith(FORMULA_TRIGGERS) else value
    return value
