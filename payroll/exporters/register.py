"""The payroll register (bảng thanh toán tiền lương và các khoản phụ cấp theo lương) of a run,
as an XLSX file laid out like form C02a-HD (docs/rules.md §7.8).

The layout is a template: ``C02A_LAYOUT`` below lists the columns in order, each with its
heading, the heading of its group, its width and whether it is summed; ``FORM`` holds the form's
code and legal basis. A maintainer adjusts the layout there — moving, adding or dropping a
column — without touching the writer. Column keys:

- ``no``, ``full_name``, ``staff_number``, ``rank_code``, ``step``, ``days``, ``signature``;
- ``coef:salary``, ``coef:leadership``, ``coef:beyond_scale``, ``coef:other``, ``coef:total``
  — coefficients (salary: the payslip's; the others as the month's coefficient-computed lines
  divided by the base salary, before any proration);
- ``line:CODE`` — the amount of the month's own line ``CODE``; ``line:*`` — every own line no
  other ``line:`` column shows, so the line columns always add up;
- ``arrears`` — one column per past month the run pays arrears for, named after the month;
- ``gross``, ``social_insurance`` (the employee's retirement, sickness and work-accident
  shares), ``health``, ``unemployment``, ``back_contributions`` (the employee's back
  contributions), ``union_dues``, ``tax``, ``deductions``, ``net``.

Rows are grouped by work unit (in tree order, people in name order), with a total per unit and
a grand total. The rows are read from the database in chunks and written as they come, so a
province's 100,000 payslips take bounded memory.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import BinaryIO

from django.db import connection

from payroll.exporters.common import RUN_STATUS_LABELS, ZERO, is_social_insurance, month_label
from payroll.exporters.xlsx_stream import Cell, Style, XlsxStream
from payroll.models import AllowanceType, PayrollRun, Payslip
from payroll.rules.contributions import Fund
from payroll.selectors import parameters_at
from payroll.selectors.month import BEYOND_SCALE_CODE, LEADERSHIP_CODE, SALARY_CODE
from personnel.models import OrgUnit

CHUNK = 2000
FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Column:
    """One column of the register: what it shows (``key``), its heading, the heading of the
    group it belongs to, its width in characters and whether totals sum it."""

    key: str
    header: str
    group: str = ""
    width: float = 13
    total: bool = False
    style: Style | None = None


@dataclass(frozen=True)
class Form:
    code: str = "Mẫu số C02a-HD"
    basis: str = (
        "(Ban hành kèm theo Thông tư số 107/2017/TT-BTC ngày 10/10/2017 của Bộ Tài chính; "
        "mẫu kế thừa theo Thông tư số 24/2024/TT-BTC)"
    )
    title: str = "BẢNG THANH TOÁN TIỀN LƯƠNG VÀ CÁC KHOẢN PHỤ CẤP THEO LƯƠNG"
    signatures: tuple[tuple[str, str], ...] = (
        ("NGƯỜI LẬP BIỂU", "(Ký, họ tên)"),
        ("KẾ TOÁN TRƯỞNG", "(Ký, họ tên)"),
        ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký, họ tên, đóng dấu)"),
    )


FORM = Form()

_COEF = "Hệ số"
_AMOUNTS = "Lương và các khoản phụ cấp theo lương (đồng)"
_DEDUCTIONS = "Các khoản khấu trừ (đồng)"

C02A_LAYOUT: tuple[Column, ...] = (
    Column("no", "STT", width=6),
    Column("full_name", "Họ và tên", width=26),
    Column("staff_number", "Số hiệu", width=12),
    Column("rank_code", "Mã ngạch", width=11),
    Column("step", "Bậc", width=5),
    Column("coef:salary", "Lương", _COEF, width=8, total=True, style=Style.DECIMAL),
    Column("coef:leadership", "PC chức vụ", _COEF, width=8, total=True, style=Style.DECIMAL),
    Column("coef:beyond_scale", "PC thâm niên vượt khung", _COEF, width=9, total=True,
           style=Style.DECIMAL),
    Column("coef:other", "PC khác", _COEF, width=8, total=True, style=Style.DECIMAL),
    Column("coef:total", "Cộng hệ số", _COEF, width=9, total=True, style=Style.DECIMAL),
    Column("days", "Ngày công hưởng lương", width=9),
    Column("line:LUONG", "Lương ngạch, bậc", _AMOUNTS, width=14, total=True),
    Column("line:PCCV", "PC chức vụ", _AMOUNTS, total=True),
    Column("line:TNVK", "PC thâm niên vượt khung", _AMOUNTS, total=True),
    Column("line:TNN", "PC thâm niên nghề", _AMOUNTS, total=True),
    Column("line:CONGVU", "PC công vụ", _AMOUNTS, total=True),
    Column("line:UUDAI", "PC ưu đãi nghề", _AMOUNTS, total=True),
    Column("line:KHUVUC", "PC khu vực", _AMOUNTS, total=True),
    Column("line:TRACHNHIEM", "PC trách nhiệm", _AMOUNTS, total=True),
    Column("line:*", "PC khác", _AMOUNTS, total=True),
    Column("arrears", "Truy lĩnh", _AMOUNTS, total=True),
    Column("gross", "Tổng thu nhập", width=15, total=True),
    Column("social_insurance", "BHXH", _DEDUCTIONS, total=True),
    Column("health", "BHYT", _DEDUCTIONS, total=True),
    Column("unemployment", "BHTN", _DEDUCTIONS, total=True),
    Column("back_contributions", "Truy đóng BH", _DEDUCTIONS, total=True),
    Column("union_dues", "Đoàn phí công đoàn", _DEDUCTIONS, total=True),
    Column("tax", "Thuế TNCN", _DEDUCTIONS, total=True),
    Column("deductions", "Cộng khấu trừ", _DEDUCTIONS, total=True),
    Column("net", "Số tiền thực lĩnh", width=15, total=True),
    Column("signature", "Ký nhận", width=14),
)  # fmt: skip

_FIELDS = (
    "unit_id", "staff__full_name", "staff__staff_number", "rank_code", "step", "coefficient",
    "working_days", "paid_days", "gross", "employee_back_contributions", "union_dues",
    "personal_income_tax", "net", "lines", "contributions",
)  # fmt: skip


@dataclass
class RegisterTotals:
    """What the writer summed, for the command line and the tests."""

    headcount: int = 0
    units: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    grand: dict[str, Decimal] = field(default_factory=dict)


def arrears_periods(run: PayrollRun) -> list[tuple[int, int]]:
    """The past months the run pays arrears lines for, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT DISTINCT (line->>5)::int, (line->>6)::int
               FROM payroll_payslip p CROSS JOIN LATERAL jsonb_array_elements(p.lines) AS line
               WHERE p.run_id = %s AND cardinality(p.arrears_periods) > 0
                 AND line->>5 IS NOT NULL
               ORDER BY 1, 2""",
            [run.pk],
        )
        return [(year, month) for year, month in cursor.fetchall()]


def coefficient_codes() -> frozenset[str]:
    """Lines computed as coefficient × base salary (their coefficient can be shown)."""
    return frozenset(
        AllowanceType.objects.filter(computation=AllowanceType.Computation.COEFFICIENT)
        .values_list("code", flat=True)
        .distinct()
    )


class RegisterExport:
    """``RegisterExport(run).write(file)`` writes the register of ``run`` (an XLSX file)."""

    layout: tuple[Column, ...] = C02A_LAYOUT
    form: Form = FORM

    def __init__(self, run: PayrollRun, *, extracted_by: str = "", now=None):
        self.run = run
        self.extracted_by = extracted_by
        self.now = now or datetime.datetime.now()
        self.periods = arrears_periods(run)
        self.columns = self._expand(self.layout)
        self.keys = [column.key for column in self.columns]
        self.summed = [index for index, column in enumerate(self.columns) if column.total]
        try:
            self.base_salary = parameters_at(datetime.date(run.year, run.month, 1)).base_salary
        except LookupError:  # no base salary on record: coefficients cannot be shown
            self.base_salary = None
        self.coefficient_codes = coefficient_codes()
        listed = {
            c.key[5:] for c in self.columns if c.key.startswith("line:") and c.key != "line:*"
        }
        self.listed_codes = frozenset(listed)
        self.totals = RegisterTotals()

    def _expand(self, layout) -> list[Column]:
        """The layout with ``arrears`` turned into one column per past month (or none)."""
        columns = []
        for column in layout:
            if column.key == "arrears":
                columns += [
                    replace(column, key=f"arrears:{year * 100 + month}",
                            header=f"{column.header} tháng {month_label(year, month)}")
                    for year, month in self.periods
                ]  # fmt: skip
            else:
                columns.append(column)
        return columns

    # --- rows -----------------------------------------------------------------------------

    def payslip_rows(self) -> Iterator[tuple]:
        """The run's payslips in register order, as tuples of ``_FIELDS``."""
        return (
            Payslip.objects.filter(run=self.run)
            .order_by("unit__path", "staff__sort_key", "staff_id")
            .values_list(*_FIELDS)
            .iterator(chunk_size=CHUNK)
        )

    def values(self, row: tuple, number: int) -> dict:
        """One payslip's cells by column key."""
        (_unit, name, staff_number, rank_code, step, coefficient, working, paid, gross,
         back, dues, tax, net, lines, contributions) = row  # fmt: skip
        base = self.base_salary
        values = {
            "no": number, "full_name": name, "staff_number": staff_number,
            "rank_code": rank_code, "step": step, "days": paid, "gross": gross,
            "back_contributions": back, "union_dues": dues, "tax": tax, "net": net,
        }  # fmt: skip
        amounts: dict[str, Decimal] = {}
        other = ZERO
        coef_other = ZERO
        coefficients: dict[str, Decimal] = {}
        for code, _label, amount, _base, _taxable, year, month in lines:
            amount = Decimal(amount)
            if year is not None:
                key = f"arrears:{year * 100 + month}"
                values[key] = values.get(key, ZERO) + amount
                continue
            if code in self.listed_codes:
                amounts[code] = amounts.get(code, ZERO) + amount
            else:
                other += amount
            if base and (code in self.coefficient_codes or code == BEYOND_SCALE_CODE):
                full = amount if paid == working or not paid else amount * working / paid
                equivalent = (full / base).quantize(FOUR_PLACES)
                if code in (LEADERSHIP_CODE, BEYOND_SCALE_CODE):
                    coefficients[code] = equivalent
                else:
                    coef_other += equivalent
        for code, amount in amounts.items():
            values[f"line:{code}"] = amount
        if other:
            values["line:*"] = other
        salary_coefficient = coefficient if SALARY_CODE in amounts else None
        leadership = coefficients.get(LEADERSHIP_CODE)
        beyond = coefficients.get(BEYOND_SCALE_CODE)
        values["coef:salary"] = salary_coefficient
        values["coef:leadership"] = leadership
        values["coef:beyond_scale"] = beyond
        values["coef:other"] = coef_other or None
        total = (salary_coefficient or ZERO) + (leadership or ZERO) + (beyond or ZERO) + coef_other
        values["coef:total"] = total or None
        social = health = unemployment = ZERO
        for fund, employee, _employer in contributions:
            if is_social_insurance(fund):
                social += Decimal(employee)
            elif fund == Fund.HEALTH:
                health += Decimal(employee)
            elif fund == Fund.UNEMPLOYMENT:
                unemployment += Decimal(employee)
        values["social_insurance"] = social
        values["health"] = health
        values["unemployment"] = unemployment
        values["deductions"] = gross - net
        return values

    # --- the workbook ---------------------------------------------------------------------

    def write(self, target: BinaryIO) -> RegisterTotals:
        """Write the register into ``target`` (a binary file); returns the totals."""
        units = {
            unit.pk: unit
            for unit in OrgUnit.objects.filter(
                pk__in=Payslip.objects.filter(run=self.run).values("unit_id").distinct()
            ).only("name", "code", "path")
        }
        width = len(self.columns)
        with XlsxStream(target) as book:
            title = f"Bảng lương {month_label(self.run.year, self.run.month)}"
            with book.sheet(
                title,
                widths=[column.width for column in self.columns],
                freeze="C9",
                landscape=True,
            ) as sheet:
                self._heading(sheet, width)
                current_unit = None
                unit_sums: list[Decimal] = []
                grand = [ZERO] * width
                number = 0
                for row in self.payslip_rows():
                    unit_id = row[0]
                    if unit_id != current_unit:
                        if current_unit is not None:
                            self._unit_total(sheet, units[current_unit], unit_sums)
                        current_unit = unit_id
                        unit_sums = [ZERO] * width
                        number = 0
                        label = sheet.row([units[unit_id].name], bold=True)
                        sheet.merge(label, 0, label, min(width - 1, 4))
                    number += 1
                    values = self.values(row, number)
                    cells = []
                    for column in self.columns:
                        value = values.get(column.key)
                        if column.style is not None and value is not None:
                            value = Cell(value, column.style)
                        cells.append(value)
                    sheet.row(cells)
                    for index in self.summed:
                        value = values.get(self.keys[index])
                        if value:
                            unit_sums[index] += value
                            grand[index] += value
                    self.totals.headcount += 1
                if current_unit is not None:
                    self._unit_total(sheet, units[current_unit], unit_sums)
                self._grand_total(sheet, grand)
                self._signatures(sheet, width)
        return self.totals

    def _heading(self, sheet, width: int) -> None:
        run = self.run
        right = max(width - 6, 6)
        first = sheet.row(
            [f"Đơn vị: {run.unit.name}", *[None] * (right - 1), self.form.code],
            style=Style.BOLD,
        )
        sheet.merge(first, 0, first, right - 1)
        sheet.merge(first, right, first, width - 1)
        second = sheet.row(
            [f"Mã đơn vị: {run.unit.code}", *[None] * (right - 1),
             Cell(self.form.basis, Style.WRAP)],
            height=30,
        )  # fmt: skip
        sheet.merge(second, 0, second, right - 1)
        sheet.merge(second, right, second, width - 1)
        title = sheet.row([self.form.title], style=Style.TITLE)
        sheet.merge(title, 0, title, width - 1)
        month = sheet.row([f"Tháng {run.month:02d} năm {run.year}"], style=Style.CENTER_ITALIC)
        sheet.merge(month, 0, month, width - 1)
        status = None
        if run.status != PayrollRun.Status.LOCKED:
            status = f"(Chưa khóa sổ – trạng thái: {RUN_STATUS_LABELS.get(run.status, run.status)})"
        note = sheet.row([status], style=Style.CENTER_ITALIC)
        sheet.merge(note, 0, note, width - 1)
        sheet.skip()
        # Two heading rows: groups over their columns, single columns over both rows.
        groups = [column.group or column.header for column in self.columns]
        names = [column.header if column.group else None for column in self.columns]
        top = sheet.row(groups, style=Style.HEADER, height=30)
        below = sheet.row([Cell(n, Style.HEADER) for n in names], style=Style.HEADER, height=60)
        index = 0
        while index < width:
            column = self.columns[index]
            if not column.group:
                sheet.merge(top, index, below, index)
                index += 1
                continue
            end = index
            while end + 1 < width and self.columns[end + 1].group == column.group:
                end += 1
            if end > index:
                sheet.merge(top, index, top, end)
            index = end + 1
        sheet.print_title_rows = (top, below)

    def _total_row(self, label: str, sums: list[Decimal]) -> list:
        cells: list = [None] * len(self.columns)
        cells[1] = label
        for index in self.summed:
            column = self.columns[index]
            value = sums[index]
            cells[index] = Cell(value, column.style or Style.MONEY) if value else None
        return cells

    def _unit_total(self, sheet, unit: OrgUnit, sums: list[Decimal]) -> None:
        sheet.row(self._total_row(f"Cộng {unit.name}", sums), bold=True)
        self.totals.units[unit.pk] = {self.keys[index]: sums[index] for index in self.summed}

    def _grand_total(self, sheet, sums: list[Decimal]) -> None:
        sheet.row(self._total_row("TỔNG CỘNG", sums), bold=True)
        self.totals.grand = {self.keys[index]: sums[index] for index in self.summed}

    def _signatures(self, sheet, width: int) -> None:
        sheet.skip()
        day = sheet.row(
            [*[None] * max(width - 6, 0), "Ngày ..... tháng ..... năm ......."],
            style=Style.CENTER_ITALIC,
        )
        if width > 6:
            sheet.merge(day, width - 6, day, width - 1)
        slots = len(self.form.signatures)
        span = max(width // slots, 1)
        titles: list = [None] * width
        hints: list = [None] * width
        for position, (title, hint) in enumerate(self.form.signatures):
            titles[position * span] = title
            hints[position * span] = hint
        first = sheet.row(titles, style=Style.CENTER_BOLD)
        second = sheet.row(hints, style=Style.CENTER_ITALIC)
        for position in range(slots):
            start = position * span
            end = width - 1 if position == slots - 1 else start + span - 1
            if end > start:
                sheet.merge(first, start, first, end)
                sheet.merge(second, start, second, end)
        if self.extracted_by:
            sheet.skip(4)
            sheet.row(
                [
                    f"Trích xuất từ hệ thống tiền lương bởi {self.extracted_by} "
                    f"lúc {self.now:%H:%M ngày %d/%m/%Y}"
                ]
            )
