"""Database helpers that are not specific to any app.

``field__any=[…]`` filters on a list of values with one array parameter
(``field = ANY(%s)``) instead of ``IN (%s, %s, …)``: a province's hundred thousand ids would
exceed PostgreSQL's 65,535 parameters per statement and take long to plan.
"""

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    """``field__any=values``: the field equals one of ``values`` (sent as one array)."""

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # related fields keep their own lookup registry
