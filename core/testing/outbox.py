"""What the outbox delivered. A stored row holds placeholders where its secrets go (a sign-off
link is a credential), so tests read links from the delivered message, as its recipient would."""

from __future__ import annotations

from django.core import mail
from django.core.mail import EmailMessage

from core.models import OutgoingEmail
from core.tasks import send_email


def delivered(email: OutgoingEmail) -> EmailMessage:
    """The message delivered for this outbox row, from `django.core.mail.outbox`.

    A row not sent yet is delivered first, as the worker would: most tests run inside one
    transaction that never commits, so the `on_commit` send never happens there."""
    email.refresh_from_db()
    if email.sent_at is None:
        send_email(email.pk)
        email.refresh_from_db()
    found = [m for m in mail.outbox if m.extra_headers.get("Message-ID") == email.message_id]
    assert found, f"the e-mail {email.subject!r} is not in django.core.mail.outbox"
    return found[-1]
