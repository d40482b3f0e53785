"""approvals.tasks: beat's reminder tasks run the jobs and report what each sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.utils import timezone

from approvals import tasks
from approvals.reminders import jobs
from approvals.reminders.jobs import DAILY_JOBS
from channels.models import Channel
from channels.testing.factories import ChannelFactory
from core.models import OutgoingEmail


@pytest.fixture
def due_today(owner, deputy):
    return ChannelFactory(
        name="Fysik för alla",
        created_by=owner,
        deputies=[deputy],
        state=Channel.State.ACTIVE,
        address_is_planned=False,
        next_evaluation_on=timezone.localdate(),
    )


def test_send_reminders_runs_every_daily_job_and_returns_counts(due_today):
    counts = tasks.send_reminders()

    assert set(counts) == set(DAILY_JOBS)
    assert counts["evaluation-due"] == 2
    assert sum(counts.values()) == 2
    assert OutgoingEmail.objects.filter(template="reminder-evaluation-due").count() == 2
    assert tasks.send_reminders()["evaluation-due"] == 0  # a rerun sends nothing


def test_send_reminders_through_celery_with_only_some_jobs(due_today):
    result = tasks.send_reminders.delay(["evaluation-due", "evaluation-upcoming"]).get()
    assert result == {"evaluation-due": 2, "evaluation-upcoming": 0}


def test_one_failing_job_does_not_stop_the_others(due_today, monkeypatch):
    def broken(now):
        raise ValueError("bad data")

    monkeypatch.setitem(jobs.SELECTORS, "signoff-reminder", broken)

    with pytest.raises(RuntimeError, match="signoff-reminder"):
        tasks.send_reminders()
    assert OutgoingEmail.objects.filter(template="reminder-evaluation-due").count() == 2


def test_the_digest_task_sends_komm_the_digest(db, settings):
    settings.KOMM_EMAIL = "komm@umu.se"
    assert tasks.send_komm_digest() == {"komm-digest": 0}  # nothing to report
    ChannelFactory(state=Channel.State.AWAITING_KOMM, state_changed_at=timezone.now())
    assert tasks.send_komm_digest() == {"komm-digest": 1}
    assert OutgoingEmail.objects.get(template="reminder-komm-digest").to == ["komm@umu.se"]


def test_beat_runs_the_reminders_daily_and_the_digest_on_monday_mornings():
    schedule = settings.CELERY_BEAT_SCHEDULE
    daily = schedule["send-reminders"]
    weekly = schedule["send-komm-digest"]
    assert daily["task"] == "approvals.tasks.send_reminders"
    assert weekly["task"] == "approvals.tasks.send_komm_digest"
    assert daily["schedule"] == crontab(hour=7, minute=0)
    assert weekly["schedule"] == crontab(hour=7, minute=30, day_of_week="mon")
    assert settings.CELERY_TIMEZONE == "Europe/Stockholm"
    # The default timings.
    assert (
        settings.SIGNOFF_REMINDER_DAYS,
        settings.EVALUATION_UPCOMING_DAYS,
        settings.EVALUATION_OVERDUE_DAYS,
        settings.HANDOVER_REMINDER_DAYS,
    ) == (3, 30, 14, 7)
    assert timedelta(days=settings.SIGNOFF_REMINDER_DAYS) < timedelta(
        days=settings.SIGNOFF_LINK_DAYS
    )
