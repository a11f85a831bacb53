"""Failed exports used to store the raw exception text, which /exports/ showed; replace it with
the message the code now stores (a msgid, translated when shown). Reversing keeps the new text:
the exception text is in the server log, not worth bringing back."""

from django.db import migrations

EXPORT_FAILED = (
    "The export could not be completed because of an unexpected error; the details are in the "
    "server log. Please try again, and tell the administrator if it fails again."
)


def forwards(apps, schema_editor):
    ExportJob = apps.get_model("personnel", "ExportJob")
    ExportJob.objects.filter(status="failed").update(error=EXPORT_FAILED)


class Migration(migrations.Migration):
    dependencies = [
        ("personnel", "0005_export_job_lease"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
