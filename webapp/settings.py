"""Settings of the partnership's web app, all from the environment.

=====================  ====================================================================
``SIA_DATA_DIR``       the sia data directory (default ``./sia-data``): the warehouse the
                       dashboard reads, and the app's SQLite database ``app.sqlite3``
``DATABASE_URL``       a PostgreSQL (or SQLite) URL; when set it replaces the SQLite file
``SIA_CONFIG``         the partnership: a bundled name or a YAML file (default ``kirklees``)
``SIA_ENV``            ``production`` for production mode: no debug pages, secure cookies,
                       HSTS, HTTPS redirect, and a refusal to start with the development
                       secret key (system check ``sia.E001``)
``SIA_SECRET_KEY``     the secret key; required in production mode
``SIA_ALLOWED_HOSTS``  host names the app answers to, separated by commas
                       (default ``localhost,127.0.0.1`` outside production mode)
``SIA_BEHIND_PROXY``   ``true`` when a proxy terminates TLS and sets ``X-Forwarded-Proto``
``SIA_JOBS``           ``thread`` (default): loads and assessments run in a thread of the
                       app; ``command``: ``manage.py run_jobs`` runs them instead
``SIA_UPLOAD_MAX_MB``  the largest partner file an analyst may upload (default 50)
=====================  ====================================================================
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from sia.warehouse import data_dir

#: Used only outside production mode; the ``sia.E001`` check refuses it in production.
DEVELOPMENT_SECRET_KEY = "django-insecure-sia-development-key-never-use-in-production"

WEBAPP_DIR = Path(__file__).resolve().parent
SIA_DATA_DIR = data_dir().resolve()
SIA_CONFIG = os.environ.get("SIA_CONFIG") or None
SIA_ENV = os.environ.get("SIA_ENV", "development").strip().lower()
PRODUCTION = SIA_ENV == "production"


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _hosts() -> list[str]:
    hosts = [h.strip() for h in os.environ.get("SIA_ALLOWED_HOSTS", "").split(",") if h.strip()]
    return hosts or ([] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"])


SECRET_KEY = os.environ.get("SIA_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
DEBUG = not PRODUCTION and _flag("SIA_DEBUG")
ALLOWED_HOSTS = _hosts()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "webapp.govuk",
    "webapp.accounts",
    "webapp.dashboard",
    "webapp.engagement",
    "webapp.profiles",
    "webapp.meetings",
    "webapp.tension",
    "webapp.audit",
    "webapp.priorities",
    "webapp.jobs",
    "webapp.loads",
    "webapp.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "webapp.audit.middleware.AuditUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last, as django-axes asks: it turns a locked-out sign-in into the lockout page
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # first, so that a locked-out person is refused before their password is checked
    "axes.backends.AxesStandaloneBackend",
    # the permissions of webapp/accounts/rules.py
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "webapp.urls"
WSGI_APPLICATION = "webapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEBAPP_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "webapp.accounts.context_processors.navigation",
            ],
        },
    },
]

# -- the app database ------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config(conn_max_age=60, conn_health_checks=True)}
else:
    SIA_DATA_DIR.mkdir(parents=True, exist_ok=True)  # SQLite makes the file, not its folder
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SIA_DATA_DIR / "app.sqlite3",
            # wait for a writer rather than fail at once; WAL lets readers go on meanwhile
            "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- signing in ------------------------------------------------------------------------------
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in rate limit (django-axes): five failed attempts for one user name from one address
# lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
SIA_BEHIND_PROXY = _flag("SIA_BEHIND_PROXY")
AXES_CLIENT_IP_CALLABLE = "webapp.accounts.client_ip.client_ip"

# -- security --------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "webapp.accounts.views.csrf_failure"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False  # preloading is a decision for the domain's owner
if SIA_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# -- language, time --------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# -- static files (built by webapp/build_static.py, served by whitenoise) --------------------
STATIC_URL = "static/"
# production serves what `manage.py collectstatic` gathered (with hashed names); development
# serves webapp/static/ as it is
STATIC_ROOT = SIA_DATA_DIR / "static" if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [WEBAPP_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# -- background jobs, uploads (webapp/jobs, webapp/loads) ------------------------------------
SIA_JOBS = os.environ.get("SIA_JOBS", "thread").strip().lower()
if SIA_JOBS not in ("thread", "command"):
    raise ImproperlyConfigured(f"SIA_JOBS is {SIA_JOBS!r}: give thread or command")
SIA_UPLOAD_MAX_BYTES = int(float(os.environ.get("SIA_UPLOAD_MAX_MB") or 50) * 1024 * 1024)
# An upload stops being kept once it passes the limit (webapp/loads/handlers.py); Django's
# own handlers keep what comes before (in memory up to 2.5 MB, then in a temporary file).
FILE_UPLOAD_HANDLERS = [
    "webapp.loads.handlers.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
