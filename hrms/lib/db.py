"""Database helpers that are not specific to any app.

``field__any=ids(values)`` filters on many integer values with one array parameter
(``field = ANY('{…}'::bigint[])``) instead of ``IN (%s, %s, …)``: a province's hundred thousand
ids would exceed PostgreSQL's 65,535 parameters per statement and take long to plan. The values
travel as one text literal: adapting a hundred thousand Python ints one by one (and Django
resolving each element of a list) costs seconds, the literal milliseconds.

Check constraints that mirror the forms' rules:

- ``LocalToday``, ``LocalYear`` and ``PlanningLimit``: today's date, its year, and 31 December a
  few years ahead, *in the project's time zone* (the connection runs in UTC, so CURRENT_DATE
  would lag seven hours behind Hà Nội). Such bounds only ever loosen as time passes, so a row
  that passed once always passes again (a dump restores).
- ``PartialDateStart``: the first day a partial date ("1962", "1962-05", "1962-05-17") may mean,
  through the immutable SQL function ``hrms_partial_date_start``.
- ``AddConstraintNotValid``: adds a check constraint without checking the rows stored before
  (``NOT VALID``), then validates it when they all pass; a database holding older rows that
  break it keeps checking every new and changed row and says which constraint they break.
- ``constraint_refusal``: the message of the check constraint an IntegrityError names.

``without_jit()``: a block of province-sized reads with PostgreSQL's JIT compilation off.
"""

import contextlib
import sys
from collections.abc import Iterable

from django.db import IntegrityError, migrations, models, transaction
from django.db.models import Field, ForeignObject, Lookup


class Ids:
    """Integer ids for ``__any``, kept away from Django's per-element resolution of lists."""

    __slots__ = ("literal", "count")

    def __init__(self, values: Iterable[int]):
        text = [str(int(value)) for value in values]
        self.literal = "{" + ",".join(text) + "}"
        self.count = len(text)

    def __len__(self) -> int:
        return self.count


def ids(values: Iterable[int]) -> Ids:
    """Wrap integer ids for a ``field__any=`` filter."""
    return values if isinstance(values, Ids) else Ids(values)


class AnyOf(Lookup):
    """``field__any=values``: the field equals one of the integer ``values`` (one array)."""

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [ids(value).literal]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs}::bigint[])", [*lhs_params, *rhs_params]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # related fields keep their own lookup registry


class LocalToday(models.Func):
    """Today's date in time zone ``tz`` (for check constraints: "not in the future")."""

    template = "((STATEMENT_TIMESTAMP() AT TIME ZONE %(expressions)s)::date)"
    output_field = models.DateField()

    def __init__(self, tz: str):
        super().__init__(models.Value(tz))


class LocalYear(models.Func):
    """This year in time zone ``tz``."""

    template = "(EXTRACT(YEAR FROM (STATEMENT_TIMESTAMP() AT TIME ZONE %(expressions)s))::int)"
    output_field = models.IntegerField()

    def __init__(self, tz: str):
        super().__init__(models.Value(tz))


class PlanningLimit(models.Func):
    """31 December of the year ``years`` after this one in time zone ``tz``: the latest date a
    planned change may take effect."""

    template = (
        "MAKE_DATE(EXTRACT(YEAR FROM (STATEMENT_TIMESTAMP() AT TIME ZONE %(expressions)s))::int"
        " + %(years)s, 12, 31)"
    )
    output_field = models.DateField()

    def __init__(self, tz: str, years: int):
        super().__init__(models.Value(tz), years=int(years))


class PartialDateStart(models.Func):
    """The first day of a partial date column (NULL when it is empty)."""

    function = "hrms_partial_date_start"
    output_field = models.DateField()


class AddConstraintNotValid(migrations.AddConstraint):
    """Add a check constraint NOT VALID, then VALIDATE it if every stored row passes."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        statement = self.constraint.create_sql(model, schema_editor)
        schema_editor.execute(f"{statement} NOT VALID", params=None)
        table = schema_editor.quote_name(model._meta.db_table)
        name = schema_editor.quote_name(self.constraint.name)
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
        except IntegrityError:
            sys.stdout.write(
                f"\n  {model._meta.db_table}: rows stored before break {self.constraint.name};"
                " new and changed rows are checked, the old ones are left to correct.\n"
            )

    def describe(self):
        return f"{super().describe()} (NOT VALID, validated when the stored rows pass)"


def constraint_refusal(error: IntegrityError, *model_classes) -> str | None:
    """The violation message of the check constraint (of ``model_classes``) that ``error``
    reports, or None when it is another error."""
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    for model_class in model_classes:
        for constraint in model_class._meta.constraints:
            if constraint.name == name and isinstance(constraint, models.CheckConstraint):
                return str(constraint.get_violation_error_message())
    return None


@contextlib.contextmanager
def without_jit(*, sort_memory_mb: int | None = None):
    """Run the block in a transaction with PostgreSQL's JIT compilation off. The server compiles
    a query to machine code when its estimated cost is high — a province-wide read of a hundred
    thousand people is — and the compilation (0.2–0.3 s) takes longer than such a query runs.
    ``sort_memory_mb`` raises ``work_mem`` for the block, so that a sort of tens of thousands of
    wide rows stays in memory instead of spilling to disk (the default is 4 MB).
    ``SET LOCAL`` ends with the transaction (inside a request's, with the request). No savepoint:
    meant for reads."""
    from django.db import connection

    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            if sort_memory_mb:
                cursor.execute(f"SET LOCAL work_mem = '{int(sort_memory_mb)}MB'")
        yield
