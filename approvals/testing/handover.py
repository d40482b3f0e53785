"""A handover through its real services: started, appointed by the head of department through
the e-mailed link, accepted by the new person."""

from __future__ import annotations

from typing import Any

from approvals.handover.services import handover_accept, handover_start
from approvals.models import Handover
from approvals.signoff.services import signoff_approve, signoff_from_link
from approvals.testing.links import handover_link
from channels.models import Channel
from core.models import User

STEP_NAMES = [name for name, _label in Handover.STEPS]


def start(channel: Channel, by: User, new: User, **overrides: Any) -> Handover:
    """Start a handover to `new`, with a phone number and a reason unless overridden."""
    values: dict[str, Any] = {
        "channel": channel,
        "started_by": by,
        "new_responsible": new,
        "new_responsible_phone": "090-786 11 11",
        "new_deputies": [],
        "reason": Handover.Reason.NEW_ROLE,
        "reason_text": "Anna moves to the faculty office.",
    }
    values.update(overrides)
    return handover_start(**values)


def approved(handover: Handover) -> Handover:
    """The head of department approves the new person through the e-mailed link."""
    signoff_approve(signoff=signoff_from_link(handover_link(handover)))
    handover.refresh_from_db()
    return handover


def accepted(handover: Handover) -> Handover:
    """Approved, then the new person accepts."""
    approved(handover)
    handover_accept(handover=handover, user=handover.new_responsible)
    handover.refresh_from_db()
    return handover


def handover_in(state: str, channel: Channel, owner: User, newcomer: User) -> Handover:
    """A handover of `channel` from `owner` to `newcomer`, brought to `state` (awaiting the head
    of department, the new person, or in progress)."""
    handover = start(channel, owner, newcomer)
    if state == Handover.State.AWAITING_ACCEPTANCE:
        approved(handover)
    elif state == Handover.State.IN_PROGRESS:
        accepted(handover)
    assert handover.state == state
    return handover
