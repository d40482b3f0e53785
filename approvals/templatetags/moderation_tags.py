"""The moderation log's section of a channel's page: the last entry and who is blocked now."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from approvals.moderation.selectors import (
    active_blockings,
    counts_per_kind_since,
    last_entry,
    user_may_moderate,
)
from channels.models import Channel

register = template.Library()

# A channel has a log once it is approved; a closed one keeps showing it.
LOGGED_STATES = (
    Channel.State.APPROVED,
    Channel.State.ACTIVE,
    Channel.State.CLOSING,
    Channel.State.CLOSED,
)


@register.inclusion_tag("approvals/_moderation_summary.html", takes_context=True)
def moderation_section(context, channel: Channel) -> dict:
    """Shown to the channel's people and Komm only; three queries."""
    show = channel.state in LOGGED_STATES and user_may_moderate(context["request"].user, channel)
    return {
        "show": show,
        "channel": channel,
        "last": last_entry(channel) if show else None,
        "blocked": list(active_blockings(channel)) if show else [],
    }


@register.inclusion_tag("approvals/_moderation_period.html")
def moderation_since_last_evaluation(channel: Channel) -> dict:
    """The log's counts per kind since the channel's last evaluation (or since it opened)."""
    last = channel.evaluations.order_by("-evaluated_on", "-pk").first()
    since = None
    if last is not None:
        since = timezone.make_aware(datetime.datetime.combine(last.evaluated_on, datetime.time.min))
    elif channel.opened_at:
        since = channel.opened_at
    return {
        "channel": channel,
        "since": since,
        "counts": counts_per_kind_since(since, channel=channel),
    }
