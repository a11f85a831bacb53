"""Offices (phòng) are on their parent's payroll; every other unit keeps its own (the default of
the new column). Reversible: the column is dropped by the previous migration's reversal."""

from django.db import migrations


def offices_share_payroll(apps, schema_editor):
    units = apps.get_model("personnel", "OrgUnit").objects.using(schema_editor.connection.alias)
    units.filter(kind="office").update(keeps_payroll=False)
    units.exclude(kind="office").update(keeps_payroll=True)


class Migration(migrations.Migration):
    dependencies = [("personnel", "0007_payroll_unit_placements_periods")]

    operations = [migrations.RunPython(offices_share_payroll, migrations.RunPython.noop)]
