"""The database is PostgreSQL with the extensions the migrations enable."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_unaccent_and_trigram_extensions_are_enabled():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
        assert {"unaccent", "pg_trgm"} <= extensions
        cursor.execute("SELECT unaccent('Nguyễn Đức Ánh'), similarity('nguyen', 'nguyen van')")
        folded, similarity = cursor.fetchone()
    assert folded == "Nguyen Duc Anh"
    assert similarity > 0.5
