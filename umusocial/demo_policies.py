"""seed_demo's policy publications: every running demo channel has recorded where its policy is
published, except one (POLICY_MISSING), opened long enough ago for the reminder and Komm's digest
to name it. Driven through the real service, so the trails show the entries."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from channels.models import Channel
from channels.policy.models import ChannelPolicyPublication
from channels.policy.publication import policy_publication_record
from umusocial.demo_data import POLICY_LOCATIONS, POLICY_MISSING


def seed_policies() -> int:
    """Record the demo's publications once; returns how many were recorded."""
    if ChannelPolicyPublication.objects.exists():
        return 0
    running = Channel.objects.filter(state__in=Channel.RUNNING_STATES).select_related("responsible")
    recorded = 0
    for index, channel in enumerate(running.exclude(name=POLICY_MISSING).order_by("pk")):
        policy_publication_record(
            channel=channel,
            user=channel.responsible,
            location=POLICY_LOCATIONS[index % len(POLICY_LOCATIONS)],
            responsibility_stated=True,
        )
        recorded += 1
    # Demo only: time has passed since the one without a publication opened.
    days = settings.POLICY_REMINDER_DAYS + 7
    running.filter(name=POLICY_MISSING).update(
        opened_at=timezone.now() - datetime.timedelta(days=days)
    )
    return recorded
