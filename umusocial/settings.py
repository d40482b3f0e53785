"""Settings for umusocial: one module, configured through environment variables.

Every variable is listed in `.env.example` and documented in the README. Values that cannot be
read stop the start with ImproperlyConfigured rather than being silently ignored.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.envvars import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("UMUSOCIAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-only-used-when-DEBUG-is-on")
else:
    SECRET_KEY = env_str("SECRET_KEY")  # no default in production: refuse to start without it
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "guardian",
    "bootstrap",
    # The portal's own apps, from the base up (docs/architecture.md): core <- channels <- approvals
    # <- umusocial (the project: settings, URLs and the portal-wide pages).
    "core",
    "channels",
    "approvals",
    "umusocial",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "umusocial.urls"
WSGI_APPLICATION = "umusocial.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "umusocial.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": environ.Env.db_url_config(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default (`make run`) serves several requests and the worker at once. WAL lets
    # readers go on while one writes; a request opens its transaction IMMEDIATE (takes the write
    # lock at BEGIN, so it never deadlocks upgrading a read to a write, which SQLite refuses at
    # once with "database is locked"); and a writer waits up to 20 s for another instead of
    # failing with HTTP 500. umusocial/tests/test_concurrency.py holds it to that.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
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
LOGIN_REDIRECT_URL = "channels:my_channels"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_SECURE = not DEBUG and SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# E-mail. Django's own variable names, honoured as they are named.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "umusocial <no-reply@umu.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)

# The portal's own settings.
KOMM_EMAIL = env_str("KOMM_EMAIL", "komm@umu.se")
STAFF_EMAIL_DOMAINS = [d.lower() for d in env_list("STAFF_EMAIL_DOMAINS", ["umu.se"])]
if not STAFF_EMAIL_DOMAINS:
    raise ImproperlyConfigured("STAFF_EMAIL_DOMAINS must name at least one domain.")
SIGNOFF_LINK_DAYS = env_int("SIGNOFF_LINK_DAYS", 14, minimum=1)
# Reminders (approvals/reminders.py; run daily by beat, or by `manage.py send_reminders`).
SIGNOFF_REMINDER_DAYS = env_int("SIGNOFF_REMINDER_DAYS", 3, minimum=1)
EVALUATION_UPCOMING_DAYS = env_int("EVALUATION_UPCOMING_DAYS", 30, minimum=1)
EVALUATION_OVERDUE_DAYS = env_int("EVALUATION_OVERDUE_DAYS", 14, minimum=1)
HANDOVER_REMINDER_DAYS = env_int("HANDOVER_REMINDER_DAYS", 7, minimum=1)
KOMM_GROUP_NAME = "Komm"

# Celery. With REDIS_URL unset, kombu's filesystem transport is an embedded broker that works
# across processes (web, worker, beat) without any server.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # The outbox sweep picks up any e-mail whose task was lost (broker down at commit time,
    # worker killed mid-send): together with on_commit enqueueing, no e-mail is lost.
    "resend-unsent-emails": {
        "task": "core.tasks.send_unsent_emails",
        "schedule": crontab(minute="*/5"),
    },
    # Reminders: each job sends what is due once (approvals/reminders.py). Times are in
    # CELERY_TIMEZONE (Europe/Stockholm). The digest's key is the ISO week: sent once a week.
    "send-reminders": {
        "task": "approvals.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "send-komm-digest": {
        "task": "approvals.tasks.send_komm_digest",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
