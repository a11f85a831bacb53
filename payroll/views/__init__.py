"""Payroll screens: ``salary`` (due lists, decisions, a person's salary history),
``pay_inputs`` (a person's allowances, dependants, union membership and bank account), ``runs``
(payroll months: open, compute, approve, return, lock, compare) and ``outputs`` (payslips, the
register, the bank list, the contributions summary, bulk payslips).

The salary views are re-exported here so ``payroll.urls`` keeps naming them ``views.…``.
"""

from payroll.views.salary import (
    decision_draft_edit,
    decision_draft_withdraw,
    decisions,
    decisions_approve,
    decisions_reject,
    due_list_export,
    due_list_prepare,
    due_list_view,
    staff_salary,
    staff_salary_new,
)

__all__ = [
    "decision_draft_edit",
    "decision_draft_withdraw",
    "decisions",
    "decisions_approve",
    "decisions_reject",
    "due_list_export",
    "due_list_prepare",
    "due_list_view",
    "staff_salary",
    "staff_salary_new",
]
