"""PostgreSQL extensions the app relies on: unaccent (accent-insensitive search) and pg_trgm
(trigram indexes for substring search)."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [UnaccentExtension(), TrigramExtension()]
