"""The bank transfer list of a run (danh sách chuyển tiền lương qua tài khoản), as XLSX.

One row per person paid by transfer: name, staff number, account number (always text, so its
leading zeros survive), bank, net amount, work unit; a total per bank and a grand total. People
without an account on record — and anyone whose net is not positive — are listed separately,
with the reason, to be paid by other means. The account is read from the person's pay profile
at export time. The account number is a sensitive item: whoever exports the list is logged
once per person listed (the view does it).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.db.models import Q

from payroll.exporters.common import RUN_STATUS_LABELS, ZERO, month_label
from payroll.exporters.xlsx_stream import Cell, Style, XlsxStream
from payroll.models import PayrollRun, Payslip

CHUNK = 2000
NO_ACCOUNT = "Chưa có tài khoản ngân hàng"
NOT_POSITIVE = "Thực lĩnh không dương: không chuyển khoản"

_HEADER = ("STT", "Họ và tên", "Số hiệu", "Số tài khoản", "Ngân hàng", "Số tiền (đồng)", "Đơn vị")
_WIDTHS = (6, 28, 12, 22, 30, 16, 30)


@dataclass
class BankListTotals:
    transfers: int = 0
    transfer_amount: Decimal = ZERO
    by_bank: dict[str, tuple[int, Decimal]] = field(default_factory=dict)
    others: int = 0
    other_amount: Decimal = ZERO
    staff_ids: list[int] = field(default_factory=list)  # everyone listed, for the access log


class BankListExport:
    """``BankListExport(run).write(file)`` writes the bank transfer list of ``run``."""

    def __init__(self, run: PayrollRun, *, extracted_by: str = "", now=None):
        self.run = run
        self.extracted_by = extracted_by
        self.now = now or datetime.datetime.now()
        self.totals = BankListTotals()

    def rows(self, *, transfers: bool) -> Iterator[tuple]:
        """The people paid by transfer (an account and a positive net), or everyone else;
        streamed in chunks, so neither list is ever held in memory."""
        paid = Q(staff__pay_profile__bank_account__gt="", net__gt=0)
        payslips = Payslip.objects.filter(run=self.run)
        payslips = payslips.filter(paid) if transfers else payslips.exclude(paid)
        return (
            payslips.order_by(
                "staff__pay_profile__bank_name", "unit__path", "staff__sort_key", "staff_id"
            )
            .values_list(
                "staff_id",
                "staff__full_name",
                "staff__staff_number",
                "staff__pay_profile__bank_account",
                "staff__pay_profile__bank_name",
                "net",
                "unit__name",
            )  # fmt: skip
            .iterator(chunk_size=CHUNK)
        )

    def write(self, target: BinaryIO) -> BankListTotals:
        totals = self.totals
        by_bank: dict[str, list] = defaultdict(lambda: [0, ZERO])
        with XlsxStream(target) as book:
            with book.sheet(
                f"Chuyển khoản {month_label(self.run.year, self.run.month)}",
                widths=_WIDTHS,
                freeze="A6",
            ) as sheet:
                self._heading(sheet, "DANH SÁCH CHI TRẢ LƯƠNG QUA TÀI KHOẢN")
                for number, (staff_id, name, staff_number, account, bank, net, unit) in enumerate(
                    self.rows(transfers=True), start=1
                ):
                    totals.staff_ids.append(staff_id)
                    sheet.row([number, name, staff_number, account, bank or "", net, unit])
                    totals.transfers += 1
                    totals.transfer_amount += net
                    by_bank[bank or ""][0] += 1
                    by_bank[bank or ""][1] += net
                sheet.row(
                    [None, f"Cộng: {totals.transfers} người", None, None, None,
                     totals.transfer_amount, None],
                    bold=True,
                )  # fmt: skip
                sheet.skip()
                sheet.row(["Tổng hợp theo ngân hàng"], bold=True)
                for bank, (count, amount) in sorted(by_bank.items()):
                    sheet.row([None, bank or "(không rõ)", None, f"{count} người", None, amount])
                    totals.by_bank[bank] = (count, amount)
                self._footer(sheet)
            with book.sheet(
                "Không chuyển khoản",
                widths=(*_WIDTHS, 40),
                freeze="A6",
            ) as sheet:
                self._heading(sheet, "DANH SÁCH KHÔNG CHI TRẢ QUA TÀI KHOẢN", extra=("Lý do",))
                for number, (staff_id, name, staff_number, account, bank, net, unit) in enumerate(
                    self.rows(transfers=False), start=1
                ):
                    totals.staff_ids.append(staff_id)
                    reason = NOT_POSITIVE if account else NO_ACCOUNT
                    sheet.row([number, name, staff_number, account or "", bank or "", net, unit,
                               reason])  # fmt: skip
                    totals.others += 1
                    totals.other_amount += net
                sheet.row(
                    [None, f"Cộng: {totals.others} người", None, None, None,
                     totals.other_amount, None],
                    bold=True,
                )  # fmt: skip
        return totals

    def _heading(self, sheet, title: str, extra: tuple[str, ...] = ()) -> None:
        run = self.run
        width = len(_HEADER) + len(extra)
        first = sheet.row([f"Đơn vị: {run.unit.name}"], style=Style.BOLD)
        sheet.merge(first, 0, first, width - 1)
        heading = sheet.row([title], style=Style.TITLE)
        sheet.merge(heading, 0, heading, width - 1)
        status = ""
        if run.status != PayrollRun.Status.LOCKED:
            status = f" (chưa khóa sổ – {RUN_STATUS_LABELS.get(run.status, run.status)})"
        month = sheet.row(
            [f"Tiền lương tháng {run.month:02d} năm {run.year}{status}"],
            style=Style.CENTER_ITALIC,
        )
        sheet.merge(month, 0, month, width - 1)
        sheet.skip()
        sheet.row([Cell(name, Style.HEADER) for name in (*_HEADER, *extra)], height=30)

    def _footer(self, sheet) -> None:
        if self.extracted_by:
            sheet.skip()
            sheet.row(
                [
                    f"Trích xuất bởi {self.extracted_by} lúc {self.now:%H:%M ngày %d/%m/%Y}. "
                    "Số tài khoản là thông tin cá nhân: không chuyển tiếp, xóa sau khi dùng."
                ]
            )
