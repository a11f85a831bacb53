"""Database helpers that are not specific to any app.

``field__any=ids(values)`` filters on many integer values with one array parameter
(``field = ANY('{…}'::bigint[])``) instead of ``IN (%s, %s, …)``: a province's hundred thousand
ids would exceed PostgreSQL's 65,535 parameters per statement and take long to plan. The values
travel as one text literal: adapting a hundred thousand Python ints one by one (and Django
resolving each element of a list) costs seconds, the literal milliseconds.
"""

from collections.abc import Iterable

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
