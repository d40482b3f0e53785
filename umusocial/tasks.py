"""Keeping personal data no longer than needed (docs/security.md, the record of processing)."""

from __future__ import annotations

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from celery import shared_task
from django.conf import settings
from django.utils import timezone

from approvals.reports.services import report_forget_contacts
from core.models import OutgoingEmail, SentReminder


@shared_task
def prune_sign_in_records() -> int:
    """Delete the record of successful sign-ins (who, from which address, with which browser)
    older than LOGIN_RECORD_DAYS. Failed attempts go by themselves once their lockout is over."""
    return AxesProxyHandler.reset_logs(age_days=settings.LOGIN_RECORD_DAYS)


@shared_task
def prune_sent_emails() -> dict[str, int]:
    """Delete the e-mails sent, and the records of reminders sent, more than EMAIL_RECORD_DAYS
    ago: what was sent stays provable that long, then goes. An e-mail never sent stays (the
    admin shows it, and can send it again). A reminder about an occasion still open after that
    long (an evaluation overdue for a year) may then be sent once more."""
    cutoff = timezone.now() - timedelta(days=settings.EMAIL_RECORD_DAYS)
    emails, _by_model = OutgoingEmail.objects.filter(sent_at__lt=cutoff).delete()
    reminders, _by_model = SentReminder.objects.filter(sent_at__lt=cutoff).delete()
    return {"emails": emails, "reminders": reminders}


@shared_task
def forget_report_contacts() -> int:
    """Clear the contact of reports of suspected accounts handled more than
    REPORT_CONTACT_DAYS ago."""
    return report_forget_contacts(
        handled_before=timezone.now() - timedelta(days=settings.REPORT_CONTACT_DAYS)
    )
