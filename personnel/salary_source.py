"""What the dossier shows but another app owns: the salary history (item 31 of Mẫu 2C-BNV/2008)
and the salary in force (item 14, the summary list).

Salary decisions belong to ``payroll``, which sits above ``personnel``: personnel never imports it.
Personnel defines here the shape it needs (``SalaryLine``) and a slot; payroll fills the slot
when it starts (``PayrollConfig.ready``). Without payroll installed the dossier shows no salary
history rather than failing.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class SalaryLine:
    """One approved salary decision as the dossier prints it."""

    effective_date: datetime.date
    rank_code: str
    rank_name: str
    step: int
    coefficient: Decimal
    beyond_scale_percent: Decimal = Decimal(0)
    leadership_coefficient: Decimal = Decimal(0)


@dataclass
class SalarySource:
    """The two reads payroll provides: one person's history (oldest first) and the lines in
    force for many people at once."""

    history: Callable[[int], list[SalaryLine]]
    current: Callable[[Iterable[int]], dict[int, SalaryLine]]


_source: SalarySource | None = None


def register_salary_source(source: SalarySource) -> None:
    """Called once by the app that owns salary decisions."""
    global _source
    _source = source


def salary_history(staff_id: int) -> list[SalaryLine]:
    """A person's approved salary decisions, oldest first (empty without a provider)."""
    return _source.history(staff_id) if _source is not None else []


def current_salaries(staff_ids: Iterable[int]) -> dict[int, SalaryLine]:
    """The latest approved salary line of each person (one query in the provider)."""
    return _source.current(staff_ids) if _source is not None else {}
