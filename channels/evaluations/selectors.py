"""Reads of evaluations: which channels are due or overdue."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet

from channels.models import Channel


def evaluations_overdue(*, today: date) -> QuerySet[Channel]:
    """Running channels whose next evaluation date has passed, oldest first, ready to list."""
    return (
        Channel.objects.filter(state__in=Channel.RUNNING_STATES, next_evaluation_on__lt=today)
        .select_related("platform", "responsible", "responsible_unit")
        .order_by("next_evaluation_on", "pk")
    )


def evaluation_status(channel: Channel, today: date) -> str | None:
    """ "overdue" (its date has passed), "due" (today or within EVALUATION_UPCOMING_DAYS, when
    the owners are reminded), "upcoming" (later); None when the channel is not active (one not
    yet opened has nothing to evaluate) or has no date. Reads no relations."""
    if channel.state != Channel.State.ACTIVE or channel.next_evaluation_on is None:
        return None
    if channel.next_evaluation_on < today:
        return "overdue"
    if channel.next_evaluation_on <= today + timedelta(days=settings.EVALUATION_UPCOMING_DAYS):
        return "due"
    return "upcoming"
