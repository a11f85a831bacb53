"""The summary of a run's insurance contributions (bảng tổng hợp các khoản trích nộp theo
lương), as XLSX: per work unit and in total, each fund's employee and employer shares of the
month, union dues, and on a second sheet the back contributions (truy đóng) per past month they
belong to (docs/rules.md §5.7).

The sums are taken by the database over the payslips' stored contributions (one row per unit
and fund), so the size of the run does not matter.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.db import connection

from payroll.exporters.common import FUND_LABELS, RUN_STATUS_LABELS, ZERO, month_label
from payroll.exporters.xlsx_stream import Cell, Style, XlsxStream
from payroll.models import PayrollRun
from payroll.rules.contributions import FUND_ORDER
from personnel.models import OrgUnit

_MONTH_SQL = """
SELECT p.unit_id, c->>0, sum((c->>1)::numeric), sum((c->>2)::numeric)
FROM payroll_payslip p CROSS JOIN LATERAL jsonb_array_elements(p.contributions) AS c
WHERE p.run_id = %s GROUP BY 1, 2
"""
_PEOPLE_SQL = """
SELECT unit_id, count(*), sum(insurance_base), sum(union_dues)
FROM payroll_payslip WHERE run_id = %s GROUP BY 1
"""
_BACK_SQL = """
SELECT p.unit_id, (c->>3)::int, (c->>4)::int, c->>0, sum((c->>1)::numeric),
       sum((c->>2)::numeric)
FROM payroll_payslip p CROSS JOIN LATERAL jsonb_array_elements(p.back_contributions) AS c
WHERE p.run_id = %s AND jsonb_array_length(p.back_contributions) > 0
GROUP BY 1, 2, 3, 4
"""

Shares = dict[str, tuple[Decimal, Decimal]]  # fund → (employee, employer)


@dataclass
class UnitSummary:
    unit: OrgUnit
    people: int = 0
    insurance_base: Decimal = ZERO
    union_dues: Decimal = ZERO
    funds: Shares = field(default_factory=dict)

    @property
    def employee(self) -> Decimal:
        return sum((employee for employee, _ in self.funds.values()), ZERO)

    @property
    def employer(self) -> Decimal:
        return sum((employer for _, employer in self.funds.values()), ZERO)


@dataclass
class ContributionsSummary:
    units: list[UnitSummary]
    total: UnitSummary
    # (year, month) → unit id → fund → (employee, employer)
    back: dict[tuple[int, int], dict[int, Shares]]


def _add(shares: Shares, fund: str, employee: Decimal, employer: Decimal) -> None:
    before = shares.get(fund, (ZERO, ZERO))
    shares[fund] = (before[0] + employee, before[1] + employer)


def contributions_summary(run: PayrollRun) -> ContributionsSummary:
    """The run's contributions per work unit and fund, in total, and back contributions."""
    with connection.cursor() as cursor:
        cursor.execute(_PEOPLE_SQL, [run.pk])
        people = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute(_MONTH_SQL, [run.pk])
        month = cursor.fetchall()
        cursor.execute(_BACK_SQL, [run.pk])
        back_rows = cursor.fetchall()
    unit_ids = set(people) | {row[0] for row in back_rows}
    units = {
        unit.pk: unit
        for unit in OrgUnit.objects.filter(pk__in=unit_ids).only("name", "code", "path")
    }
    summaries = {
        pk: UnitSummary(unit=unit, people=people.get(pk, (0, ZERO, ZERO))[0],
                        insurance_base=people.get(pk, (0, ZERO, ZERO))[1] or ZERO,
                        union_dues=people.get(pk, (0, ZERO, ZERO))[2] or ZERO)
        for pk, unit in units.items()
    }  # fmt: skip
    total = UnitSummary(unit=run.unit)
    for unit_id, fund, employee, employer in month:
        _add(summaries[unit_id].funds, fund, employee, employer)
        _add(total.funds, fund, employee, employer)
    for summary in summaries.values():
        total.people += summary.people
        total.insurance_base += summary.insurance_base
        total.union_dues += summary.union_dues
    back: dict[tuple[int, int], dict[int, Shares]] = defaultdict(lambda: defaultdict(dict))
    for unit_id, year, month_number, fund, employee, employer in back_rows:
        _add(back[(year, month_number)][unit_id], fund, employee, employer)
    ordered = sorted(summaries.values(), key=lambda s: s.unit.path)
    return ContributionsSummary(units=ordered, total=total, back=back)


class ContributionsExport:
    """``ContributionsExport(run).write(file)`` writes the contributions summary of ``run``."""

    funds = tuple(fund.value for fund in FUND_ORDER)

    def __init__(self, run: PayrollRun, *, extracted_by: str = "", now=None):
        self.run = run
        self.extracted_by = extracted_by
        self.now = now or datetime.datetime.now()
        self.summary = contributions_summary(run)

    def _header(self, first: tuple[str, ...]) -> tuple[list, list]:
        top = [*first]
        below = [None] * len(first)
        for fund in self.funds:
            top += [FUND_LABELS[fund], None]
            below += ["Người lao động", "Đơn vị"]
        top += ["Cộng", None, "Tổng cộng"]
        below += ["Người lao động", "Đơn vị", None]
        return top, below

    def _shares(self, funds: Shares) -> list:
        cells: list = []
        employee_total = employer_total = ZERO
        for fund in self.funds:
            employee, employer = funds.get(fund, (ZERO, ZERO))
            cells += [employee, employer]
            employee_total += employee
            employer_total += employer
        return [*cells, employee_total, employer_total, employee_total + employer_total]

    def _heading_rows(self, sheet, title: str, first: tuple[str, ...]) -> None:
        run = self.run
        top, below = self._header(first)
        width = len(top)
        unit = sheet.row([f"Đơn vị: {run.unit.name}"], style=Style.BOLD)
        sheet.merge(unit, 0, unit, width - 1)
        heading = sheet.row([title], style=Style.TITLE)
        sheet.merge(heading, 0, heading, width - 1)
        status = ""
        if run.status != PayrollRun.Status.LOCKED:
            status = f" (chưa khóa sổ – {RUN_STATUS_LABELS.get(run.status, run.status)})"
        month = sheet.row(
            [f"Tháng {run.month:02d} năm {run.year}{status}"], style=Style.CENTER_ITALIC
        )
        sheet.merge(month, 0, month, width - 1)
        sheet.skip()
        upper = sheet.row([Cell(value, Style.HEADER) for value in top], height=45)
        lower = sheet.row([Cell(value, Style.HEADER) for value in below], height=30)
        for index in range(len(first)):
            sheet.merge(upper, index, lower, index)
        for index in range(len(first), width - 1, 2):
            sheet.merge(upper, index, upper, index + 1)
        sheet.merge(upper, width - 1, lower, width - 1)

    def write(self, target: BinaryIO) -> ContributionsSummary:
        summary = self.summary
        fund_widths = [14] * (2 * len(self.funds) + 3)
        first = ("STT", "Đơn vị", "Số người", "Tiền lương đóng BH", "Đoàn phí công đoàn")
        with XlsxStream(target) as book:
            with book.sheet(
                f"Trích nộp {month_label(self.run.year, self.run.month)}",
                widths=(6, 34, 9, 16, 14, *fund_widths),
                freeze="C7",
                landscape=True,
            ) as sheet:
                self._heading_rows(sheet, "BẢNG TỔNG HỢP CÁC KHOẢN TRÍCH NỘP THEO LƯƠNG", first)
                for number, unit in enumerate(summary.units, start=1):
                    sheet.row(
                        [number, unit.unit.name, unit.people, unit.insurance_base,
                         unit.union_dues, *self._shares(unit.funds)]
                    )  # fmt: skip
                total = summary.total
                sheet.row(
                    [None, "TỔNG CỘNG", total.people, total.insurance_base, total.union_dues,
                     *self._shares(total.funds)],
                    bold=True,
                )  # fmt: skip
                self._footer(sheet)
            with book.sheet(
                "Truy đóng",
                widths=(6, 34, 12, *fund_widths),
                freeze="C7",
                landscape=True,
            ) as sheet:
                first_back = ("STT", "Đơn vị", "Tháng truy đóng")
                self._heading_rows(sheet, "TRUY ĐÓNG BẢO HIỂM THEO THÁNG", first_back)
                names = {unit.unit.pk: unit.unit.name for unit in summary.units}
                paths = {unit.unit.pk: unit.unit.path for unit in summary.units}
                number = 0
                grand: Shares = {}
                for period in sorted(summary.back):
                    by_unit = summary.back[period]
                    month_total: Shares = {}
                    for unit_id in sorted(by_unit, key=lambda pk: paths.get(pk, "")):
                        number += 1
                        shares = by_unit[unit_id]
                        sheet.row(
                            [number, names.get(unit_id, ""), month_label(*period),
                             *self._shares(shares)]
                        )  # fmt: skip
                        for fund, (employee, employer) in shares.items():
                            _add(month_total, fund, employee, employer)
                            _add(grand, fund, employee, employer)
                    sheet.row(
                        [None, f"Cộng tháng {month_label(*period)}", None,
                         *self._shares(month_total)],
                        bold=True,
                    )  # fmt: skip
                if not summary.back:
                    sheet.row([None, "Không có khoản truy đóng trong tháng này."])
                else:
                    sheet.row([None, "TỔNG CỘNG", None, *self._shares(grand)], bold=True)
        return summary

    def _footer(self, sheet) -> None:
        if self.extracted_by:
            sheet.skip()
            sheet.row(
                [
                    f"Trích xuất từ hệ thống tiền lương bởi {self.extracted_by} "
                    f"lúc {self.now:%H:%M ngày %d/%m/%Y}"
                ]
            )
