"""Komm's weekly digest counts the week's moderation entries per kind (suspected crimes and
threats were e-mailed at once; the rest reach Komm here)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from approvals.models import ModerationEntry
from approvals.reminders.jobs import run_job
from approvals.testing.factories import ModerationEntryFactory
from core.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def test_the_digest_counts_the_weeks_entries_per_kind():
    ModerationEntryFactory.create_batch(2)
    ModerationEntryFactory(kind=ModerationEntry.Kind.BLOCKING)
    old = ModerationEntryFactory()
    ModerationEntry.objects.filter(pk=old.pk).update(
        recorded_at=timezone.now() - datetime.timedelta(days=8)
    )

    [digest] = run_job("komm-digest").sent

    assert digest.context["moderation"] == [
        {"label": "Removed content", "count": 2},
        {"label": "Blocking", "count": 1},
    ]
    body = OutgoingEmail.objects.get(template="reminder-komm-digest").body_text
    assert "Removed content: 2" in body or "Borttaget innehåll: 2" in body
    assert "/komm/moderation/" in body


def test_no_entries_and_nothing_else_sends_no_digest():
    assert run_job("komm-digest").sent == []
