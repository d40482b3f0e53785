"""Reads of the sign-off workflow."""

from __future__ import annotations

from channels.models import Channel
from channels.selectors import user_is_komm

State = Channel.State


def user_may_request_signoff(user, channel: Channel) -> bool:
    """The responsible person, a deputy or Komm may send the head of department a new link."""
    if not user.is_authenticated:
        return False
    if user.pk == channel.responsible_id or user_is_komm(user):
        return True
    return channel.deputyships.filter(user=user).exists()
