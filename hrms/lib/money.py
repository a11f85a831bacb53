"""Money: Decimal end to end, whole đồng, shown as ``1.234.567 đ``."""

from decimal import ROUND_HALF_UP, Decimal

ONE_DONG = Decimal("1")


def round_vnd(amount: Decimal) -> Decimal:
    """Round to whole đồng, half up (the rounding the rules prescribe per line item;
    docs/rules.md §1.5)."""
    if amount.__class__ is not Decimal:  # payroll calls this per line: skip the copy when we can
        amount = Decimal(amount)
    return amount.quantize(ONE_DONG, rounding=ROUND_HALF_UP)


def format_vnd(amount: Decimal | int | None) -> str:
    """Format an amount the Vietnamese way: ``1.234.567 đ`` (negative: ``-1.234.567 đ``)."""
    if amount is None:
        return ""
    value = round_vnd(Decimal(amount))
    sign = "-" if value < 0 else ""
    grouped = f"{abs(int(value)):,}".replace(",", ".")
    return f"{sign}{grouped} đ"
