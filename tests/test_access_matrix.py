"""Every URL of the app × every role × objects inside and outside scope → the expected status.

A URL pattern without a row here fails ``test_every_url_has_a_row``: adding a screen means
deciding, here, who may open it. Objects are taken from the ``world`` fixture (see conftest):
``a``/``a1`` lie in unit A's subtree (clerk and head are granted there), ``b``/``b1`` in unit B
(the outsider's), ``own`` is the staff persona's own record.
"""

from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import png_bytes

ROLES = ("anonymous", "admin", "clerk", "head", "staff", "outsider", "nobody")
LOGIN = "login"  # redirected to the login page (a 302 elsewhere is a plain 302)


@dataclass
class Row:
    """Expected status per role; with ``objects``, a tuple of statuses in the objects' order."""

    expect: dict[str, int | str | tuple[int | str, ...]]
    # kwarg → the world attribute holding its object, "{}" standing for the column's name
    # (e.g. {"pk": "{}", "item": "{}_allowance"}: the record, then an allowance of it)
    objects: dict[str, str] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    method: str = "get"
    kwargs: dict[str, str] = field(default_factory=dict)  # fixed URL arguments

    def statuses(self, role: str) -> tuple[int | str, ...]:
        value = self.expect[role]
        return value if isinstance(value, tuple) else (value,) * max(len(self.columns), 1)


def everyone(status: int, anonymous: int = LOGIN) -> dict[str, int]:
    return {role: (anonymous if role == "anonymous" else status) for role in ROLES}


VIEW_RECORD = {
    "anonymous": (LOGIN, LOGIN, LOGIN),
    "admin": (200, 200, 200),
    "clerk": (200, 404, 200),
    "head": (200, 404, 200),
    "staff": (404, 404, 200),
    "outsider": (404, 200, 404),
    "nobody": (404, 404, 404),
}
EDIT_PAY_INPUTS = {
    "anonymous": (LOGIN, LOGIN, LOGIN),
    "admin": (200, 200, 200),
    "clerk": (200, 404, 200),
    "head": (403, 404, 403),
    "staff": (404, 404, 403),
    "outsider": (404, 200, 404),
    "nobody": (404, 404, 404),
}

MATRIX: dict[str, Row] = {
    "home": Row(everyone(200)),
    "login": Row({**everyone(302), "anonymous": 200}),  # signed-in users go home
    "logout": Row(everyone(405)),  # POST only
    "password_change": Row(everyone(200)),
    "password_change_done": Row(everyone(200)),
    "set_language": Row(everyone(302, anonymous=302)),
    "personnel:unit_list": Row(
        {
            "anonymous": LOGIN,
            "admin": 200,
            "clerk": 200,
            "head": 200,
            "staff": 404,
            "outsider": 200,
            "nobody": 404,
        }
    ),
    "personnel:unit_detail": Row(
        columns=("unit_a1", "unit_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (200, 200),
            "clerk": (200, 404),
            "head": (200, 404),
            "staff": (404, 404),
            "outsider": (404, 200),
            "nobody": (404, 404),
        },
    ),
    "personnel:staff_list": Row(
        {
            "anonymous": LOGIN,
            "admin": 200,
            "clerk": 200,
            "head": 200,
            "staff": 200,  # the list shows their own record only
            "outsider": 200,
            "nobody": 200,  # an empty list
        }
    ),
    "personnel:staff_detail": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (200, 200, 200),
            "clerk": (200, 404, 200),
            "head": (200, 404, 200),
            "staff": (404, 404, 200),
            "outsider": (404, 200, 404),
            "nobody": (404, 404, 404),
        },
    ),
    "personnel:my_record": Row({**everyone(404), "staff": 302}),
    "personnel:staff_list_export": Row(
        {
            **everyone(404),
            "anonymous": LOGIN,
            "admin": 200,
            "clerk": 200,
            "head": 200,
            "outsider": 200,
        }
    ),
    "personnel:staff_create": Row(
        {**everyone(404), "anonymous": LOGIN, "admin": 200, "clerk": 200, "outsider": 200}
    ),
    "personnel:staff_history": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (200, 200, 200),
            "clerk": (200, 404, 200),
            "head": (200, 404, 200),
            "staff": (404, 404, 200),
            "outsider": (404, 200, 404),
            "nobody": (404, 404, 404),
        },
    ),
    "personnel:staff_photo": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (200, 200, 200),
            "clerk": (200, 404, 200),
            "head": (200, 404, 200),
            "staff": (404, 404, 200),
            "outsider": (404, 200, 404),
            "nobody": (404, 404, 404),
        },
    ),
    # Self-service: only the person proposes a correction to their own record; scans open for
    # whoever may view the record; a request opens for its requester and the unit's clerks.
    "personnel:change_request_new": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        kwargs={"section": "residence"},
        expect={
            **everyone((404, 404, 404), anonymous=(LOGIN, LOGIN, LOGIN)),
            "staff": (404, 404, 200),
        },
    ),  # fmt: skip
    "personnel:change_request_row": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}", "row": "{}_dependant"},
        kwargs={"section": "dependants", "action": "change"},
        expect={
            **everyone((404, 404, 404), anonymous=(LOGIN, LOGIN, LOGIN)),
            "staff": (404, 404, 200),
        },
    ),  # fmt: skip
    "personnel:documents": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect=VIEW_RECORD,
    ),
    "personnel:document_download": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}", "document": "{}_document"},
        expect=VIEW_RECORD,
    ),
    "personnel:change_requests": Row(
        {**everyone(200), "head": 404, "nobody": 404}  # neither edits nor has a record
    ),
    "personnel:change_request": Row(
        columns=("own_request", "b_request"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (200, 200),
            "clerk": (200, 404),
            "head": (404, 404),
            "staff": (200, 404),
            "outsider": (404, 200),
            "nobody": (404, 404),
        },
    ),
    "personnel:change_request_withdraw": Row(
        method="post",
        columns=("own_request", "b_request"),
        objects={"pk": "{}"},
        expect={**everyone((404, 404), anonymous=(LOGIN, LOGIN)), "staff": (302, 404)},
    ),
    # Charts: heads (the approval permission) and the provincial administrator.
    "payroll:charts": Row({**everyone(404), "anonymous": LOGIN, "admin": 200, "head": 200}),
    "payroll:chart_export": Row(
        {**everyone(404), "anonymous": LOGIN, "admin": 200, "head": 200},
        kwargs={"key": "category"},
    ),
    "personnel:notifications": Row(everyone(200)),
    "personnel:notification_settings": Row(everyone(200)),
    # Revealing sensitive items needs the sensitive-data permission (clerk, admin) or one's
    # own record; a unit head sees the record but may not reveal (403).
    "personnel:staff_reveal": Row(
        method="post",
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (302, 302, 302),
            "clerk": (302, 404, 302),
            "head": (403, 404, 403),
            "staff": (404, 404, 302),
            "outsider": (404, 302, 404),
            "nobody": (404, 404, 404),
        },
    ),
    # Editing: the change permission, never one's own record (staff: 403 on their own).
    "personnel:staff_edit": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        kwargs={"section": "identity"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (200, 200, 200),
            "clerk": (200, 404, 200),
            "head": (403, 404, 403),
            "staff": (404, 404, 403),
            "outsider": (404, 200, 404),
            "nobody": (404, 404, 404),
        },
    ),
    "personnel:staff_photo_edit": Row(
        method="post",
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (302, 302, 302),
            "clerk": (302, 404, 302),
            "head": (403, 404, 403),
            "staff": (404, 404, 403),
            "outsider": (404, 302, 404),
            "nobody": (404, 404, 404),
        },
    ),
    "personnel:staff_movement": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        kwargs={"kind": "transfer"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (200, 200, 200),
            "clerk": (200, 404, 200),
            "head": (403, 404, 403),
            "staff": (404, 404, 403),
            "outsider": (404, 200, 404),
            "nobody": (404, 404, 404),
        },
    ),
    # A full copy of the dossier (sensitive items printed) is a reveal: the same people.
    "personnel:staff_dossier_full_pdf": Row(
        method="post",
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (200, 200, 200),
            "clerk": (200, 404, 200),
            "head": (403, 404, 403),
            "staff": (404, 404, 200),
            "outsider": (404, 200, 404),
            "nobody": (404, 404, 404),
        },
    ),
    "personnel:staff_dossier_pdf": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (200, 200, 200),
            "clerk": (200, 404, 200),
            "head": (200, 404, 200),
            "staff": (404, 404, 200),
            "outsider": (404, 200, 404),
            "nobody": (404, 404, 404),
        },
    ),
    "personnel:exports": Row(
        {
            **everyone(404),
            "anonymous": LOGIN,
            "admin": 200,
            "clerk": 200,
            "head": 200,
            "outsider": 200,
        }
    ),
    # Only the person who asked for an export may download it (here: the head).
    "personnel:export_download": Row(
        {**everyone(404), "anonymous": LOGIN, "head": 200},
        columns=("export_job",),
        objects={"pk": "{}"},
        kwargs={"part": "main"},
    ),
    # Imports: for whoever may change records somewhere; a batch only for who uploaded it
    # (here: the clerk).
    "personnel:imports": Row(
        {**everyone(404), "anonymous": LOGIN, "admin": 200, "clerk": 200, "outsider": 200}
    ),
    "personnel:import_template": Row(
        {**everyone(404), "anonymous": LOGIN, "admin": 200, "clerk": 200, "outsider": 200},
        kwargs={"kind": "staff"},
    ),
    "personnel:import_detail": Row(
        {**everyone(404), "anonymous": LOGIN, "clerk": 200},
        columns=("import_batch",),
        objects={"pk": "{}"},
    ),
    "personnel:import_errors": Row(
        {**everyone(404), "anonymous": LOGIN, "clerk": 200},
        columns=("import_batch",),
        objects={"pk": "{}"},
    ),
    # Salary: lists for anyone who may view units; drafts by clerks (change), approval by
    # heads and the provincial administrator (approve), never by the preparer.
    "payroll:due_list": Row(
        {
            **everyone(404),
            "anonymous": LOGIN,
            "admin": 200,
            "clerk": 200,
            "head": 200,
            "outsider": 200,
        }
    ),
    "payroll:due_list_export": Row(
        {
            **everyone(404),
            "anonymous": LOGIN,
            "admin": 200,
            "clerk": 200,
            "head": 200,
            "outsider": 200,
        },
        kwargs={},
    ),
    "payroll:due_list_prepare": Row(
        {**everyone(404), "anonymous": LOGIN, "admin": 302, "clerk": 302, "outsider": 302},
        method="post",
    ),
    "payroll:decisions": Row(
        {
            **everyone(404),
            "anonymous": LOGIN,
            "admin": 200,
            "clerk": 200,
            "head": 200,
            "outsider": 200,
        }
    ),
    "payroll:decisions_approve": Row(
        {**everyone(404), "anonymous": LOGIN, "admin": 302, "head": 302}, method="post"
    ),
    "payroll:decisions_reject": Row(
        {**everyone(404), "anonymous": LOGIN, "admin": 302, "head": 302}, method="post"
    ),
    "payroll:staff_salary": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (200, 200, 200),
            "clerk": (200, 404, 200),
            "head": (200, 404, 200),
            "staff": (404, 404, 200),
            "outsider": (404, 200, 404),
            "nobody": (404, 404, 404),
        },
    ),
    # Payroll months: seen by whoever views the unit; computed by clerks (change), approved and
    # returned by heads and the administrator (approve), locked by either.
    "payroll:run_list": Row({**everyone(200), "anonymous": LOGIN, "staff": 404, "nobody": 404}),
    "payroll:run_detail": Row(
        columns=("run_a1", "run_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (200, 200),
            "clerk": (200, 404),
            "head": (200, 404),
            "staff": (404, 404),
            "outsider": (404, 200),
            "nobody": (404, 404),
        },
    ),  # fmt: skip
    "payroll:run_compare": Row(
        columns=("run_a1", "run_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (200, 200),
            "clerk": (200, 404),
            "head": (200, 404),
            "staff": (404, 404),
            "outsider": (404, 200),
            "nobody": (404, 404),
        },
    ),  # fmt: skip
    "payroll:run_compute": Row(
        method="post",
        columns=("run_a1", "run_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (302, 302),
            "clerk": (302, 404),
            "head": (403, 404),
            "staff": (404, 404),
            "outsider": (404, 302),
            "nobody": (404, 404),
        },
    ),  # fmt: skip
    "payroll:run_approve": Row(
        method="post",
        columns=("run_a1", "run_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (302, 302),
            "clerk": (403, 404),
            "head": (302, 404),
            "staff": (404, 404),
            "outsider": (404, 403),
            "nobody": (404, 404),
        },
    ),  # fmt: skip
    "payroll:run_return": Row(
        method="post",
        columns=("run_a1", "run_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (302, 302),
            "clerk": (403, 404),
            "head": (302, 404),
            "staff": (404, 404),
            "outsider": (404, 403),
            "nobody": (404, 404),
        },
    ),  # fmt: skip
    "payroll:run_lock": Row(
        method="post",
        columns=("run_a1", "run_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (302, 302),
            "clerk": (302, 404),
            "head": (302, 404),
            "staff": (404, 404),
            "outsider": (404, 302),
            "nobody": (404, 404),
        },
    ),  # fmt: skip
    # A draft's preparer corrects or withdraws it; others who see it are refused (403).
    "payroll:decision_draft_edit": Row(
        columns=("draft_a1", "draft_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (403, 403),
            "clerk": (200, 404),
            "head": (403, 404),
            "staff": (404, 404),
            "outsider": (404, 200),
            "nobody": (404, 404),
        },
    ),
    "payroll:decision_draft_withdraw": Row(
        method="post",
        columns=("draft_a1", "draft_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (403, 403),
            "clerk": (302, 404),
            "head": (403, 404),
            "staff": (404, 404),
            "outsider": (404, 302),
            "nobody": (404, 404),
        },
    ),
    "payroll:staff_salary_new": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (200, 200, 200),
            "clerk": (200, 404, 200),
            "head": (403, 404, 403),
            "staff": (404, 404, 403),
            "outsider": (404, 200, 404),
            "nobody": (404, 404, 404),
        },
    ),
    # A person's pay inputs: seen by whoever sees the record, the bank account revealed by
    # whoever may see sensitive items (not a unit head), edited by clerks, never one's own.
    "payroll:staff_pay": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect=VIEW_RECORD,
    ),
    "payroll:staff_pay_reveal": Row(
        method="post",
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (302, 302, 302),
            "clerk": (302, 404, 302),
            "head": (403, 404, 403),
            "staff": (404, 404, 302),
            "outsider": (404, 302, 404),
            "nobody": (404, 404, 404),
        },
    ),
    **{
        f"payroll:staff_pay_{page}": Row(
            columns=("staff_in_a1", "staff_in_b", "own_record"),
            objects={"pk": "{}", **({"item": f"{{}}_{item}"} if item else {})},
            expect=EDIT_PAY_INPUTS,
        )
        for page, item in (
            ("allowance_new", None),
            ("allowance_edit", "allowance"),
            ("allowance_end", "allowance"),
            ("dependant_new", None),
            ("dependant_edit", "dependant"),
            ("dependant_end", "dependant"),
            ("profile", None),
        )
    },
    # Posted without a reason: refused with a message, nothing removed (302 back).
    "payroll:staff_pay_allowance_remove": Row(
        method="post",
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}", "item": "{}_allowance"},
        expect={
            **EDIT_PAY_INPUTS,
            "admin": (302, 302, 302),
            "clerk": (302, 404, 302),
            "outsider": (404, 302, 404),
        },
    ),
    # Insurance: the month's page, register and reconciliation for whoever views a unit; files
    # for whoever exports; imports and registrations for clerks; a person's history for whoever
    # views the record, and for the person themself; their card and absences edited by clerks.
    "insurance:month": Row({**everyone(200), "anonymous": LOGIN, "staff": 404, "nobody": 404}),
    "insurance:register": Row({**everyone(200), "anonymous": LOGIN, "staff": 404, "nobody": 404}),
    "insurance:d02lt_export": Row(
        {**everyone(200), "anonymous": LOGIN, "staff": 404, "nobody": 404}
    ),
    "insurance:register_export": Row(
        {**everyone(200), "anonymous": LOGIN, "staff": 404, "nobody": 404}
    ),
    "insurance:statement_upload": Row(
        {**everyone(302), "anonymous": LOGIN, "head": 403, "staff": 404, "nobody": 404},
        method="post",
    ),
    "insurance:statement": Row(
        columns=("statement_a1", "statement_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (200, 200),
            "clerk": (200, 404),
            "head": (200, 404),
            "staff": (404, 404),
            "outsider": (404, 200),
            "nobody": (404, 404),
        },
    ),
    "insurance:unit_registration": Row(
        columns=("unit_a1", "unit_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (200, 200),
            "clerk": (200, 404),
            "head": (403, 404),
            "staff": (404, 404),
            "outsider": (404, 200),
            "nobody": (404, 404),
        },
    ),
    "insurance:mine": Row({**everyone(404), "staff": 302}),
    "insurance:staff": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect=VIEW_RECORD,
    ),
    # Payroll outputs: a payslip for the person (once the month is approved) and whoever sees
    # their record or the run's payroll; a run's lists and bulk payslips for whoever may export
    # the run's unit (clerks and heads in scope, the administrator).
    "payroll:payslip_pdf": Row(
        columns=("payslip_a1", "payslip_b", "payslip_own"),
        objects={"pk": "{}"},
        expect=VIEW_RECORD,
    ),
    "payroll:staff_payslips": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect=VIEW_RECORD,
    ),
    "insurance:staff_edit": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect=EDIT_PAY_INPUTS,
    ),
    "insurance:absence_new": Row(
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect=EDIT_PAY_INPUTS,
    ),
    "insurance:rebuild": Row(
        method="post",
        columns=("staff_in_a1", "staff_in_b", "own_record"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN, LOGIN),
            "admin": (302, 302, 302),
            "clerk": (302, 404, 302),
            "head": (403, 404, 403),
            "staff": (404, 404, 403),
            "outsider": (404, 302, 404),
            "nobody": (404, 404, 404),
        },
    ),
    **{
        name: Row(
            columns=("locked_run_a1", "locked_run_b1"),
            objects={"pk": "{}"},
            expect={
                "anonymous": (LOGIN, LOGIN),
                "admin": (200, 200),
                "clerk": (200, 404),
                "head": (200, 404),
                "staff": (404, 404),
                "outsider": (404, 200),
                "nobody": (404, 404),
            },
        )
        for name in (
            "payroll:run_outputs",
            "payroll:run_register",
            "payroll:run_bank_list",
            "payroll:run_contributions",
        )
    },
    "payroll:run_payslips_export": Row(
        method="post",
        columns=("locked_run_a1", "locked_run_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (LOGIN, LOGIN),
            "admin": (302, 302),
            "clerk": (302, 404),
            "head": (302, 404),
            "staff": (404, 404),
            "outsider": (404, 302),
            "nobody": (404, 404),
        },
    ),
    # Only the person who asked for bulk payslips may download them (here: the head).
    "payroll:payslip_export_download": Row(
        {**everyone(404), "anonymous": LOGIN, "head": 200},
        columns=("payslip_export_job",),
        objects={"pk": "{}"},
    ),
    # --- The API (/api/v1/): JSON for machines and sessions; no credentials → 401, never the
    # login page (the docs page excepted: it is for people). Writes reached with no JSON body
    # answer 400 or 415: the caller got past the scope and capability checks (which come
    # first, so refusals write nothing).
    "api:schema": Row(everyone(200, anonymous=401)),
    "api:docs": Row(everyone(200)),  # the page; its script and the schema need a session
    "api:unit_list": Row(
        {**everyone(404, anonymous=401), "admin": 200, "clerk": 200, "head": 200, "outsider": 200}
    ),  # fmt: skip
    "api:unit_detail": Row(
        columns=("unit_a1", "unit_b1"),
        objects={"pk": "{}"},
        expect={
            "anonymous": (401, 401),
            "admin": (200, 200),
            "clerk": (200, 404),
            "head": (200, 404),
            "staff": (404, 404),
            "outsider": (404, 200),
            "nobody": (404, 404),
        },
    ),
    "api:staff_list": Row(everyone(200, anonymous=401)),  # own record only, or an empty list
    "api:staff_departures": Row(everyone(200, anonymous=401)),
    "api:salary_decision_list": Row(everyone(200, anonymous=401)),  # in scope only
    "api:salary_decision_removed": Row(everyone(200, anonymous=401)),  # in scope only
    **{
        name: Row(
            columns=("staff_in_a1", "staff_in_b", "own_record"),
            objects={"pk": "{}"},
            expect={**VIEW_RECORD, "anonymous": (401, 401, 401)},
        )
        for name in ("api:staff_detail", "api:staff_salary", "api:staff_insurance")
    },
    **{
        name: Row(
            method=method,
            columns=("staff_in_a1", "staff_in_b", "own_record"),
            objects={"pk": "{}"},
            kwargs=kwargs,
            expect={
                "anonymous": (401, 401, 401),
                "admin": (reached, reached, reached),
                "clerk": (reached, 404, reached),
                "head": (403, 404, 403),
                "staff": (404, 404, 403),
                "outsider": (404, reached, 404),
                "nobody": (404, 404, 404),
            },
        )
        # An empty PATCH parses as {} (400: the version is missing); a POST without a JSON
        # body is refused by the parser (415).
        for name, method, kwargs, reached in (
            ("api:staff_section", "patch", {"section": "residence"}, 400),
            ("api:staff_movement", "post", {}, 415),
            ("api:salary_draft_create", "post", {}, 415),
        )
    },
    "api:cbccvc_export_create": Row(
        {**everyone(404, anonymous=401), "admin": 415, "clerk": 415, "head": 415, "outsider": 415},
        method="post",
    ),  # fmt: skip
    # A CBCCVC export is followed and downloaded by whoever asked for it (here: the head).
    **{
        name: Row(
            {**everyone(404, anonymous=401), "head": 200},
            columns=("cbccvc_export_job",),
            objects={"pk": "{}"},
        )
        for name in ("api:cbccvc_export", "api:cbccvc_export_file")
    },
}

# Admin-site pages are generated per registered model; every one is checked below. These
# site-level admin URLs are checked with fixed expectations.
ADMIN_SITE_ROWS: dict[str, Row] = {
    "admin:index": Row({**everyone(LOGIN), "admin": 200}),
    "admin:login": Row(
        {
            **everyone(302),
            "anonymous": 200,
            "clerk": 200,
            "head": 200,
            "staff": 200,
            "outsider": 200,
            "nobody": 200,
        }
    ),  # fmt: skip
    "admin:logout": Row({**everyone(302), "admin": 405}),  # POST only
    "admin:password_change": Row({**everyone(LOGIN), "admin": 200}),
    "admin:password_change_done": Row({**everyone(LOGIN), "admin": 200}),
    "admin:jsi18n": Row({**everyone(LOGIN), "admin": 200}),
    "admin:autocomplete": Row({**everyone(LOGIN), "admin": 403}),  # needs its query parameters
    "admin:personnel_orgunit_merge": Row({**everyone(LOGIN), "admin": 200}),
    "admin:personnel_orgunit_split": Row({**everyone(LOGIN), "admin": 200}),
}
ADMIN_PER_MODEL = ("changelist", "add", "history", "change", "delete")
# Pages that need more than a GET with an object id and are not separate screens.
ADMIN_UNCHECKED = {"admin:view_on_site", "admin:app_list", "admin:auth_user_password_change"}


def _flatten(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _flatten(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def all_url_names() -> set[str]:
    return set(_flatten(get_resolver().url_patterns))


def admin_model_url_names() -> set[str]:
    names = set()
    for model in admin.site._registry:
        meta = model._meta
        names |= {f"admin:{meta.app_label}_{meta.model_name}_{page}" for page in ADMIN_PER_MODEL}
    return names


def test_every_url_has_a_row():
    covered = set(MATRIX) | set(ADMIN_SITE_ROWS) | admin_model_url_names() | ADMIN_UNCHECKED
    missing = sorted(all_url_names() - covered)
    assert not missing, f"URLs without a row in the access matrix: {missing}"


@pytest.fixture
def as_role(world, client):
    def login(role: str):
        client.logout()
        if role != "anonymous":
            user = {
                "admin": world.admin,
                "clerk": world.clerk,
                "head": world.head,
                "staff": world.staff_user,
                "outsider": world.outsider,
                "nobody": world.nobody,
            }[role]
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def _outcome(response) -> int | str:
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    return response.status_code


@pytest.fixture
def photos(world, settings, tmp_path):
    """Give the records a photo, and the head a finished export, so those URLs have
    something to serve."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from personnel.models import ExportJob

    settings.MEDIA_ROOT = tmp_path
    for person in (world.staff_in_a1, world.staff_in_b, world.own_record):
        person.photo.save(f"{person.pk}.png", ContentFile(png_bytes()), save=True)
    job = ExportJob.objects.create(
        requested_by=world.head,
        unit=world.unit_a,
        status="done",
        main_file="exports/x/a.zip",
        expires_at=timezone.now() + timezone.timedelta(hours=1),
    )
    (tmp_path / "exports" / "x").mkdir(parents=True)
    (tmp_path / "exports" / "x" / "a.zip").write_bytes(b"PK")
    world.export_job = job
    from personnel.models import ImportBatch

    batch = ImportBatch.objects.create(
        requested_by=world.clerk, unit=world.unit_a, file_name="a.xlsx", status="checked",
        error_file="imports/x/loi.xlsx", report={"refused": 1},
    )  # fmt: skip
    (tmp_path / "imports" / "x").mkdir(parents=True)
    (tmp_path / "imports" / "x" / "loi.xlsx").write_bytes(b"PK")
    world.import_batch = batch


@pytest.fixture
def payroll_runs(world):
    """A computed payroll month in A1 (the clerk's and head's) and in B1 (the outsider's)."""
    from payroll.models import PayrollRun

    for unit in ("a1", "b1"):
        run = PayrollRun.objects.create(
            unit=getattr(world, f"unit_{unit}"), year=2026, month=7, status="computed",
            prepared_by=world.nobody,
        )  # fmt: skip
        setattr(world, f"run_{unit}", run)


@pytest.fixture
def salary_drafts(world):
    """A draft decision about the A1 persona prepared by the clerk (``draft_a1``) and one
    about the B persona prepared by the outsider (``draft_b1``)."""
    import datetime
    from decimal import Decimal

    from payroll.models import SalaryRecord
    from personnel.models import Rank

    rank = Rank.objects.get(code="01.003")
    for name, person, preparer in (
        ("draft_a1", world.staff_in_a1, world.clerk),
        ("draft_b1", world.staff_in_b, world.outsider),
    ):
        draft = SalaryRecord.objects.create(
            staff=person, status="draft", kind="regular", rank=rank, step=2,
            coefficient=Decimal("2.67"), effective_date=datetime.date(2026, 10, 1),
            step_since=datetime.date(2026, 10, 1), created_by=preparer,
        )  # fmt: skip
        setattr(world, name, draft)


@pytest.fixture
def pay_inputs(world):
    """An allowance, a dependant and a pay profile on each record the matrix opens
    (``<record>_allowance``, ``<record>_dependant``)."""
    import datetime
    from decimal import Decimal

    from payroll.models import AllowanceAssignment, AllowanceType, Dependant, PayProfile

    kind = AllowanceType.objects.get(code="TRACHNHIEM")
    for name in ("staff_in_a1", "staff_in_b", "own_record"):
        person = getattr(world, name)
        setattr(
            world,
            f"{name}_allowance",
            AllowanceAssignment.objects.create(
                staff=person, allowance_type=kind, value=Decimal("0.2"),
                valid_from=datetime.date(2026, 1, 1),
            ),
        )  # fmt: skip
        setattr(
            world,
            f"{name}_dependant",
            Dependant.objects.create(
                staff=person, full_name="Nguyễn Bé", relation="child",
                from_month=datetime.date(2026, 1, 1),
            ),
        )  # fmt: skip
        PayProfile.objects.create(staff=person, union_member=True, bank_account="0123456789")


@pytest.fixture
def insurance_statements(world):
    """An imported statement (C12-TS) of A1 and one of B1."""
    from insurance.models import StatementImport

    for unit in ("a1", "b1"):
        statement = StatementImport.objects.create(
            unit=getattr(world, f"unit_{unit}"), year=2026, month=7, filename="c12.xlsx",
            sha256="0" * 64, rows=[["0123456789", "", "Nguyễn Văn An", "", "", "", "1000"]],
            uploaded_by=world.admin,
        )  # fmt: skip
        setattr(world, f"statement_{unit}", statement)


@pytest.fixture
def payroll_outputs(world, photos, settings):
    """A locked payroll month in A1 (paying the A1 persona and the staff persona) and in B1,
    and a finished bulk-payslip job of the head's, so the output URLs have something to
    serve."""
    import datetime

    from django.utils import timezone

    from payroll.models import PayrollRun, Payslip, PayslipExportJob

    now = timezone.now()
    for unit, people in (
        (world.unit_a1, {"payslip_a1": world.staff_in_a1, "payslip_own": world.own_record}),
        (world.unit_b1, {"payslip_b": world.staff_in_b}),
    ):
        run = PayrollRun.objects.create(
            unit=unit, year=2026, month=6, status="computed", prepared_by=world.nobody,
            headcount=len(people),
        )  # fmt: skip
        for name, person in people.items():
            slip = Payslip.objects.create(
                run=run, staff=person, year=2026, month=6, unit=person.unit,
                category=person.category, working_days=22, paid_days=22, suspended=False,
                gross=1_000_000, net=900_000, computed_at=now,
            )  # fmt: skip
            setattr(world, name, slip)
        PayrollRun.objects.filter(pk=run.pk).update(status="locked", locked_at=now)
        setattr(world, f"locked_run_{unit.code.lower()}", run)
    job = PayslipExportJob.objects.create(
        run=world.locked_run_a1, requested_by=world.head, status="done",
        file="payslips/x/a.zip", expires_at=now + datetime.timedelta(hours=1),
    )  # fmt: skip
    (settings.MEDIA_ROOT / "payslips" / "x").mkdir(parents=True)
    (settings.MEDIA_ROOT / "payslips" / "x" / "a.zip").write_bytes(b"PK")
    world.payslip_export_job = job


@pytest.fixture
def api_exports(world, photos, settings):
    """A finished CBCCVC export of the head's, with its file."""
    from api.models import CbccvcExport

    job = CbccvcExport.objects.create(
        requested_by=world.head, status="done", file="cbccvc/x/cbccvc-1.jsonl", total=1, done=1
    )
    (settings.MEDIA_ROOT / "cbccvc" / "x").mkdir(parents=True)
    (settings.MEDIA_ROOT / "cbccvc" / "x" / "cbccvc-1.jsonl").write_text("{}\n")
    world.cbccvc_export_job = job


@pytest.fixture
def requests_and_scans(world, settings, tmp_path):
    """A scan on each record the matrix opens (``<record>_document``), a change request of the
    staff persona (``own_request``) and one of a person in B1 (``b_request``)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from personnel.models import ChangeRequest
    from personnel.services.requests import document_attach
    from tests.factories import UserFactory

    settings.HRMS_PRIVATE_ROOT = tmp_path / "private"
    for name in ("staff_in_a1", "staff_in_b", "own_record"):
        scan = SimpleUploadedFile("s.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        document = document_attach(
            staff=getattr(world, name), upload=scan, kind="diploma", actor=world.admin
        )
        setattr(world, f"{name}_document", document)
    world.staff_in_b.user = UserFactory(username="person_b")
    world.staff_in_b.save(update_fields=["user"])
    for name, staff in (("own_request", world.own_record), ("b_request", world.staff_in_b)):
        change = ChangeRequest.objects.create(
            staff=staff, section="residence", proposed={"phone": "0912000111"},
            requested_by=staff.user,
        )  # fmt: skip
        setattr(world, name, change)


@pytest.mark.parametrize("name", list(MATRIX))
def test_access(
    world,
    photos,
    payroll_runs,
    pay_inputs,
    insurance_statements,
    payroll_outputs,
    api_exports,
    requests_and_scans,
    salary_drafts,
    as_role,
    name,
):
    """Every role against the URL (one set-up per URL; all mismatches reported together)."""
    row = MATRIX[name]
    mismatches = []
    for role in ROLES:
        client = as_role(role)
        got = []
        for column in row.columns or (None,):
            kwargs = dict(row.kwargs)
            if column is not None:
                kwargs |= {
                    key: getattr(world, template.format(column)).pk
                    for key, template in row.objects.items()
                }
            response = getattr(client, row.method)(reverse(name, kwargs=kwargs))
            got.append(_outcome(response))
            if response.streaming:  # read it out so the file is closed
                b"".join(response.streaming_content)
        if tuple(got) != row.statuses(role):
            mismatches.append(f"{role}: got {tuple(got)}, expected {row.statuses(role)}")
    assert not mismatches, f"{name}: " + "; ".join(mismatches)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ADMIN_SITE_ROWS))
def test_admin_site_pages(world, as_role, name, role):
    response = as_role(role).get(reverse(name))
    expected = ADMIN_SITE_ROWS[name].statuses(role)[0]
    assert response.status_code == (302 if expected == LOGIN else expected)


@pytest.mark.parametrize("role", ROLES)
def test_admin_model_pages(world, pay_inputs, as_role, role):
    """Every registered model's admin pages: only the provincial administrator gets in."""
    client = as_role(role)
    failures = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        sample = model._default_manager.first()
        for page in ADMIN_PER_MODEL:
            name = f"admin:{meta.app_label}_{meta.model_name}_{page}"
            needs_object = page in ("history", "change", "delete")
            if needs_object and sample is None:
                continue
            url = reverse(name, args=[sample.pk] if needs_object else [])
            status = client.get(url).status_code
            if role != "admin":
                expected = 302  # to the admin login
            elif (
                page == "delete"
                and not model_admin.has_delete_permission(_request_for(world.admin))
                or page == "add"
                and not model_admin.has_add_permission(_request_for(world.admin))
            ):
                expected = 403
            else:
                expected = 200
            if status != expected:
                failures.append((name, status, expected))
    assert not failures, failures


def test_no_admin_page_shows_a_bank_account_or_an_id_number(world, pay_inputs, as_role):
    """Sensitive items never show whole on the administration site, not even through the
    audit trail's events (which keep every field's values): the administrator reads them on
    the record's pages, masked until a logged reveal."""
    from payroll.models import PayProfile

    PayProfile.objects.filter(staff=world.staff_in_a1).update(bank_account="0123456789")
    world.staff_in_a1.personal_id = "037085999111"
    world.staff_in_a1.save()
    client = as_role("admin")
    leaks = []
    for model in admin.site._registry:
        meta = model._meta
        pages = [reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")]
        pages += [
            reverse(f"admin:{meta.app_label}_{meta.model_name}_{page}", args=[pk])
            for pk in model._default_manager.values_list("pk", flat=True)[:5]
            for page in ("change", "history")
        ]
        for url in pages:
            content = client.get(url).content.decode()
            leaks += [
                (url, secret) for secret in ("0123456789", "037085999111") if secret in content
            ]
    assert not leaks, leaks
    assert not any(model._meta.app_label == "pghistory" for model in admin.site._registry)


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


# --- Self-dealing: every role against decisions about themselves ---------------------------


@pytest.fixture
def own_records(world):
    """Every persona with a login gets a record of their own inside the units they work on
    (the clerk and the head in A1, the outsider in B1, the administrator in A1 as well), each
    with an approved salary whose regular raise falls due this month."""
    import datetime

    from payroll.rules.progression import add_months
    from tests.conftest import approved_record
    from tests.factories import StaffFactory

    today = datetime.date.today()
    since = add_months(today, -36) + datetime.timedelta(days=5)
    records = {"staff": world.own_record}
    approved_record(world.own_record, rank_code="01.003", step=3, effective=since)
    for role, unit in (
        ("admin", world.unit_a1),
        ("clerk", world.unit_a1),
        ("head", world.unit_a1),
        ("outsider", world.unit_b1),
        ("nobody", world.unit_b1),
    ):
        user = getattr(world, role)
        records[role] = StaffFactory(unit=unit, user=user, full_name=f"Hồ sơ của {role}")
        approved_record(records[role], rank_code="01.003", step=3, effective=since)
    return records


def _draft_about(staff, prepared_by):
    from payroll.models import SalaryRecord
    from personnel.models import Rank

    return SalaryRecord.objects.create(
        staff=staff, status="draft", kind="adjustment", rank=Rank.objects.get(code="01.003"),
        step=3, coefficient="3.00", effective_date="2026-10-01", step_since="2026-10-01",
        leadership_coefficient="0.20", created_by=prepared_by,
    )  # fmt: skip


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_nobody_prepares_approves_or_rejects_a_decision_about_themselves(
    world, own_records, as_role, role
):
    from payroll.models import SalaryRecord

    client = as_role(role)
    own = own_records[role]
    other_clerk = world.outsider if role != "outsider" else world.clerk
    draft = _draft_about(own, prepared_by=other_clerk)
    before = set(SalaryRecord.objects.values_list("pk", "status"))

    form = client.get(reverse("payroll:staff_salary_new", args=[own.pk]))
    posted = client.post(
        reverse("payroll:staff_salary_new", args=[own.pk]),
        {"kind": "adjustment", "rank": draft.rank_id, "step": 3, "effective_date": "01/11/2026"},
    )
    assert (form.status_code, posted.status_code) == (403, 403), role
    client.post(reverse("payroll:due_list_prepare"), {"staff": [own.pk]})
    for act in ("approve", "reject"):
        client.post(reverse(f"payroll:decisions_{act}"), {"records": [draft.pk], "reason": "x"})
    assert set(SalaryRecord.objects.values_list("pk", "status")) == before, role


@pytest.mark.parametrize("role", ["admin", "head"])
def test_the_preparer_never_approves_what_they_prepared(world, own_records, as_role, role):
    from payroll.models import SalaryRecord

    draft = _draft_about(world.staff_in_a1, prepared_by=getattr(world, role))
    as_role(role).post(reverse("payroll:decisions_approve"), {"records": [draft.pk]})
    assert SalaryRecord.objects.get(pk=draft.pk).status == "draft"
