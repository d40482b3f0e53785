"""core.tasks: delivering the outbox once, retrying on SMTP failure, sweeping lost rows."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from core import tasks
from core.models import SWEEP_ATTEMPTS, OutgoingEmail, new_message_id, secret_placeholder
from core.tasks import send_email, send_unsent_emails
from core.testing.smtp import free_port
from umusocial.celery import app as celery_app


def outbox_row(**fields) -> OutgoingEmail:
    values = {
        "to": ["anna@umu.se"],
        "subject": "Godkänn ny kanal: Forskning / Approve new channel: Research",
        "body_text": "Hej Anna",
        "body_html": '<div lang="sv"><p>Hej Anna</p></div>',
        "template": "signoff-request",
        "language": "sv+en",
    }
    return OutgoingEmail.objects.create(**values | fields)


def test_sends_once_and_marks_the_row_sent(db, settings):
    settings.DEFAULT_FROM_EMAIL = "umusocial <no-reply@umu.se>"
    row = outbox_row()

    send_email(row.pk)

    [sent] = mail.outbox
    assert sent.to == ["anna@umu.se"]
    assert sent.subject == row.subject
    assert sent.body == "Hej Anna"
    assert sent.from_email == "umusocial <no-reply@umu.se>"
    assert sent.alternatives[0].content == row.body_html
    assert sent.alternatives[0].mimetype == "text/html"
    row.refresh_from_db()
    assert row.sent_at is not None
    assert (row.attempts, row.last_error) == (1, "")


def test_a_second_call_does_not_send_again(db):
    row = outbox_row()
    send_email(row.pk)
    sent_at = OutgoingEmail.objects.get(pk=row.pk).sent_at

    send_email(row.pk)

    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.sent_at, row.attempts) == (sent_at, 1)


def test_a_row_without_html_is_sent_as_plain_text(db):
    send_email(outbox_row(body_html="").pk)
    [sent] = mail.outbox
    assert sent.alternatives == []


def test_a_row_without_a_recipient_is_not_marked_sent_and_says_why(db):
    row = outbox_row(to=[])

    send_email(row.pk)

    assert mail.outbox == []
    row.refresh_from_db()
    assert row.sent_at is None
    assert row.last_error == tasks.NO_RECIPIENT


def test_the_sweep_gives_up_on_a_row_after_its_attempts(db, monkeypatch):
    """An address a mail server refuses for good is not tried every five minutes forever."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    trying = outbox_row(attempts=SWEEP_ATTEMPTS - 1, last_error="SMTPRecipientsRefused")
    given_up = outbox_row(attempts=SWEEP_ATTEMPTS, last_error="SMTPRecipientsRefused")
    OutgoingEmail.objects.update(created_at=an_hour_ago)
    enqueued = []
    monkeypatch.setattr(tasks, "enqueue_delivery", enqueued.extend)

    assert send_unsent_emails() == 1

    assert enqueued == [trying.pk]
    assert given_up.pk not in enqueued


def test_the_sweep_leaves_a_row_without_a_recipient_alone(db, monkeypatch):
    row = outbox_row(to=[])
    OutgoingEmail.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=1))
    enqueued = []
    monkeypatch.setattr(tasks, "enqueue_delivery", enqueued.extend)

    assert send_unsent_emails() == 0
    assert enqueued == []


def test_a_missing_row_is_ignored(db):
    send_email(123456)
    assert mail.outbox == []


def test_an_smtp_failure_is_recorded_and_raised_for_retry_then_sent_once(db, monkeypatch):
    row = outbox_row()
    real_send = EmailMultiAlternatives.send

    def disconnect(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", disconnect)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_email(row.pk)

    row.refresh_from_db()
    assert row.sent_at is None
    assert row.attempts == 1
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert mail.outbox == []

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    send_email(row.pk)
    send_email(row.pk)

    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert (row.attempts, row.last_error) == (2, "")


def test_through_celery_a_failed_send_is_retried_and_delivered_once(db, monkeypatch):
    row = outbox_row()
    real_send = EmailMultiAlternatives.send
    calls = []

    def flaky(self, fail_silently=False):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", flaky)
    # Eager Celery re-runs a retried task at once, unless it propagates the Retry to the caller.
    celery_app.conf.task_eager_propagates = False
    try:
        send_email.delay(row.pk)
    finally:
        celery_app.conf.task_eager_propagates = True

    assert len(calls) == 2
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert (row.attempts, row.last_error) == (2, "")


def test_a_redelivery_after_a_crash_before_the_commit_is_the_same_message(db, monkeypatch):
    """A worker that dies between the SMTP server's answer and the commit leaves the row unsent,
    so it is delivered again (at least once): under the Message-ID it was queued with, by which
    mail systems and clients recognise the copy."""
    row = outbox_row(message_id=new_message_id())
    real_save = OutgoingEmail.save

    def crash(self, *args, **kwargs):
        raise SystemExit("the worker died")

    monkeypatch.setattr(OutgoingEmail, "save", crash)
    with pytest.raises(SystemExit):
        send_email(row.pk)
    monkeypatch.setattr(OutgoingEmail, "save", real_save)
    send_email(row.pk)

    first, again = mail.outbox
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"] == row.message_id
    assert OutgoingEmail.objects.get(pk=row.pk).sent_at is not None


def test_the_retry_policy_covers_smtp_and_network_errors():
    retried = tuple(send_email.autoretry_for)
    assert issubclass(smtplib.SMTPServerDisconnected, retried)
    assert issubclass(ConnectionRefusedError, retried)
    assert send_email.retry_backoff
    assert send_email.max_retries >= 5


def test_the_sweep_re_enqueues_only_old_unsent_rows(db, monkeypatch):
    old_unsent = outbox_row()
    outbox_row()  # too new: its task may still be on its way
    old_sent = outbox_row(sent_at=timezone.now())
    an_hour_ago = timezone.now() - timedelta(hours=1)
    OutgoingEmail.objects.filter(pk__in=[old_unsent.pk, old_sent.pk]).update(created_at=an_hour_ago)
    enqueued = []
    monkeypatch.setattr(tasks, "enqueue_delivery", enqueued.extend)

    assert send_unsent_emails() == 1

    assert enqueued == [old_unsent.pk]


def test_the_sweep_delivers_through_the_task(db):
    row = outbox_row()
    OutgoingEmail.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(hours=1))

    assert send_unsent_emails(older_than_minutes=5) == 1  # eager Celery runs send_email here

    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert send_unsent_emails() == 0


# --- Many rows at once (the reminder sweep) ---------------------------------------------------


def test_many_rows_are_enqueued_in_batches_each_once(db, monkeypatch):
    batches = []
    monkeypatch.setattr(tasks.send_emails, "delay", batches.append)
    ids = list(range(1, 2 * tasks.DELIVERY_BATCH + 6))

    tasks.enqueue_delivery(ids)

    assert [len(batch) for batch in batches] == [tasks.DELIVERY_BATCH, tasks.DELIVERY_BATCH, 5]
    assert [pk for batch in batches for pk in batch] == ids


def test_a_batch_delivers_every_row_once_and_hands_a_failing_one_to_its_own_retries(
    db, monkeypatch
):
    rows = [outbox_row(to=[f"person{i}@umu.se"]) for i in range(3)]
    real_send = EmailMultiAlternatives.send

    def refuse_the_second(self, fail_silently=False):
        if self.to == ["person1@umu.se"]:
            raise smtplib.SMTPRecipientsRefused({"person1@umu.se": (450, b"Try later")})
        return real_send(self, fail_silently)

    retried = []
    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_the_second)
    monkeypatch.setattr(
        tasks.send_email, "apply_async", lambda args, countdown: retried.append((args, countdown))
    )

    tasks.send_emails([row.pk for row in rows])
    tasks.send_emails([row.pk for row in rows])  # a redelivered batch sends nothing twice

    assert sorted(message.to[0] for message in mail.outbox) == ["person0@umu.se", "person2@umu.se"]
    assert retried == [((rows[1].pk,), tasks.RETRY_SECONDS)] * 2
    failed = OutgoingEmail.objects.get(pk=rows[1].pk)
    assert failed.sent_at is None
    assert failed.last_error.startswith("SMTPRecipientsRefused")


# --- A real SMTP server ----------------------------------------------------------------------


def test_delivers_to_a_real_smtp_server(db, smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "umusocial <no-reply@umu.se>"
    row = outbox_row(to=["anna@umu.se", "david@umu.se"])

    send_email(row.pk)

    [envelope] = smtp_server.envelopes
    assert envelope.mail_from == "no-reply@umu.se"
    assert sorted(envelope.rcpt_tos) == ["anna@umu.se", "david@umu.se"]
    message = message_from_bytes(envelope.original_content, policy=policy.default)
    assert str(message["Subject"]).strip() == row.subject
    assert message.get_body(("plain",)).get_content().strip() == "Hej Anna"
    assert "Hej Anna" in message.get_body(("html",)).get_content()
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.attempts == 1


def test_a_server_that_refuses_the_connection_is_recorded(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 5
    row = outbox_row()

    with pytest.raises(OSError):
        send_email(row.pk)

    row.refresh_from_db()
    assert row.sent_at is None
    assert row.attempts == 1
    assert row.last_error.startswith("ConnectionRefusedError")


# --- Secrets: in the message sent, never at rest after delivery -------------------------------


def row_with_a_secret() -> OutgoingEmail:
    placeholder = secret_placeholder("link")
    return outbox_row(
        body_text=f"Open {placeholder}\nThanks",
        body_html=f'<p><a href="{placeholder}">Open</a></p>',
        secrets={"link": "http://testserver/approvals/signoff/1.tok:en/?a=1&b=2"},
    )


def test_a_secret_goes_into_the_message_and_is_forgotten_once_sent(db):
    row = row_with_a_secret()

    send_email(row.pk)

    [sent] = mail.outbox
    assert sent.body == "Open http://testserver/approvals/signoff/1.tok:en/?a=1&b=2\nThanks"
    html = sent.alternatives[0].content
    assert 'href="http://testserver/approvals/signoff/1.tok:en/?a=1&amp;b=2"' in html
    row.refresh_from_db()
    assert row.secrets == {}
    assert "signoff" not in row.body_text + row.body_html
    assert row.message_id == sent.extra_headers["Message-ID"]
    assert row.withholds_secrets  # the placeholder says a link was sent, and kept no copy


def test_after_a_failed_attempt_the_secret_waits_for_the_retry(db, monkeypatch):
    row = row_with_a_secret()
    real_send = EmailMultiAlternatives.send

    def disconnect(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", disconnect)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_email(row.pk)
    row.refresh_from_db()
    assert row.secrets == {"link": "http://testserver/approvals/signoff/1.tok:en/?a=1&b=2"}

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    send_email(row.pk)

    [sent] = mail.outbox
    assert "http://testserver/approvals/signoff/1.tok:en/?a=1&b=2" in sent.body
    row.refresh_from_db()
    assert (row.secrets, row.attempts) == ({}, 2)
