"""The login page and the password reset of local accounts (umusocial.signin); the SAML round
trip itself is tested in core/tests/test_saml.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail

from core.people import person_for_email

pytestmark = pytest.mark.django_db


def test_the_login_page_links_to_the_password_reset(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in page
    assert "Log in with your university account" not in page  # SAML is not configured


def test_a_local_account_resets_its_password_by_email(client, owner):
    response = client.post("/accounts/password_reset/", {"email": "ANNA@umu.se"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@umu.se"]
    assert "Reset your password for umusocial" in message.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("a-new-long-passphrase")
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_a_pending_person_gets_no_reset_link(client):
    person_for_email(email="ny.person@umu.se")
    client.post("/accounts/password_reset/", {"email": "ny.person@umu.se"})
    assert mail.outbox == []


def test_the_reset_page_is_in_swedish(client):
    page = client.get("/accounts/password_reset/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Återställ ditt lösenord" in page


def test_with_local_login_off_the_password_form_is_gone(client, settings, owner):
    settings.LOCAL_LOGIN = False
    page = client.get("/accounts/login/").content.decode()
    assert 'type="password"' not in page
    response = client.post("/accounts/login/", {"username": "anna", "password": "pw-for-tests"})
    assert response.status_code == 405
    assert SESSION_KEY not in client.session
    assert client.get("/accounts/password_reset/").status_code == 404


def test_a_process_that_signs_no_one_in_does_not_load_pysaml2():
    """pysaml2's XML schemas cost every process about 28 MB (a Celery worker, the reminder
    sweep): neither the URLconf nor the template engine may import them, only the first SAML
    request does."""
    probe = (
        "import sys, django; django.setup(); from django.urls import reverse; "
        "reverse('saml2_acs'); reverse('channels:detail', args=[1]); "
        "from django.template.loader import get_template; "
        "get_template('emails/reminder-evaluation-due-body.html'); "
        "print(sorted(m for m in ('saml2.client', 'saml2.response', 'xmlschema') "
        "if m in sys.modules))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "umusocial.settings", "DEBUG": "true"}
    result = subprocess.run(  # noqa: S603 (this interpreter, a fixed probe)
        [sys.executable, "-c", probe],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
