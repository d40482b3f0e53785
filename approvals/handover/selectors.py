"""Reads of handovers: who may do what, and the lists of open ones."""

from __future__ import annotations

from django.db.models import QuerySet

from approvals.models import Handover
from channels.models import Channel
from channels.selectors import user_is_channel_person, user_is_komm

State = Channel.State


# --- Handovers (issue 3) -----------------------------------------------------------------------


def user_may_start_handover(user, channel: Channel) -> bool:
    """The channel's people or Komm may start a handover of a channel."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user_is_komm(user) or user_is_channel_person(user=user, channel=channel)


def user_may_see_handover(user, handover) -> bool:
    """Komm, the channel's people, and everyone the handover names. The new responsible person
    has no permission on the channel until the handover completes, and must still reach it."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.pk in (
        handover.new_responsible_id,
        handover.previous_responsible_id,
        handover.started_by_id,
    ) or user_is_komm(user):
        return True
    return user_is_channel_person(user=user, channel=handover.channel)


def user_may_tick_handover_step(user, handover) -> bool:
    """The new person, the previous one, and the deputies (present and to be) do the steps."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.pk in (handover.new_responsible_id, handover.previous_responsible_id):
        return True
    return (
        handover.channel.deputyships.filter(user=user).exists()
        or handover.new_deputies.filter(pk=user.pk).exists()
    )


def user_may_cancel_handover(user, handover) -> bool:
    """Who started it, the channel's responsible person, or Komm."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.pk in (handover.started_by_id, handover.channel.responsible_id) or user_is_komm(
        user
    )


def handovers_open() -> QuerySet:
    """Every handover not yet completed, declined or cancelled, waiting longest first, with
    what a row shows joined in (one query however many rows)."""
    return (
        Handover.objects.filter(state__in=Handover.OPEN_STATES)
        .select_related("channel", "channel__platform", "new_responsible", "previous_responsible")
        .order_by("started_at", "pk")
    )


def handovers_waiting_for(user) -> QuerySet:
    """Open handovers that make `user` the new responsible person, for "My channels"."""
    if not (user and user.is_authenticated):
        return handovers_open().none()
    return handovers_open().filter(new_responsible=user)


def channels_flagged_for_handover() -> QuerySet[Channel]:
    """Running channels whose responsible person or a deputy has left, flagged longest first."""
    return (
        Channel.objects.filter(state__in=Channel.RUNNING_STATES, needs_handover_since__isnull=False)
        .select_related("platform", "responsible")
        .order_by("needs_handover_since", "pk")
    )
