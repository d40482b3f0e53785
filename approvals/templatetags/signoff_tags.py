"""The decisions on a channel, for its page's "channel_decisions" slot."""

from __future__ import annotations

from django import template

from channels.models import Channel

register = template.Library()


@register.simple_tag
def channel_decisions(channel: Channel) -> dict:
    """{"signoffs", "reviews"}: the head of department's and Komm's decisions, newest first."""
    return {
        "signoffs": list(channel.signoffs.select_related("responsible")),
        "reviews": list(channel.reviews.select_related("reviewer")),
    }
