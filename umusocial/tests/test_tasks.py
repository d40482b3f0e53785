"""umusocial.tasks: personal data kept no longer than docs/security.md says, by nightly jobs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from approvals.testing.factories import SuspectedAccountReportFactory
from core.models import OutgoingEmail, SentReminder
from umusocial import tasks

pytestmark = pytest.mark.django_db


def email(**fields) -> OutgoingEmail:
    values = {"to": ["anna@umu.se"], "subject": "S", "body_text": "T", "template": "t"}
    return OutgoingEmail.objects.create(**values, language="sv", **fields)


def test_sent_emails_and_reminder_records_go_after_the_record_days(settings):
    settings.EMAIL_RECORD_DAYS = 365
    now = timezone.now()
    old, recent = now - timedelta(days=366), now - timedelta(days=364)
    old_sent, recent_sent = email(sent_at=old), email(sent_at=recent)
    never_sent = email()
    OutgoingEmail.objects.filter(pk=never_sent.pk).update(created_at=old)
    for n, when in enumerate((old, recent)):
        reminder = SentReminder.objects.create(
            kind="evaluation-due", key=f"{n}:2025-01-01", recipient="anna@umu.se", run=n * 1000
        )
        SentReminder.objects.filter(pk=reminder.pk).update(sent_at=when)

    assert tasks.prune_sent_emails() == {"emails": 1, "reminders": 1}

    assert set(OutgoingEmail.objects.values_list("pk", flat=True)) == {
        recent_sent.pk,
        never_sent.pk,  # kept: Komm sees it in the admin and may send it again
    }
    assert not OutgoingEmail.objects.filter(pk=old_sent.pk).exists()
    assert list(SentReminder.objects.values_list("key", flat=True)) == ["1:2025-01-01"]


def test_the_report_contacts_task_uses_its_setting(settings, komm):
    from approvals.reports.services import report_decide

    settings.REPORT_CONTACT_DAYS = 30
    report = SuspectedAccountReportFactory(contact="sender@example.org")
    report_decide(report=report, to=report.State.DISMISSED, decided_by=komm)

    assert tasks.forget_report_contacts() == 0  # handled today: Komm may still write back
    settings.REPORT_CONTACT_DAYS = 1
    report.__class__.objects.filter(pk=report.pk).update(
        state_changed_at=timezone.now() - timedelta(days=2)
    )
    assert tasks.forget_report_contacts() == 1


def test_beat_runs_the_retention_jobs_nightly():
    schedule = settings.CELERY_BEAT_SCHEDULE
    jobs = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    assert jobs["umusocial.tasks.prune_sent_emails"] == crontab(hour=3, minute=30)
    assert jobs["umusocial.tasks.forget_report_contacts"] == crontab(hour=3, minute=45)
    assert jobs["umusocial.tasks.prune_sign_in_records"] == crontab(hour=3, minute=15)
    assert (settings.EMAIL_RECORD_DAYS, settings.REPORT_CONTACT_DAYS) == (365, 30)
