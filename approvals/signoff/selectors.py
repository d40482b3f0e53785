"""Reads of the sign-off workflow."""

from __future__ import annotations

from channels.models import Channel
from channels.selectors import unit_head, user_is_channel_person, user_is_komm

State = Channel.State


def user_may_request_signoff(user, channel: Channel) -> bool:
    """The channel's people or Komm may send the head of department a new link."""
    return user_is_channel_person(user=user, channel=channel) or user_is_komm(user)


def signoff_prefect(channel: Channel, *, handover=None) -> tuple[str, str, str]:
    """(name, title, e-mail) of whom the link goes to: for a registration, the head the
    applicant named (the unit's registered head by default); for a handover, the responsible
    unit's head as Komm keeps it today (the one who approved the channel may have left), or the
    registered one when Komm keeps none."""
    head = unit_head(channel.responsible_unit) if handover is not None else None
    if head is not None:
        return head.name, head.title, head.email
    return channel.prefect_name, channel.prefect_title, channel.prefect_email
