"""Template helpers for evaluations: the channel page's section and the owner's page's line."""

from __future__ import annotations

from django import template
from django.utils import timezone

from channels.evaluations.selectors import evaluation_status
from channels.models import Channel

register = template.Library()


@register.simple_tag
def evaluation_overview(channel: Channel) -> dict:
    """{"status", "history"} for channels/_evaluations.html (the history with its people)."""
    return {
        "status": evaluation_status(channel, timezone.localdate()),
        "history": list(channel.evaluations.select_related("submitted_by")),
        "running": channel.state in Channel.RUNNING_STATES,
        # Only an opened channel is evaluated (channels.next_step agrees).
        "opened": channel.state == Channel.State.ACTIVE,
    }


@register.inclusion_tag("channels/_next_evaluation.html")
def next_evaluation(channel: Channel) -> dict:
    """One line for a channel's next evaluation and its status; reads no relations."""
    return {"channel": channel, "status": evaluation_status(channel, timezone.localdate())}


@register.simple_tag
def evaluation_state(channel: Channel) -> str | None:
    """ "upcoming", "due", "overdue" or None for the channel today; reads no relations."""
    return evaluation_status(channel, timezone.localdate())
