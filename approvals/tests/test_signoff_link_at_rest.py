"""The sign-off link is a credential: after delivery the outbox keeps no usable copy of it.

The stored row holds a placeholder where the link went; the link waits in `secrets` only until
`core.tasks.send_email` has delivered it (issue 7, "the sign-off link is kept in clear").
"""

from __future__ import annotations

import re
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from approvals.signoff.services import channel_submit
from approvals.testing.links import link_url
from core.models import OutgoingEmail
from core.tasks import send_email

pytestmark = pytest.mark.django_db

ANY_URL = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def request_email(draft, owner) -> OutgoingEmail:
    channel_submit(channel=draft, submitted_by=owner)
    return OutgoingEmail.objects.get(template="signoff-request")


def stored_text(email: OutgoingEmail) -> str:
    """Everything the row keeps, as one string."""
    email.refresh_from_db()
    fields = [f.attname for f in OutgoingEmail._meta.concrete_fields]
    return " ".join(str(getattr(email, name)) for name in fields)


def token_of(value: str) -> str:
    return value.split(":")[0].partition(".")[2]


def test_before_delivery_the_bodies_hold_a_placeholder_not_the_link(request_email):
    assert "/approvals/signoff/" not in request_email.body_text
    assert "/approvals/signoff/" not in request_email.body_html
    assert request_email.withholds_secrets
    assert "/approvals/signoff/" in request_email.secrets["link"]  # until delivery


def test_after_delivery_the_row_holds_no_token_and_no_working_link(client, request_email):
    link = link_url(request_email)  # delivers the row, as the worker would
    value = link.rstrip("/").rsplit("/", 1)[1]

    stored = stored_text(request_email)
    assert request_email.sent_at is not None
    assert request_email.secrets == {}
    assert token_of(value) not in stored
    assert value not in stored
    # Whatever the stored text names as a link, it does not open the application.
    for url in ANY_URL.findall(request_email.body_text + request_email.body_html):
        path = url.split("://", 1)[1].partition("/")[2]
        assert client.get(f"/{path}").status_code in (302, 404, 410), url
    placeholder = re.search(r"\[link: [^\]]+\]", request_email.body_text).group(0)
    response = client.get(reverse("approvals:signoff", args=[placeholder]))
    assert response.status_code == 404


def test_the_delivered_email_has_the_working_link(client, request_email):
    link = link_url(request_email)
    [sent] = [m for m in mail.outbox if m.to == request_email.to]
    assert link in sent.body
    assert link in sent.alternatives[0].content
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert request_email.subject  # the row is still there, readable, without the link


@pytest.mark.parametrize("delivered", [False, True], ids=["before delivery", "after delivery"])
def test_the_admin_never_shows_the_link(client, admin_user, request_email, delivered):
    value = request_email.secrets["link"].rstrip("/").rsplit("/", 1)[1]
    if delivered:
        send_email(request_email.pk)
    client.force_login(admin_user)

    pages = [
        client.get(reverse("admin:core_outgoingemail_changelist")),
        client.get(reverse("admin:core_outgoingemail_change", args=[request_email.pk])),
    ]

    for response in pages:
        assert response.status_code == 200
        page = response.content.decode()
        assert "/approvals/signoff/" not in page
        assert token_of(value) not in page
    assert "sent by e-mail, not stored" in pages[1].content.decode()
    # Searching for the token finds nothing: it is not in any searchable field.
    search = client.get(reverse("admin:core_outgoingemail_changelist"), {"q": token_of(value)})
    assert "0 results" in search.content.decode()


def test_a_retry_after_a_failed_smtp_attempt_still_delivers_the_link(
    client, request_email, monkeypatch
):
    real_send = EmailMultiAlternatives.send

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_email(request_email.pk)
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)

    send_email(request_email.pk)  # the retry

    [sent] = mail.outbox
    link = re.search(r"http://testserver(/approvals/signoff/\S+/)", sent.body).group(1)
    assert client.get(link).status_code == 200
    request_email.refresh_from_db()
    assert (request_email.attempts, request_email.secrets) == (2, {})
