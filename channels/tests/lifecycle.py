"""Move a channel along its real path (the services, not factories), for tests of running
channels: submitted, approved by the head of department and by Komm, opened."""

from __future__ import annotations

from channels.models import Channel


def approve(channel: Channel, *, owner, komm) -> Channel:
    from approvals.review.services import review_decide
    from approvals.signoff.services import channel_submit, signoff_approve

    channel_submit(channel=channel, submitted_by=owner)
    signoff_approve(signoff=channel.signoffs.get())
    channel.refresh_from_db()
    review_decide(channel=channel, reviewer=komm, decision="approved")
    channel.refresh_from_db()
    return channel


def activate(channel: Channel, *, owner, komm) -> Channel:
    from channels.services import channel_mark_opened

    approve(channel, owner=owner, komm=komm)
    channel_mark_opened(channel=channel, opened_by=owner)
    channel.refresh_from_db()
    return channel
