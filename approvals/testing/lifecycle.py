"""Move a channel along its real path (the services, not factories), for tests of running
channels: submitted, approved by the head of department and by Komm, opened."""

from __future__ import annotations

from approvals.models import KommReview, PrefectSignoff
from approvals.review.services import review_decide
from approvals.signoff.services import channel_submit, signoff_approve
from channels.models import Channel
from channels.services import channel_mark_opened
from core.models import User


def approve(channel: Channel, *, owner: User, komm: User) -> Channel:
    """Submit a complete draft; the head of department and then Komm approve it."""
    channel_submit(channel=channel, submitted_by=owner)
    signoff_approve(signoff=channel.signoffs.get(decision=PrefectSignoff.Decision.PENDING))
    channel.refresh_from_db()
    review_decide(channel=channel, reviewer=komm, decision=KommReview.Decision.APPROVED)
    channel.refresh_from_db()
    return channel


def activate(channel: Channel, *, owner: User, komm: User) -> Channel:
    """Approve a complete draft, then the owner marks it opened: ACTIVE."""
    approve(channel, owner=owner, komm=komm)
    channel_mark_opened(channel=channel, opened_by=owner)
    channel.refresh_from_db()
    assert channel.state == Channel.State.ACTIVE
    return channel
