"""Reads of campaign notices: who sees one, Komm's calendar-like list, a channel's notices."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from approvals.campaigns.models import CampaignNotice
from channels.models import Channel, Platform
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


def in_period(rows: QuerySet, period: str, *, today: datetime.date | None = None) -> QuerySet:
    """Rows with starts_on/ends_on that run this week, are coming or are past ("" or an unknown
    period: all of them). Past ones latest first, the others soonest first."""
    today = today or timezone.localdate()
    week_start = today - datetime.timedelta(days=today.weekday())
    week_end = week_start + datetime.timedelta(days=6)
    if period == "week":
        return rows.filter(starts_on__lte=week_end, ends_on__gte=week_start)
    if period == "coming":
        return rows.filter(starts_on__gt=week_end)
    if period == "past":
        return rows.filter(ends_on__lt=week_start).order_by("-ends_on", "-pk")
    return rows


def on_platform(rows: QuerySet, platform: Platform | None, search: str = "") -> QuerySet:
    """Rows (notices or orders) with a channel on `platform` and whose title or a channel's name
    holds `search`; a subquery, so that a row with two matching channels is listed once."""
    through = rows.model.channels.through
    key = through._meta.get_field(rows.model._meta.model_name).attname  # e.g. "adorder_id"
    if platform is not None:
        rows = rows.filter(pk__in=through.objects.filter(channel__platform=platform).values(key))
    search = search.strip()
    if search:
        named = through.objects.filter(channel__name__icontains=search).values(key)
        rows = rows.filter(Q(title__icontains=search) | Q(pk__in=named))
    return rows


def campaign_notices_in_period(
    period: str,
    *,
    today: datetime.date | None = None,
    state: str = "",
    platform: Platform | None = None,
    search: str = "",
) -> QuerySet[CampaignNotice]:
    """Komm's list for one period, with what a row shows fetched in a fixed number of queries."""
    notices = CampaignNotice.objects.select_related("sent_by").prefetch_related(
        "channels__platform"
    )
    if state in CampaignNotice.State.values:
        notices = notices.filter(state=state)
    return in_period(on_platform(notices, platform, search), period, today=today)


def campaign_notice_counts(
    period: str, *, platform: Platform | None = None, search: str = ""
) -> dict[str, int]:
    """How many notices of the period are in each state, under the same filters (one query)."""
    rows = in_period(on_platform(CampaignNotice.objects.all(), platform, search), period)
    return state_counts(rows, CampaignNotice.State.values)


def state_counts(rows: QuerySet, states: list[str]) -> dict[str, int]:
    counts = {state: 0 for state in states}
    found = rows.order_by().values("state").annotate(n=Count("pk"))
    counts.update({row["state"]: row["n"] for row in found})
    return counts


def campaign_notices_of_channel(channel: Channel) -> list[CampaignNotice]:
    """The channel's notices, latest first, for its page."""
    return list(channel.campaign_notices.order_by("-starts_on", "-pk")[:10])
