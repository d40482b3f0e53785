"""Reads of the moderation log: who may record, the blocking list, the entries of a period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from approvals.moderation.models import ModerationEntry
from channels.models import Channel
from channels.selectors import user_is_channel_person, user_is_komm

Kind = ModerationEntry.Kind

# New entries go to channels that run (or are being closed: what happened before still counts).
RECORDABLE_STATES = (Channel.State.APPROVED, Channel.State.ACTIVE, Channel.State.CLOSING)


def user_may_moderate(user, channel: Channel) -> bool:
    """The channel's people and Komm record entries and see the log."""
    return user_is_channel_person(user=user, channel=channel) or user_is_komm(user)


def _with_details(entries: QuerySet[ModerationEntry]) -> QuerySet[ModerationEntry]:
    """Everything a list or the export shows, in a fixed number of queries however many rows."""
    return entries.select_related(
        "recorded_by", "channel", "channel__responsible_unit", "lifts", "corrects"
    ).prefetch_related("attachments")


def channel_entries(
    channel: Channel,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[ModerationEntry]:
    return _with_details(
        _in_period(ModerationEntry.objects.filter(channel=channel), start=start, end=end)
    )


def _in_period(entries, *, start: datetime.date | None, end: datetime.date | None):
    if start:
        entries = entries.filter(happened_at__date__gte=start)
    if end:
        entries = entries.filter(happened_at__date__lte=end)
    return entries


def last_entry(channel: Channel) -> ModerationEntry | None:
    return ModerationEntry.objects.filter(channel=channel).select_related("recorded_by").first()


def active_blockings(channel: Channel) -> QuerySet[ModerationEntry]:
    """Who is blocked now: blockings not lifted and not run out, oldest first (since when)."""
    now = timezone.now()
    return (
        ModerationEntry.objects.filter(channel=channel, kind=Kind.BLOCKING)
        .filter(Q(blocked_until__isnull=True) | Q(blocked_until__gt=now))
        .exclude(liftings__isnull=False)
        .order_by("happened_at", "pk")
    )


def blocking_is_active(entry: ModerationEntry) -> bool:
    return active_blockings(entry.channel).filter(pk=entry.pk).exists()


@dataclass
class KommFilters:
    channel: Channel | None = None
    unit: int | None = None
    kind: str = ""
    ground: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None


def komm_entries(filters: KommFilters) -> QuerySet[ModerationEntry]:
    """Every channel's entries, filtered as Komm asks."""
    entries = ModerationEntry.objects.all()
    if filters.channel:
        entries = entries.filter(channel=filters.channel)
    if filters.unit:
        entries = entries.filter(
            Q(channel__responsible_unit_id=filters.unit) | Q(channel__sender_unit_id=filters.unit)
        )
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.ground:
        entries = entries.filter(ground=filters.ground)
    return _with_details(_in_period(entries, start=filters.start, end=filters.end))


def counts_per_ground(entries: QuerySet[ModerationEntry]) -> list[tuple[str, int]]:
    """[(label, count)] per ground (category) of the entries, in the choices' order."""
    counts = dict(
        entries.exclude(ground="")
        .order_by()
        .values_list("ground")
        .annotate(n=Count("pk"))
        .values_list("ground", "n")
    )
    return [
        (str(label), counts[value])
        for value, label in ModerationEntry.Ground.choices
        if value in counts
    ]


def counts_per_kind_since(
    since: datetime.datetime | None, *, channel: Channel | None = None
) -> list[dict]:
    """[{"label", "count"}] per kind of the entries recorded since `since` (of one channel, or
    all): for Komm's weekly digest and a channel's evaluation. One query."""
    entries = ModerationEntry.objects.all()
    if since is not None:
        entries = entries.filter(recorded_at__gte=since)
    if channel is not None:
        entries = entries.filter(channel=channel)
    counts = dict(
        entries.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    return [
        {"label": str(label), "count": counts[value]}
        for value, label in Kind.choices
        if value in counts
    ]
