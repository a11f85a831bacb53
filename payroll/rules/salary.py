"""Salary amounts from coefficients (NĐ 204/2004/NĐ-CP Điều 3; docs/rules.md §1.3–§1.4).

Pure functions: ``Decimal`` in and out, rounding to whole đồng per line item.
"""

from decimal import Decimal

from hrms.lib.money import round_vnd


def coefficient_pay(*, coefficient: Decimal, base_salary: Decimal) -> Decimal:
    """Salary by coefficient = hệ số × lương cơ sở (NĐ 204/2004; NĐ 73/2024, NĐ 161/2026)."""
    return round_vnd(coefficient * base_salary)


def percent_of(*, amount: Decimal, percent: Decimal) -> Decimal:
    """A percentage allowance of an amount, rounded to the đồng."""
    return round_vnd(amount * percent / Decimal(100))
