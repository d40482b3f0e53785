"""A real Celery worker on Redis delivers an e-mail to a real SMTP server (aiosmtpd).

Everything else in the suite runs tasks eagerly; this test proves the production path: the
outbox row is committed, `on_commit` enqueues `send_email` on Redis, a worker (in a thread of
this process) picks it up and Django's SMTP backend delivers it. It needs REDIS_URL and a
PostgreSQL DATABASE_URL: the worker thread opens its own database connection, which cannot see
SQLite's in-memory test database.
"""

from __future__ import annotations

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.db import connection, transaction

from channels.tests.factories import ChannelFactory
from conftest import need
from core.mail import queue_email
from core.models import OutgoingEmail
from umusocial.celery import app as celery_app

# transaction=True: on_commit must really fire, and the worker thread must see the committed row.
pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 20


def _redis_answers(url: str) -> bool:
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    # The test settings deliver to locmem; this test wants the real SMTP backend.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def redis_worker(settings):
    need("Redis", _redis_answers(settings.REDIS_URL), "set REDIS_URL=redis://127.0.0.1:6379/15")
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
