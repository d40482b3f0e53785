"""A real Celery beat and worker on Redis deliver a reminder to a real SMTP server (aiosmtpd).

Beat runs in a thread of this process with a one-second schedule for `send_reminders`; the worker
(the fixture `redis_worker` in conftest.py, as in core/tests/test_worker.py) runs the job, which
claims the reminder and queues the e-mail; on commit `send_email` goes onto Redis and the worker
delivers it over SMTP. Beat fires several times while we wait: the reminder still arrives once per
recipient.
Needs REDIS_URL and a PostgreSQL DATABASE_URL (the worker thread has its own connection).
"""

from __future__ import annotations

import threading
import time
from email import message_from_bytes, policy

import pytest
from celery.beat import Service
from django.utils import timezone

from channels.models import Channel
from channels.testing.factories import ChannelFactory
from core.models import OutgoingEmail, SentReminder
from core.testing.worker import WAIT_SECONDS
from umusocial.celery import app as celery_app

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def beat(tmp_path, redis_worker):
    """Celery beat in a thread, sending `send_reminders` every second."""
    conf = celery_app.conf
    previous = conf.beat_schedule
    conf.beat_schedule = {
        "reminders-every-second": {"task": "approvals.tasks.send_reminders", "schedule": 1.0},
    }
    service = Service(
        celery_app, max_interval=0.5, schedule_filename=str(tmp_path / "celerybeat-schedule")
    )
    thread = threading.Thread(target=service.start, name="test-beat", daemon=True)
    thread.start()
    try:
        yield service
    finally:
        service.stop(wait=True)
        thread.join(timeout=10)
        conf.beat_schedule = previous


def test_beat_and_a_worker_deliver_a_due_reminder_once(owner, deputy, smtp_server, beat):
    channel = ChannelFactory(
        name="Fysik för alla",
        created_by=owner,
        deputies=[deputy],
        state=Channel.State.ACTIVE,
        address_is_planned=False,
        next_evaluation_on=timezone.localdate(),
    )

    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and len(smtp_server.envelopes) < 2:
        time.sleep(0.2)
    time.sleep(2.5)  # beat fires at least twice more: nothing new may arrive

    recipients = sorted(rcpt for envelope in smtp_server.envelopes for rcpt in envelope.rcpt_tos)
    assert recipients == ["anna@umu.se", "david@umu.se"], f"received: {recipients}"
    message = message_from_bytes(smtp_server.envelopes[0].original_content, policy=policy.default)
    assert "Fysik för alla" in str(message["Subject"])
    assert f"/channels/{channel.pk}/" in message.get_body(("plain",)).get_content()
    assert SentReminder.objects.filter(kind="evaluation-due").count() == 2
    emails = OutgoingEmail.objects.filter(template="reminder-evaluation-due")
    assert emails.count() == 2
    assert all(email.sent_at is not None and email.attempts == 1 for email in emails)
