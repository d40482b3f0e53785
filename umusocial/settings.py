"""Settings for umusocial: one module, configured through environment variables.

Every variable is listed in `.env.example` and documented in the README. Values that cannot be
read stop the start with ImproperlyConfigured rather than being silently ignored.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import djangosaml2
import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.envvars import env_bool, env_int, env_list, env_str
from core.saml_config import ATTRIBUTE_MAPPING, sp_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("UMUSOCIAL_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-only-used-when-DEBUG-is-on")
else:
    SECRET_KEY = env_str("SECRET_KEY")  # no default in production: refuse to start without it
    # Django's own measure of a strong key (check --deploy, security.W009).
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be at least 50 characters long, of at least 5 different characters."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])
# Reverse proxies in front of the portal that set X-Forwarded-For and X-Forwarded-Proto
# (0: none, the portal is reached directly). See core/clientip.py.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its widget templates, found by FORM_RENDERER below beside the project's own overrides.
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "guardian",
    "bootstrap",
    # djangosaml2 is deliberately not an installed app (its templates are in TEMPLATES' DIRS).
    "axes",
    "csp",
    # The portal's own apps, from the base up (docs/architecture.md): core <- channels <- approvals
    # <- umusocial (the project: settings, URLs and the portal-wide pages).
    "core",
    "channels",
    "approvals",
    "umusocial",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The SAML request's state (the outstanding request ids) in its own cookie (djangosaml2).
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "umusocial.middleware.PrivilegedSessionTimeout",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the "try again at" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "umusocial.urls"
WSGI_APPLICATION = "umusocial.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # djangosaml2's templates (the POST-binding form, its error pages) without its app: the
        # app adds only a template tag library that none of them loads, and every process that
        # renders a template imports every installed app's tag libraries; that one loads
        # pysaml2's XML schemas (28 MB) into the workers and the reminder sweep.
        "DIRS": [BASE_DIR / "templates", Path(djangosaml2.__file__).parent / "templates"],
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
# Persistent connections: a request reuses its worker's connection for up to this many seconds
# instead of opening one (a few ms on PostgreSQL) each time; checked before reuse, so a restarted
# database costs one failed check, not an error page. 0 closes after every request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
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
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    # The university's sign-in (SAML); answers only djangosaml2's ACS view.
    "core.saml.UniversityBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# The home page sends each person to their own start (Komm: the queue; others: My channels).
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes, docs/security.md). Failures are counted per account and,
# separately, per client address; either reaching the limit locks it for the cool-off, and every
# further failure during the lockout starts the cool-off again. Komm and admins unlock in the
# admin ("Access attempts"). Each failure is logged (logger "axes") and kept in that table.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
# Requests a minute each client address may make to the open API (channels.public.api; 429).
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 60, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "umusocial.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
# Lockouts and failures are logged; the start-up banner on stdout of every command is not.
AXES_VERBOSE = False
# Successful sign-ins (AccessLog) are kept this many days, then pruned by the beat job below.
LOGIN_RECORD_DAYS = env_int("LOGIN_RECORD_DAYS", 90, minimum=1)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# One clear date format per language, ISO 8601 in both (umusocial/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["umusocial.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded evidence (the moderation log's screenshots and PDFs): outside the web root, served
# only by a view that checks who asks.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
MODERATION_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Content-Security-Policy (django-csp 4, docs/security.md): scripts, styles, fonts and images only
# from the portal's own files; no inline <script>, <style> or style="" (static/css holds every
# style), so an injected script cannot run. Bootstrap's CSS draws its icons from data: images.
# Forms post only to the portal; no page may be framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Form widgets render through the project's templates, so templates/django/forms/ can override
# one of Django's (the select's empty choice: "Choose …" rather than "---------").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# HTTPS (docs/security.md). Production's SITE_URL is https://: cookies travel only over TLS, plain
# http is redirected (except /healthz, which monitoring may ask from inside), and browsers are
# told by HSTS to use https only, for a year. The header alone preloads nothing: only the owner
# of umu.se can put the domain on the browsers' preload list. Behind the TLS-terminating proxy,
# its X-Forwarded-Proto says whether the client used https.
HTTPS = SITE_URL.startswith("https://") and not DEBUG
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS

# Sessions (docs/security.md): staff stay signed in SESSION_DAYS from their sign-in; Komm and
# admins are signed out after PRIVILEGED_SESSION_IDLE_HOURS without a request
# (umusocial.middleware.PrivilegedSessionTimeout).
SESSION_COOKIE_AGE = env_int("SESSION_DAYS", 14, minimum=1) * 24 * 3600
PRIVILEGED_SESSION_IDLE_SECONDS = env_int("PRIVILEGED_SESSION_IDLE_HOURS", 8, minimum=1) * 3600

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
# Public reports of suspected fake accounts: at most this many per client address per window.
REPORT_RATE_LIMIT = env_int("REPORT_RATE_LIMIT", 5, minimum=1)
REPORT_RATE_WINDOW_SECONDS = env_int("REPORT_RATE_WINDOW_SECONDS", 3600, minimum=1)
# Personal data kept no longer than needed (docs/security.md; nightly beat jobs): a contact a
# reporter gave, once the report is handled; e-mails sent and the records of reminders sent.
REPORT_CONTACT_DAYS = env_int("REPORT_CONTACT_DAYS", 30, minimum=1)
EMAIL_RECORD_DAYS = env_int("EMAIL_RECORD_DAYS", 365, minimum=30)
# Reminders (approvals/reminders.py; run daily by beat, or by `manage.py send_reminders`).
SIGNOFF_REMINDER_DAYS = env_int("SIGNOFF_REMINDER_DAYS", 3, minimum=1)
EVALUATION_UPCOMING_DAYS = env_int("EVALUATION_UPCOMING_DAYS", 30, minimum=1)
EVALUATION_OVERDUE_DAYS = env_int("EVALUATION_OVERDUE_DAYS", 14, minimum=1)
HANDOVER_REMINDER_DAYS = env_int("HANDOVER_REMINDER_DAYS", 7, minimum=1)
# Days after opening before a channel's people are reminded to record where its policy is published.
POLICY_REMINDER_DAYS = env_int("POLICY_REMINDER_DAYS", 14, minimum=1)
# How long the counts of channels by state and platform (channels.counts: Komm's overview,
# register and queue) and the public register's version (its ETag, the public lists' totals) are
# cached; any change of a channel forgets them at once in the process that made it.
REGISTRY_COUNTS_SECONDS = env_int("REGISTRY_COUNTS_SECONDS", 60, minimum=0)
KOMM_GROUP_NAME = "Komm"

# Sign-in with the university's identity provider (SAML 2.0, djangosaml2). Off unless the IdP's
# metadata is named; then the SP's key and certificate are required. The SP's metadata is served
# at /saml2/metadata/.
SAML_IDP_METADATA = env_str("SAML_IDP_METADATA", "")
SAML_ENABLED = bool(SAML_IDP_METADATA)
SAML_STAFF_AFFILIATIONS = [
    a.lower() for a in env_list("SAML_STAFF_AFFILIATIONS", ["employee", "staff"])
]
SAML_DJANGO_USER_MAIN_ATTRIBUTE = "eppn"
SAML_ATTRIBUTE_MAPPING = ATTRIBUTE_MAPPING
SAML_CREATE_UNKNOWN_USER = True
SAML_ACS_FAILURE_RESPONSE_FUNCTION = "umusocial.signin.saml_refused"
SAML_SESSION_COOKIE_NAME = "saml_session"
SAML_CONFIG: dict = {}
if SAML_ENABLED:
    SAML_CONFIG = sp_config(
        entity_id=env_str("SAML_ENTITY_ID", f"{SITE_URL}/saml2/metadata/"),
        site_url=SITE_URL,
        idp_metadata=SAML_IDP_METADATA,
        key_file=env_str("SAML_KEY_FILE"),
        cert_file=env_str("SAML_CERT_FILE"),
        attribute_map_dir=env_str("SAML_ATTRIBUTE_MAP_DIR", ""),
    )
# The username and password form. Default: on in development and wherever SAML is off (so an
# administrator can always log in); off in production once the university's sign-in is on.
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", DEBUG or not SAML_ENABLED)

# The cache: the registry's counts and public version (channels.counts), the unit list, the
# API's and public reports' rate limits. Unset: each process keeps its own in memory (one
# process is exact; several may show counts up to REGISTRY_COUNTS_SECONDS apart and each counts
# rate limits on its own). A Redis URL shares it between every web process. Give it a Redis
# database of its own (not REDIS_URL's): clearing the cache empties that database.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must be a Redis URL (redis://host:port/db).")
    CACHES = {"default": {**environ.Env.cache_url_config(CACHE_URL), "KEY_PREFIX": "umusocial"}}

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
    # The record of successful sign-ins is kept LOGIN_RECORD_DAYS (docs/security.md).
    "prune-sign-in-records": {
        "task": "umusocial.tasks.prune_sign_in_records",
        "schedule": crontab(hour=3, minute=15),
    },
    # E-mails sent and reminders' records after EMAIL_RECORD_DAYS, reporters' contacts
    # REPORT_CONTACT_DAYS after their report was handled (docs/security.md).
    "prune-sent-emails": {
        "task": "umusocial.tasks.prune_sent_emails",
        "schedule": crontab(hour=3, minute=30),
    },
    "forget-report-contacts": {
        "task": "umusocial.tasks.forget_report_contacts",
        "schedule": crontab(hour=3, minute=45),
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
