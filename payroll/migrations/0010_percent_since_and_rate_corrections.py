"""Data: the date each beyond-scale percentage was granted (the first decision, in a run of
decisions with the same percentage, that carries it), and corrections to leadership-allowance
rows already loaded (docs/rules.md §3.2, §4.4): NĐ 33/2023/NĐ-CP took effect on 2023-08-01, and
the chi cục rates rest on NĐ 204/2004/NĐ-CP from 2004-10-01. Later loads of fixtures/ then match
these rows by their key instead of adding overlapping ones."""

import datetime

from django.db import migrations

PERCENT_SINCE = """
WITH ordered AS (
    SELECT id, staff_id, effective_date, beyond_scale_percent,
           LAG(beyond_scale_percent) OVER w AS previous
    FROM payroll_salaryrecord
    WHERE status = 'approved'
    WINDOW w AS (PARTITION BY staff_id ORDER BY effective_date, id)
), runs AS (
    SELECT id, staff_id, effective_date, beyond_scale_percent,
           SUM(CASE WHEN previous IS DISTINCT FROM beyond_scale_percent THEN 1 ELSE 0 END)
               OVER (PARTITION BY staff_id ORDER BY effective_date, id) AS run
    FROM ordered
), firsts AS (
    SELECT id, beyond_scale_percent,
           MIN(effective_date) OVER (PARTITION BY staff_id, run) AS since
    FROM runs
)
UPDATE payroll_salaryrecord AS record
SET beyond_scale_since = firsts.since
FROM firsts
WHERE record.id = firsts.id AND firsts.beyond_scale_percent > 0
"""

DRAFTS = """
UPDATE payroll_salaryrecord SET beyond_scale_since = effective_date
WHERE status <> 'approved' AND beyond_scale_percent > 0 AND beyond_scale_since IS NULL
"""


def percent_since(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(PERCENT_SINCE)
        cursor.execute(DRAFTS)


def rate_corrections(apps, schema_editor):
    rates = apps.get_model("payroll", "LeadershipAllowanceRate").objects.using(
        schema_editor.connection.alias
    )
    rates.filter(
        legal_basis="NĐ 33/2023/NĐ-CP", valid_from=datetime.date(2023, 7, 1)
    ).update(valid_from=datetime.date(2023, 8, 1))
    rates.filter(
        unit_kind="Chi cục thuộc sở",
        legal_basis="TT 02/2005/TT-BNV",
        valid_from=datetime.date(2005, 1, 1),
    ).update(
        valid_from=datetime.date(2004, 10, 1),
        legal_basis="NĐ 204/2004/NĐ-CP (bảng phụ cấp chức vụ lãnh đạo); TT 02/2005/TT-BNV",
    )


class Migration(migrations.Migration):
    dependencies = [("payroll", "0009_percent_since_reserved_categories")]

    operations = [
        migrations.RunPython(percent_since, migrations.RunPython.noop),
        migrations.RunPython(rate_corrections, migrations.RunPython.noop),
    ]
