"""The moderation log's section of a channel's page: the last entry and who is blocked now."""

from __future__ import annotations

from django import template

from approvals.moderation.selectors import active_blockings, last_entry, user_may_moderate
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
