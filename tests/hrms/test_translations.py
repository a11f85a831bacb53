"""The Vietnamese catalogue is complete and the compiled file matches it."""

import shutil
import subprocess

import pytest
from django.conf import settings

CATALOGUE = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def msgfmt():
    path = shutil.which("msgfmt")
    if path is None:
        pytest.fail("GNU gettext's msgfmt is needed (apt-get install gettext).", pytrace=False)
    return path


def test_every_message_is_translated(msgfmt):
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_compiled_catalogue_is_up_to_date(msgfmt, tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "-o", str(compiled), str(CATALOGUE)], check=True)
    assert compiled.read_bytes() == CATALOGUE.with_suffix(".mo").read_bytes(), (
        "locale/vi/LC_MESSAGES/django.mo is stale: run `make messages`"
    )
