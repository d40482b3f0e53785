"""Shared fixtures: personas, eager Celery, and the rule for tests that need a service.

Personas (healthchecks style): an owner, a deputy, a colleague who must see nothing, a Komm
reviewer and an admin.
"""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from channels.tests.factories import ChannelFactory, UserFactory
from umusocial.celery import app as celery_app

IN_CI = os.environ.get("CI", "").lower() == "true"


def need(service: str, available: bool, how: str) -> None:
    """Skip a test whose service is missing on a laptop; fail it in CI, where it must be there."""
    if available:
        return
    message = f"{service} is not available: {how}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true, so this is an error, not a skip)")
    pytest.skip(message)


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
    ):
        yield


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
def draft(owner, deputy):
    """A complete draft of the owner's, with the deputy named."""
    from channels.services import channel_sync_permissions

    channel = ChannelFactory(created_by=owner, deputies=[deputy])
    channel_sync_permissions(channel=channel)
    return channel
