"""The campaign notices section of a channel's page."""

from __future__ import annotations

from django import template

from approvals.campaigns.selectors import campaign_notices_of_channel
from channels.models import Channel
from channels.selectors import user_is_channel_person

register = template.Library()


@register.inclusion_tag("approvals/_campaign_section.html", takes_context=True)
def campaign_section(context, channel: Channel) -> dict:
    """The channel's latest notices, and "Tell Komm about a campaign" for its people while it
    runs. Two queries at most."""
    user = context["request"].user
    return {
        "channel": channel,
        "notices": campaign_notices_of_channel(channel),
        "may_send": channel.state in Channel.RUNNING_STATES
        and user_is_channel_person(user=user, channel=channel),
    }


@register.inclusion_tag("approvals/_ad_order_section.html", takes_context=True)
def ad_order_section(context, channel: Channel) -> dict:
    """The channel's latest ad orders, and "Order ads" for its people while it runs."""
    user = context["request"].user
    return {
        "channel": channel,
        "orders": list(channel.ad_orders.order_by("-starts_on", "-pk")[:10]),
        "may_order": channel.state in Channel.RUNNING_STATES
        and user_is_channel_person(user=user, channel=channel),
    }
