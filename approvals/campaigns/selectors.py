"""Reads of campaign notices: who sees one, Komm's calendar-like list, a channel's notices."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from approvals.campaigns.models import CampaignNotice
from channels.models import Channel
from channels.selectors import channels_of_user, channels_visible_to, user_is_komm

# Komm's list: what runs this week, what is coming, what is past.
PERIODS = ("week", "coming", "past")


def campaign_channels_for(user) -> QuerySet[Channel]:
    """The channels a user may send a notice about: running channels whose people they are."""
    return channels_of_user(user).filter(state__in=Channel.RUNNING_STATES).order_by("name")


def campaign_notices_visible_to(user) -> QuerySet[CampaignNotice]:
    """Komm sees every notice; the people of any of its channels and its sender see it."""
    notices = CampaignNotice.objects.all()
    if user_is_komm(user):
        return notices
    if not user.is_authenticated:
        return notices.none()
    visible = channels_visible_to(user).values("pk")
    return notices.filter(Q(channels__in=visible) | Q(sent_by=user)).distinct()


def campaign_notices_in_period(period: str, *, today: datetime.date | None = None):
    """Komm's list for one period, with what a row shows fetched in a fixed number of queries."""
    today = today or timezone.localdate()
    week_start = today - datetime.timedelta(days=today.weekday())
    week_end = week_start + datetime.timedelta(days=6)
    notices = CampaignNotice.objects.select_related("sent_by").prefetch_related(
        "channels__platform"
    )
    if period == "week":
        return notices.filter(starts_on__lte=week_end, ends_on__gte=week_start)
    if period == "coming":
        return notices.filter(starts_on__gt=week_end)
    return notices.filter(ends_on__lt=week_start).order_by("-ends_on", "-pk")


def campaign_notices_of_channel(channel: Channel) -> list[CampaignNotice]:
    """The channel's notices, latest first, for its page."""
    return list(channel.campaign_notices.order_by("-starts_on", "-pk")[:10])
