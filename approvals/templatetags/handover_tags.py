"""Template helpers for handovers on pages owned by `channels`: the channel page's section and
"My channels" (whose views know nothing of handovers)."""

from __future__ import annotations

from django import template

from approvals.handover.selectors import handovers_waiting_for, user_may_start_handover
from approvals.models import Handover
from channels.models import Channel

register = template.Library()


@register.simple_tag
def handover_section(channel: Channel, user) -> dict:
    """What the channel page's handover section shows: the open handover, the earlier ones, and
    whether the user may start one."""
    handovers = list(
        channel.handovers.select_related("new_responsible", "previous_responsible").order_by(
            "-started_at", "-pk"
        )
    )
    running = channel.state in Channel.RUNNING_STATES
    open_handover = next((h for h in handovers if h.state in Handover.OPEN_STATES), None)
    return {
        "open": open_handover,
        "history": [h for h in handovers if h is not open_handover],
        "can_start": running and open_handover is None and user_may_start_handover(user, channel),
        "flagged": running and channel.needs_handover_since is not None,
        "running": running,
    }


@register.simple_tag
def handovers_waiting(user) -> list[Handover]:
    """Open handovers that make the user the new responsible person."""
    return list(handovers_waiting_for(user))
