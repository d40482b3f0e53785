"""Shared fixtures: personas, eager Celery, a real browser, a real SMTP server and worker.

Personas (healthchecks style): an owner, a deputy, a colleague who must see nothing, a Komm
reviewer, an admin, and a newcomer to hand a channel over to.

Fixtures live here; plain helpers and factories live in each app's `testing` package
(`core.testing`, `channels.testing`, `approvals.testing`, `umusocial.testing`), so that no test
module imports another test module, or this file.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from channels.testing.factories import ChannelFactory
from core.testing.environment import need
from core.testing.factories import UserFactory
from umusocial.celery import app as celery_app


@pytest.fixture(autouse=True, scope="session")
def _test_settings():
    # Plain static storage (no collectstatic manifest) and a fast hasher, for tests only.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        # Serve static files from the apps' folders, as in development (no collectstatic).
        WHITENOISE_AUTOREFRESH=True,
        WHITENOISE_USE_FINDERS=True,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SITE_URL="http://testserver",
        # Uploaded evidence goes to a throwaway folder, not var/.
        PRIVATE_MEDIA_ROOT=tempfile.mkdtemp(prefix="umusocial-private-"),
    ):
        yield


@pytest.fixture(autouse=True)
def _english(settings):
    """Tests assert page and e-mail text in English, the msgids. Swedish is the site's default
    language; tests of Swedish ask for it explicitly (translation.override, Accept-Language,
    a browser context in sv-SE), and the translations test checks the catalogue is complete."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits count in the cache (public reports): each test starts with none counted."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in the test's own process unless the test asks for a real worker."""
    if request.node.get_closest_marker("real_worker"):
        yield
        return
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def owner(db):
    return UserFactory(username="anna", first_name="Anna", last_name="Ägare", email="anna@umu.se")


@pytest.fixture
def deputy(db):
    return UserFactory(
        username="david", first_name="David", last_name="Deputy", email="david@umu.se"
    )


@pytest.fixture
def colleague(db):
    return UserFactory(
        username="cecilia", first_name="Cecilia", last_name="Kollega", email="cecilia@umu.se"
    )


@pytest.fixture
def komm(db):
    user = UserFactory(username="karin", first_name="Karin", last_name="Komm", email="karin@umu.se")
    user.groups.add(Group.objects.get(name="Komm"))
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", email="admin@umu.se", is_staff=True, is_superuser=True)


@pytest.fixture
def newcomer(db):
    """Someone with no part in any channel yet, to hand one over to."""
    return UserFactory(username="nils", first_name="Nils", last_name="Nyman", email="nils@umu.se")


@pytest.fixture
def draft(owner, deputy):
    """A complete draft of the owner's, with the deputy named."""
    from channels.services import channel_sync_permissions

    channel = ChannelFactory(created_by=owner, deputies=[deputy])
    channel_sync_permissions(channel=channel)
    return channel


@pytest.fixture
def active(draft, owner, komm):
    """The draft along its real path (approvals.testing.lifecycle): approved by the head of
    department and Komm, then opened by the owner."""
    from approvals.testing.lifecycle import activate

    return activate(draft, owner=owner, komm=komm)


# --- Browser tests (Playwright's sync API with Debian's Chromium) ------------------------------
#
# pytest-playwright is not used: its fixtures cannot point at /usr/bin/chromium without
# overrides, and `playwright install` downloads browsers we must not fetch. Playwright's sync
# API runs an event loop in the main thread, so Django's ORM would refuse to run in a test body
# without this (the tests are synchronous; nothing actually runs concurrently).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (skips on a laptop without it, fails in CI)."""
    need("Chromium", os.path.exists(CHROMIUM), "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context per test (no cookies carried over), in Swedish like our users.
    Fails the test if the browser refused anything under the Content-Security-Policy."""
    from umusocial.testing.browser import watch_csp

    context = browser.new_context(locale="sv-SE")
    context.set_default_timeout(10_000)
    refused = watch_csp(context)
    tab = context.new_page()
    yield tab
    context.close()
    assert refused == [], "the Content-Security-Policy blocked:\n" + "\n".join(refused)


LOCALES = {"sv": "sv-SE", "en": "en-GB"}


@pytest.fixture(params=["sv", "en"])
def lang(request):
    """Each browser test that asks for it runs once in Swedish and once in English."""
    return request.param


@pytest.fixture
def tab(lang, browser, page):
    """A tab in `lang`: the Swedish `page`, or a second context in English. Fails the test if the
    browser refused anything under the Content-Security-Policy."""
    if lang == "sv":
        yield page
        return
    from umusocial.testing.browser import watch_csp

    context = browser.new_context(locale=LOCALES[lang])
    context.set_default_timeout(10_000)
    refused = watch_csp(context)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert refused == [], "the Content-Security-Policy blocked:\n" + "\n".join(refused)


# --- Transactional tests (live_server, a real worker) -------------------------------------------
#
# A transactional test ends with a flush of every table, which also removes what the data
# migration made (the platforms, the group "Komm"). Django's serialized_rollback cannot bring it
# back here: once Playwright's sync API runs, Django keeps its database connections in another
# (async-context) storage that lacks the serialized data. So every transactional test starts by
# loading that migration's data again; it is idempotent (update_or_create / get_or_create).
_DATA_MIGRATION = ("channels", "0003_platforms_and_komm_group")
_data_migration_apps = None


def _load_migration_data() -> None:
    global _data_migration_apps
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    if _data_migration_apps is None:
        state = MigrationLoader(connection).project_state(_DATA_MIGRATION)
        _data_migration_apps = state.apps
    module = importlib.import_module(
        ".".join((_DATA_MIGRATION[0], "migrations", _DATA_MIGRATION[1]))
    )
    module.load(_data_migration_apps, None)


def _is_transactional(request) -> bool:
    if {"live_server", "transactional_db"} & set(request.fixturenames):
        return True
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction", marker.args[:1] == (True,)))


@pytest.fixture(autouse=True)
def _migration_data_in_transactional_tests(request):
    if _is_transactional(request):
        request.getfixturevalue("transactional_db")
        from channels.models import Platform

        if not Platform.objects.exists():
            _load_migration_data()
    yield


# --- A real SMTP server and a real Celery worker on Redis -------------------------------------


@pytest.fixture
def smtp_server(settings):
    """An SMTP server (aiosmtpd) on a free port, with Django's real SMTP backend pointed at it;
    yields the handler, whose `envelopes` are the messages it received."""
    from aiosmtpd.controller import Controller

    from core.testing.smtp import Inbox, free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    # The test runner swaps in the locmem backend; these tests want Django's real SMTP backend.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield inbox
    controller.stop()


@pytest.fixture
def redis_worker(settings):
    """A Celery worker on Redis in a thread of this process (needs REDIS_URL, and PostgreSQL:
    the worker's own connection cannot see SQLite's in-memory test database)."""
    from celery.contrib.testing.worker import start_worker
    from django.db import connection

    from core.testing.worker import redis_answers

    need("Redis", redis_answers(settings.REDIS_URL), "set REDIS_URL=redis://127.0.0.1:6379/15")
    need(
        "PostgreSQL",
        connection.vendor == "postgresql",
        "set DATABASE_URL=postgres://... (the worker thread needs a shared database)",
    )
    conf = celery_app.conf
    previous = (conf.broker_url, conf.broker_transport_options, conf.task_always_eager)
    conf.broker_url = settings.REDIS_URL
    conf.broker_transport_options = {}
    conf.task_always_eager = False
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False) as worker:
            yield worker
    finally:
        conf.broker_url, conf.broker_transport_options, conf.task_always_eager = previous
