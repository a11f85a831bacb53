"""One person's payslip (phiếu lương) for one month, as a PDF.

It prints what the run stored — never a recomputation: the header (paying unit, work unit,
month, person, staff number, rank, step and coefficient, working days and days paid), every line
of the month with its amount, the arrears paid this month itemised per past month they belong to
(docs/rules.md §7.5), the employee's contributions per fund and the back contributions per past
month, union dues, personal income tax, the net in figures, and for information the employer's
contributions. A payslip of a month not yet approved says so in its title.
"""

from __future__ import annotations

import datetime
import functools
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from hrms.lib.money import format_vnd
from hrms.lib.numbers import format_coefficient
from hrms.lib.pdf import BOLD, REGULAR, NumberedCanvas, paragraph, register_fonts, styles, text
from hrms.lib.printable import printable
from hrms.lib.vietnamese import nfc
from payroll.exporters.common import (
    CATEGORY_LABELS,
    RUN_STATUS_LABELS,
    ZERO,
    fund_label,
    fund_sort_key,
    month_label,
    stored_back_contributions,
    stored_contributions,
    stored_lines,
)
from payroll.models import PayrollRun, Payslip
from personnel.models import Rank


@dataclass
class PayslipData:
    """Everything the document prints, read beforehand (``payslip_data``)."""

    payslip: Payslip  # with staff, unit and run.unit loaded
    rank_name: str


def payslip_queryset():
    """Payslips with what their document prints, in one query each."""
    return Payslip.objects.select_related("staff", "unit", "run", "run__unit")


def rank_names(codes) -> dict[str, str]:
    """Rank code → rank name, for the codes payslips carry."""
    return dict(
        Rank.objects.filter(code__in={code for code in codes if code}).values_list("code", "name")
    )


def payslip_data(payslip: Payslip, names: dict[str, str] | None = None) -> PayslipData:
    """The document's data for a payslip loaded through ``payslip_queryset``."""
    if names is None:
        names = rank_names([payslip.rank_code])
    return PayslipData(payslip=payslip, rank_name=names.get(payslip.rank_code, ""))


def _money(amount) -> str:
    return format_vnd(amount)


def _plain(value) -> str:
    """Text for a plain (unparsed) table cell: NFC, printable, one line."""
    return " ".join(printable(nfc(str(value))).split())


class PayslipPDF:
    """``PayslipPDF(data, extracted_by=…, extracted_at=…).render()`` → bytes."""

    pagesize = A4
    margins = (18 * mm, 18 * mm, 16 * mm, 16 * mm)  # left, right, top, bottom
    amount_width = 38 * mm

    def __init__(self, data: PayslipData, *, extracted_by: str, extracted_at: datetime.datetime):
        self.data = data
        self.slip = data.payslip
        self.extracted_by = extracted_by
        self.extracted_at = extracted_at
        self.lines = stored_lines(self.slip.lines)
        self.contributions = sorted(
            stored_contributions(self.slip.contributions), key=lambda c: fund_sort_key(c.fund)
        )
        self.back = stored_back_contributions(self.slip.back_contributions)

    @property
    def period(self) -> str:
        return month_label(self.slip.year, self.slip.month)

    def render(self) -> bytes:
        register_fonts()
        buffer = io.BytesIO()
        left, right, top, bottom = self.margins
        width, height = self.pagesize
        staff = self.slip.staff
        document = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=left,
            rightMargin=right,
            topMargin=top,
            bottomMargin=bottom,
            title=printable(nfc(f"Phiếu lương {self.period} - {staff.full_name}")),
            author="hrms",
            subject="Phiếu lương",
        )
        frame = Frame(left, bottom, width - left - right, height - top - bottom, id="body")
        document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        footer = (
            f"Trích xuất từ hệ thống tiền lương bởi {self.extracted_by} "
            f"lúc {self.extracted_at:%H:%M ngày %d/%m/%Y}"
        )
        canvas_class = type("PayslipCanvas", (NumberedCanvas,), {"footer_text": footer})
        document.build(self.story(document.width), canvasmaker=canvas_class)
        return buffer.getvalue()

    def story(self, width: float) -> list:
        return [
            *self.heading(width),
            *self.earnings(width),
            *self.deductions(width),
            *self.net(width),
            *self.employer(width),
        ]

    # --- pieces ---------------------------------------------------------------------------

    def heading(self, width: float) -> list:
        slip = self.slip
        run = slip.run
        staff = slip.staff
        units = [
            paragraph(None, "small", markup=f"Đơn vị trả lương: <b>{text(run.unit.name)}</b>"),
            paragraph(None, "small", markup=f"Đơn vị công tác: <b>{text(slip.unit.name)}</b>"),
        ]
        top = Table([[units]], colWidths=[width])
        top.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        title = f"PHIẾU LƯƠNG THÁNG {self.period}"
        parts = [top, paragraph(title, "title")]
        if run.status != PayrollRun.Status.LOCKED:
            status = RUN_STATUS_LABELS.get(run.status, run.status)
            parts.append(
                paragraph(
                    f"(Bảng lương tháng chưa khóa sổ – trạng thái: {status})", "center_italic"
                )
            )
        rank = " – ".join(part for part in (slip.rank_code, self.data.rank_name) if part)
        salary = []
        if rank:
            salary.append(f"Ngạch, chức danh: <b>{text(rank)}</b>")
        if slip.step:
            salary.append(f"Bậc: <b>{slip.step}</b>")
        if slip.coefficient is not None:
            salary.append(f"Hệ số lương: <b>{text(format_coefficient(slip.coefficient))}</b>")
        days = (
            f"Ngày công chuẩn của tháng: <b>{slip.working_days}</b> · "
            f"Ngày công hưởng lương: <b>{slip.paid_days}</b>"
        )
        rows = [
            paragraph(
                None,
                markup=f"Họ và tên: <b>{text(staff.full_name)}</b> · "
                f"Số hiệu: <b>{text(staff.staff_number)}</b>",
            ),
            paragraph(
                None,
                markup="Đối tượng: "
                f"<b>{text(CATEGORY_LABELS.get(slip.category, slip.category))}</b>"
                + (f" · Người phụ thuộc: <b>{slip.dependants}</b>" if slip.dependants else ""),
            ),
        ]
        if salary:
            rows.append(paragraph(None, markup=" · ".join(salary)))
        rows.append(paragraph(None, markup=days))
        if slip.suspended:
            rows.append(
                paragraph(
                    "Tháng có từ 14 ngày làm việc không hưởng lương: không đóng BHXH, BHTN "
                    "(BHYT vẫn đóng).",
                    "small",
                )
            )
        return [*parts, Spacer(1, 4), *rows, Spacer(1, 6)]

    def _table(self, rows: list[list], width: float, *, bold_rows=(), heading_rows=()) -> Table:
        table = Table(rows, colWidths=[width - self.amount_width, self.amount_width], splitInRow=1)
        style = [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("FONTSIZE", (0, 0), (-1, -1), 9.5),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        for row in bold_rows:
            style.append(("FONTNAME", (0, row), (-1, row), BOLD))
            style.append(("LINEABOVE", (0, row), (-1, row), 0.75, colors.black))
        for row in heading_rows:
            style.append(("FONTNAME", (0, row), (-1, row), BOLD))
            style.append(("BACKGROUND", (0, row), (-1, row), colors.HexColor("#efefef")))
        table.setStyle(TableStyle(style))
        return table

    def earnings(self, width: float) -> list:
        own = [line for line in self.lines if line.period is None]
        arrears: dict[tuple[int, int], list] = defaultdict(list)
        for line in self.lines:
            if line.period is not None:
                arrears[line.period].append(line)
        rows: list[list] = [["Khoản được hưởng", "Số tiền"]]
        headings = [0]
        for line in own:
            rows.append([paragraph(line.display_label, "cell"), _money(line.amount)])
        for period in sorted(arrears):
            headings.append(len(rows))
            rows.append([f"Truy lĩnh tháng {month_label(*period)}", ""])
            for line in arrears[period]:
                rows.append([_indented(line.display_label), _money(line.amount)])
        rows.append(["Tổng thu nhập", _money(self.slip.gross)])
        table = self._table(rows, width, bold_rows=[len(rows) - 1], heading_rows=headings)
        return [paragraph("I. Các khoản được hưởng", "section"), table]

    def deductions(self, width: float) -> list:
        slip = self.slip
        rows: list[list] = [["Khoản khấu trừ", "Số tiền"]]
        headings = [0]
        rows.append([f"Tiền lương đóng bảo hiểm: {_money(slip.insurance_base)}", ""])
        for item in self.contributions:
            if item.employee:
                rows.append([_plain(f"{fund_label(item.fund)}"), _money(item.employee)])
        back: dict[tuple[int, int], list] = defaultdict(list)
        for item in self.back:
            if item.employee:
                back[item.period].append(item)
        for period in sorted(back):
            headings.append(len(rows))
            rows.append([f"Truy đóng bảo hiểm tháng {month_label(*period)}", ""])
            for item in sorted(back[period], key=lambda c: fund_sort_key(c.fund)):
                rows.append([_indented(fund_label(item.fund)), _money(item.employee)])
        if slip.union_dues:
            rows.append(["Đoàn phí công đoàn", _money(slip.union_dues)])
        rows.append(
            [
                f"Thuế thu nhập cá nhân (thu nhập tính thuế: {_money(slip.taxable_income)})",
                _money(slip.personal_income_tax),
            ]
        )
        total = (
            slip.employee_insurance
            + slip.employee_back_contributions
            + slip.union_dues
            + slip.personal_income_tax
        )
        rows.append(["Tổng khấu trừ", _money(total)])
        table = self._table(rows, width, bold_rows=[len(rows) - 1], heading_rows=headings)
        return [paragraph("II. Các khoản khấu trừ", "section"), table]

    def net(self, width: float) -> list:
        table = Table(
            [["THỰC LĨNH", _money(self.slip.net)]],
            colWidths=[width - self.amount_width, self.amount_width],
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), BOLD),
                    ("FONTSIZE", (0, 0), (-1, -1), 11.5),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                    ("BOX", (0, 0), (-1, -1), 1, colors.black),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return [Spacer(1, 8), table]

    def employer(self, width: float) -> list:
        shares = [item for item in self.contributions if item.employer]
        back = [item for item in self.back if item.employer]
        if not shares and not back:
            return []
        rows: list[list] = [["Đơn vị đóng (không trừ vào lương)", "Số tiền"]]
        for item in shares:
            rows.append([fund_label(item.fund), _money(item.employer)])
        back_by_month: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
        for item in back:
            back_by_month[item.period] += item.employer
        for period in sorted(back_by_month):
            rows.append(
                [f"Truy đóng bảo hiểm tháng {month_label(*period)}", _money(back_by_month[period])]
            )
        total = sum((item.employer for item in shares), ZERO) + sum(
            (item.employer for item in back), ZERO
        )
        rows.append(["Cộng", _money(total)])
        table = self._table(rows, width, bold_rows=[len(rows) - 1], heading_rows=[0])
        return [Spacer(1, 10), paragraph("Để biết: phần đơn vị đóng", "section"), table]


@functools.cache
def _indented_style() -> ParagraphStyle:
    return ParagraphStyle("cell_indented", parent=styles()["cell"], leftIndent=12)


def _indented(value) -> Paragraph:
    return Paragraph(text(value), _indented_style())
