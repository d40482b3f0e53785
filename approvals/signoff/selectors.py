"""Reads of the sign-off workflow."""

from __future__ import annotations

from channels.models import Channel
from channels.selectors import user_is_channel_person, user_is_komm

State = Channel.State


def user_may_request_signoff(user, channel: Channel) -> bool:
    """The channel's people or Komm may send the head of department a new link."""
    return user_is_channel_person(user=user, channel=channel) or user_is_komm(user)
