"""The closure section of a channel's page."""

from __future__ import annotations

from django import template

from approvals.closure.selectors import (
    closure_confirmed,
    closure_in_progress,
    closure_is_ready,
    closure_steps,
    user_may_start_closure,
)
from channels.models import Channel

register = template.Library()


@register.inclusion_tag("approvals/_closure_section.html", takes_context=True)
def closure_section(context, channel: Channel) -> dict:
    """A closure in progress (with its checklist's state), the closed channel's closure, or the
    "Close the channel" button for the channel's people and Komm. Two queries at most."""
    user = context["request"].user
    closure = None
    if channel.state == Channel.State.CLOSING:
        closure = closure_in_progress(channel)
    elif channel.state == Channel.State.CLOSED:
        closure = closure_confirmed(channel)
    return {
        "channel": channel,
        "closure": closure,
        "steps": closure_steps(closure) if closure else [],
        "ready": closure is not None and closure_is_ready(closure),
        "may_start": channel.state in Channel.RUNNING_STATES
        and user_may_start_closure(user, channel),
    }
