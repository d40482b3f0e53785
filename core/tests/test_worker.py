"""A real Celery worker on Redis delivers an e-mail to a real SMTP server (aiosmtpd).

Everything else in the suite runs tasks eagerly; this test proves the production path: the
outbox row is committed, `on_commit` enqueues `send_email` on Redis, a worker (in a thread of
this process) picks it up and Django's SMTP backend delivers it. It needs REDIS_URL and a
PostgreSQL DATABASE_URL: the worker thread opens its own database connection, which cannot see
SQLite's in-memory test database.
"""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from channels.testing.factories import ChannelFactory
from core.mail import queue_email
from core.models import OutgoingEmail
from core.testing.worker import WAIT_SECONDS

# transaction=True: on_commit must really fire, and the worker thread must see the committed row.
pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_sends_a_queued_email_over_smtp(settings, smtp_server, redis_worker):
    channel = ChannelFactory(name="Fysik för alla")
    with transaction.atomic():
        email = queue_email(
            template="komm-new-in-queue",
            to=[settings.KOMM_EMAIL],
            context={"channel": channel, "link": "http://testserver/approvals/komm/1/"},
        )
    # Committed: on_commit has put the task on Redis. Wait (bounded) for the worker.
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.sent_at and smtp_server.envelopes:
            break
        time.sleep(0.2)

    assert email.sent_at is not None, f"not sent within {WAIT_SECONDS} s: {email.last_error}"
    assert email.attempts == 1
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == [settings.KOMM_EMAIL]
    message = envelope.content.decode()
    assert "Fysik" in message
    assert "http://testserver/approvals/komm/1/" in message
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 0
