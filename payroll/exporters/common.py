"""What every payroll output shares: the Vietnamese wording of funds and built-in lines, the
stored JSON of a payslip read back as values, month labels.

Payroll documents (payslip, register, bank list, contributions summary) are Vietnamese forms:
their wording stays Vietnamese whatever the interface language, as the printed dossier's does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from payroll.rules.contributions import FUND_ORDER, SOCIAL_INSURANCE_FUNDS, Fund
from payroll.selectors.month import SALARY_CODE
from personnel.models import Staff

ZERO = Decimal(0)

FUND_LABELS = {
    Fund.RETIREMENT: "BHXH – hưu trí, tử tuất",
    Fund.SICKNESS: "BHXH – ốm đau, thai sản",
    Fund.WORK_ACCIDENT: "BHXH – tai nạn lao động, bệnh nghề nghiệp",
    Fund.HEALTH: "Bảo hiểm y tế (BHYT)",
    Fund.UNEMPLOYMENT: "Bảo hiểm thất nghiệp (BHTN)",
    Fund.UNION_FEE: "Kinh phí công đoàn",
}
# The lines the payroll itself names (allowance lines carry their type's name, which is
# reference data already in Vietnamese); the stored label of these depends on the language of
# whoever computed the month.
LINE_LABELS = {SALARY_CODE: "Lương theo ngạch, bậc"}
CATEGORY_LABELS = {
    Staff.Category.CADRE: "Cán bộ",
    Staff.Category.CIVIL_SERVANT: "Công chức",
    Staff.Category.PUBLIC_EMPLOYEE: "Viên chức",
    Staff.Category.CONTRACT: "Hợp đồng lao động",
    Staff.Category.COMMUNE_CADRE: "Cán bộ cấp xã",
    Staff.Category.COMMUNE_CIVIL_SERVANT: "Công chức cấp xã",
}
RUN_STATUS_LABELS = {
    "draft": "Dự thảo",
    "computed": "Đã tính, chờ duyệt",
    "approved": "Đã duyệt",
    "locked": "Đã khóa sổ",
}

Period = tuple[int, int]


def month_label(year: int, month: int) -> str:
    """``07/2026``."""
    return f"{month:02d}/{year}"


def fund_label(fund: str) -> str:
    try:
        return FUND_LABELS[Fund(fund)]
    except ValueError:
        return fund


@dataclass(frozen=True, slots=True)
class StoredLine:
    """A payslip line as stored (``Payslip.lines``): ``period`` is the past month an arrears
    line pays for, None for the month's own lines."""

    code: str
    label: str
    amount: Decimal
    in_insurance_base: bool
    taxable: bool
    period: Period | None

    @property
    def display_label(self) -> str:
        return LINE_LABELS.get(self.code, self.label)


def stored_lines(items: Iterable[list]) -> list[StoredLine]:
    """``Payslip.lines`` as values (see the comment on the field for the format)."""
    return [
        StoredLine(code, label, Decimal(amount), bool(in_base), bool(taxable),
                   (year, month) if year else None)
        for code, label, amount, in_base, taxable, year, month in items
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class StoredContribution:
    fund: str
    employee: Decimal
    employer: Decimal
    period: Period | None = None  # the past month of a back contribution


def stored_contributions(items: Iterable[list]) -> list[StoredContribution]:
    """``Payslip.contributions``: [fund, employee, employer]."""
    return [
        StoredContribution(fund, Decimal(employee), Decimal(employer))
        for fund, employee, employer in items
    ]


def stored_back_contributions(items: Iterable[list]) -> list[StoredContribution]:
    """``Payslip.back_contributions``: [fund, employee, employer, year, month]."""
    return [
        StoredContribution(fund, Decimal(employee), Decimal(employer), (year, month))
        for fund, employee, employer, year, month in items
    ]


def fund_sort_key(fund: str) -> int:
    try:
        return FUND_ORDER.index(Fund(fund))
    except ValueError:
        return len(FUND_ORDER)


def is_social_insurance(fund: str) -> bool:
    """Retirement, sickness and work accident: together "BHXH" on registers."""
    return fund in SOCIAL_INSURANCE_FUNDS
