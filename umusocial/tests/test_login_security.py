"""Signing in: lockout after repeated failures (django-axes), the session id rotating at sign-in,
logout by POST only, and short idle sessions for Komm and admins."""

from __future__ import annotations

import datetime
import logging

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.clientip import client_ip
from umusocial.tasks import prune_sign_in_records

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def fail(client, username: str = "anna", ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=ip)


def sign_in(client, username: str = "anna", ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": "pw-for-tests"}, REMOTE_ADDR=ip)


# --- Lockout -----------------------------------------------------------------------------------


def test_a_wrong_password_below_the_limit_just_shows_the_form_again(client, owner):
    response = fail(client)

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_the_account_is_locked_after_the_limit_even_with_the_right_password(client, owner):
    for address in range(settings.AXES_FAILURE_LIMIT):
        fail(client, ip=f"10.0.0.{address}")  # a different address each time: the account counts

    response = sign_in(client, ip="10.9.9.9")

    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    page = response.content.decode()
    assert "<h1" in page and "Too many failed attempts" in page
    try_again = timezone.localtime() + settings.AXES_COOLOFF_TIME
    assert f"minutes, at {try_again:%H:%M}" in page or f"at {try_again:%H:%M}" in page
    assert 'lang="en"' in page  # the site's frame (base.html), in the reader's language


def test_an_address_is_locked_after_the_limit_whatever_accounts_it_tries(client, owner):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, username=f"guess{n}", ip="10.0.0.66")

    assert sign_in(client, ip="10.0.0.66").status_code == 429
    # Anna, from her own address, is not affected by someone guessing other names.
    assert sign_in(client, ip="10.0.0.1").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, owner):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client)
    assert sign_in(client).status_code == 429

    later = timezone.now() + settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        response = sign_in(client)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(owner.pk)


def test_the_lockout_page_is_in_swedish_for_swedish_readers(client, owner):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client)

    response = client.post(
        LOGIN,
        {"username": "anna", "password": "pw-for-tests"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_ACCEPT_LANGUAGE="sv",
    )

    assert response.status_code == 429
    assert "För många misslyckade försök" in response.content.decode()


def test_komm_lifts_a_lockout_in_the_admin(client, owner, komm):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client)
    attempt = AccessAttempt.objects.get(username="anna")
    komm.is_staff = True
    komm.save(update_fields=["is_staff"])
    admin = client_class_for(komm)

    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})

    assert not AccessAttempt.objects.exists()
    assert sign_in(client).status_code == 302


def client_class_for(user):
    from django.test import Client

    other = Client()
    other.force_login(user)
    return other


def test_failures_are_logged_and_recorded_with_account_and_address(client, owner, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            fail(client)

    messages = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert sum("login failure by" in m for m in messages) == settings.AXES_FAILURE_LIMIT
    assert any("Locking out" in m for m in messages)
    # The log masks the name typed (it may be a password typed in the wrong field); the record
    # Komm reads in the admin has it, with the address.
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("anna", "10.0.0.1")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    assert "wrong" not in attempt.post_data


# --- The client's address behind the reverse proxy ---------------------------------------------


def test_without_a_proxy_the_address_is_the_connections(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert client_ip(request) == "10.0.0.5"


def test_behind_one_proxy_the_address_is_the_one_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the proxy appended the address it really saw.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 130.239.1.2"
    )

    assert client_ip(request) == "130.239.1.2"


def test_a_request_that_skipped_the_proxy_counts_by_its_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert client_ip(request) == "10.0.0.5"


# --- Sessions ----------------------------------------------------------------------------------


def test_the_session_id_changes_at_sign_in(client, owner):
    """No session fixation: an id planted before sign-in is worthless after it."""
    planted = client.session  # the test client creates and stores a session, like a visit would
    planted["visited"] = True
    planted.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    assert sign_in(client).status_code == 302

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.session[SESSION_KEY] == str(owner.pk)


def test_logout_by_get_does_nothing(client, owner):
    """A link or an image in a mail cannot sign anyone out: logout is a POST."""
    client.force_login(owner)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(owner.pk)


def test_the_headers_log_out_button_posts(client, owner):
    client.force_login(owner)
    page = client.get(reverse("channels:my_channels")).content.decode()

    assert f'<form action="{reverse("logout")}" method="post"' in page
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_there_is_no_password_change_and_the_reset_is_for_local_accounts_only(client):
    """Staff use the university's sign-in; a local account (an administrator, the demo) may
    reset its password by e-mail, sent directly and never stored (umusocial/signin.py)."""
    assert client.get("/accounts/password_change/").status_code == 404
    assert client.get(reverse("password_reset")).status_code == 200


def _signed_in_after(client, delay: datetime.timedelta, start: datetime.datetime) -> bool:
    with time_machine.travel(start + delay, tick=False):
        response = client.get(reverse("channels:my_channels"))
    return response.status_code == 200


@pytest.mark.parametrize("persona", ["komm", "admin_user"])
def test_komm_and_admin_are_signed_out_after_a_working_day_idle(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    start = timezone.now()
    hours = datetime.timedelta(hours=1)
    idle = datetime.timedelta(seconds=settings.PRIVILEGED_SESSION_IDLE_SECONDS)

    assert _signed_in_after(client, 0 * hours, start)
    # Working all day: every request restarts the clock, so ten hours in they are still in.
    assert _signed_in_after(client, 5 * hours, start)
    assert _signed_in_after(client, 10 * hours, start)
    # Then a working day without a request.
    assert not _signed_in_after(client, 10 * hours + idle + hours, start)


def test_other_staff_stay_signed_in_overnight(client, owner):
    client.force_login(owner)
    start = timezone.now()

    assert _signed_in_after(client, datetime.timedelta(hours=16), start)
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert not _signed_in_after(client, age + datetime.timedelta(hours=1), start)


def test_sign_in_records_are_kept_only_the_configured_days(client, owner):
    sign_in(client)
    old = AccessLog.objects.get()
    old.attempt_time = timezone.now() - datetime.timedelta(days=settings.LOGIN_RECORD_DAYS + 1)
    old.save(update_fields=["attempt_time"])
    client.logout()  # the login page sends a signed-in user on without signing in again
    sign_in(client)

    assert prune_sign_in_records() == 1
    assert AccessLog.objects.count() == 1
