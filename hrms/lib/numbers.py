"""Coefficients (hệ số) as people read them: two decimals at least, with the decimal comma of
Vietnamese (``4,98``, ``3,00``). Every page, PDF and register formats them through here."""

from decimal import Decimal

from django.utils.formats import get_format


def format_coefficient(value, *, decimal_separator: str = ",") -> str:
    """``Decimal("4.98")`` → ``"4,98"``; ``3`` → ``"3,00"``; a reserved coefficient keeps its
    third decimal (``0,125``); ``""`` for none. Documents (Vietnamese forms) use the default
    comma; pages pass the active language's separator (see ``localized_coefficient``)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    places = max(2, -number.normalize().as_tuple().exponent)
    text = f"{number:.{places}f}"
    return text.replace(".", decimal_separator)


def localized_coefficient(value) -> str:
    """A coefficient in the active language's notation (Vietnamese ``4,98``, English ``4.98``)."""
    return format_coefficient(value, decimal_separator=get_format("DECIMAL_SEPARATOR"))
