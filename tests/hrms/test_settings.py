"""Production settings are safe, and bad or missing settings fail loudly."""

import json
import os
import secrets
import stat
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "hr.example.gov.vn",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_without_warnings_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_only_postgresql_is_accepted():
    result = manage("check", DATABASE_URL="sqlite:///var/x.sqlite3", **PRODUCTION)
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_debug_mode_uses_embedded_postgresql_unless_told_otherwise():
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    if not os.environ.get("DATABASE_URL"):
        assert database["HOST"].startswith(str(settings.BASE_DIR / "var" / "pgtest"))


def test_session_expires_after_idle_minutes():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_login_is_required_everywhere_by_default():
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE


def settings_under(**env: str) -> dict:
    """The settings a fresh process reads from ``env``."""
    names = [
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "STORAGES",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = manage("shell", "--no-imports", "--command", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_demo_mode_turns_debug_off_but_works_over_plain_http_on_this_machine():
    demo = settings_under(DJANGO_DEMO="1", DJANGO_DEBUG="1")  # the demo wins over debug
    assert demo["DEBUG"] is False  # the real error pages, never the technical ones
    assert demo["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost"]
    assert not demo["SESSION_COOKIE_SECURE"] and not demo["CSRF_COOKIE_SECURE"]
    assert not demo["LANGUAGE_COOKIE_SECURE"]
    assert not demo["SECURE_SSL_REDIRECT"] and demo["SECURE_HSTS_SECONDS"] == 0
    assert "Manifest" in demo["STORAGES"]["staticfiles"]["BACKEND"]  # collected, as production


def test_the_demo_secret_key_is_generated_once_and_kept_private():
    first = settings_under(DJANGO_DEMO="1")["SECRET_KEY"]
    again = settings_under(DJANGO_DEMO="1")["SECRET_KEY"]
    key_file = settings.BASE_DIR / "var" / "demo-secret-key"
    assert first == again == key_file.read_text().strip()
    assert len(first) >= 50 and "insecure" not in first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_production_keeps_every_https_protection():
    production = settings_under(**PRODUCTION)
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["LANGUAGE_COOKIE_SECURE"]
    assert production["SECURE_SSL_REDIRECT"] and production["SECURE_HSTS_SECONDS"] == 31536000


def test_make_serve_refuses_debug_mode():
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    result = subprocess.run(
        ["make", "--no-print-directory", "serve"],
        cwd=settings.BASE_DIR,
        env={**environment, "DJANGO_DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "make serve does not serve in debug mode" in result.stdout + result.stderr
    assert "gunicorn" not in result.stdout  # stopped before starting the server
