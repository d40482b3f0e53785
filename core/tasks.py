"""E-mail delivery. Tasks take primary keys and are safe to run more than once."""

from __future__ import annotations

import logging
import smtplib
import socket
from datetime import timedelta

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from core.models import GIVEN_UP, OutgoingEmail, new_message_id

log = logging.getLogger(__name__)

TRANSIENT_ERRORS = (smtplib.SMTPException, socket.error, OSError)


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The message as sent: the stored bodies with the secrets put back in."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_to_send(),
        to=email.to,
        # Given when the row was queued (core.models.new_message_id), so that a redelivery after
        # a crash is the same message; it finds the delivered copy (/dev/mail/, the mail logs).
        headers={"Message-ID": email.message_id or new_message_id()},
    )
    if email.body_html:
        message.attach_alternative(email.html_to_send(), "text/html")
    return message


# Outbox rows per delivery task when many are queued at once (the reminder sweep): publishing a
# task to the broker costs about half a millisecond, so 37,000 one by one cost the sweep 19 s.
DELIVERY_BATCH = 100
# The first retry of a row whose delivery failed (send_email's back-off then doubles it).
RETRY_SECONDS = 30


# What an outbox row without an address records instead of being marked sent.
NO_RECIPIENT = "No recipient: not sent"


def enqueue_delivery(email_ids: list[int]) -> None:
    """Hand outbox rows to the workers: one row, one `send_email`; more, one `send_emails` per
    DELIVERY_BATCH (several workers share a big queue batch by batch)."""
    if len(email_ids) == 1:
        send_email.delay(email_ids[0])
        return
    for start in range(0, len(email_ids), DELIVERY_BATCH):
        send_emails.delay(email_ids[start : start + DELIVERY_BATCH])


@shared_task
def send_emails(email_ids: list[int]) -> None:
    """Deliver several outbox rows, each as `send_email` does. A row whose delivery fails is
    handed to `send_email`, which retries it with its back-off; the others go out meanwhile."""
    for email_id in email_ids:
        try:
            deliver(email_id)
        except Exception:  # whatever it was, the row's own task retries it or says why
            send_email.apply_async((email_id,), countdown=RETRY_SECONDS)


@shared_task(
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=RETRY_SECONDS,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=12,
)
def send_email(email_id: int) -> None:
    """Deliver one outbox row (`deliver`), retried with back-off while delivery fails."""
    deliver(email_id)


def deliver(email_id: int) -> None:
    """Deliver one outbox row. The row lock keeps two workers from sending it twice; a row
    already sent is skipped, so delivering again is safe.

    The secrets are forgotten in the same write that marks the row sent; after a failure they
    stay, so that a retry still delivers the link. A failure is recorded and raised."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at is not None:
            return
        if not email.to:  # core.mail queues none such; an old row stays unsent, and says why
            email.last_error = NO_RECIPIENT
            email.save(update_fields=["last_error"])
            return
        email.attempts += 1
        message = _message(email)
        try:
            message.send()
        except TRANSIENT_ERRORS as exc:
            # Record the failure outside the rolled-back block, then let Celery retry.
            failure = exc
        else:
            email.sent_at = timezone.now()
            email.last_error = ""
            email.secrets = {}
            email.message_id = message.extra_headers["Message-ID"]
            fields = ["sent_at", "attempts", "last_error", "secrets", "message_id"]
            email.save(update_fields=fields)
            return
    error = f"{type(failure).__name__}: {failure}"
    OutgoingEmail.objects.filter(pk=email_id).update(attempts=email.attempts, last_error=error)
    log.warning("Sending e-mail %s failed: %s", email_id, error)
    raise failure


@shared_task
def send_unsent_emails(older_than_minutes: int = 5) -> int:
    """Re-enqueue e-mails whose delivery task was lost, until they are GIVEN_UP
    (core.models). Returns how many were enqueued."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(
        OutgoingEmail.objects.filter(sent_at__isnull=True, created_at__lt=cutoff)
        .exclude(GIVEN_UP)
        .exclude(to=[])
        .values_list("pk", flat=True)
    )
    if ids:
        enqueue_delivery(ids)
    return len(ids)
