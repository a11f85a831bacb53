"""SQL functions used by generated columns (they must be IMMUTABLE to be indexable).

- hrms_unaccent(text): unaccent() with its dictionary fixed, so PostgreSQL may treat it as
  immutable (the usual wrapper for indexing unaccented text).
- hrms_partial_date_start(text): the first day a partial date "YYYY", "YYYY-MM" or
  "YYYY-MM-DD" may mean (hrms.lib.partial_dates).
"""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION hrms_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE OR REPLACE FUNCTION hrms_partial_date_start(text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT CASE length($1)
    WHEN 4 THEN make_date(substr($1, 1, 4)::int, 1, 1)
    WHEN 7 THEN make_date(substr($1, 1, 4)::int, substr($1, 6, 2)::int, 1)
    WHEN 10 THEN make_date(substr($1, 1, 4)::int, substr($1, 6, 2)::int, substr($1, 9, 2)::int)
  END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS hrms_partial_date_start(text);
DROP FUNCTION IF EXISTS hrms_unaccent(text);
"""


class Migration(migrations.Migration):
    dependencies = [("hrms", "0001_extensions")]
    operations = [migrations.RunSQL(FUNCTIONS, DROP)]
