"""Reads of closures: who may do what, the one in progress, its checklist."""

from __future__ import annotations

from approvals.models import Closure
from channels.models import Channel
from channels.selectors import user_is_channel_person, user_is_komm

State = Channel.State


# --- Closure ---------------------------------------------------------------------------------


def user_may_start_closure(user, channel: Channel) -> bool:
    """The responsible person, a deputy or Komm may start (or call off) a closure."""
    return user_is_channel_person(user=user, channel=channel) or user_is_komm(user)


def user_may_work_on_closure(user, closure: Closure) -> bool:
    """The checklist is the channel's people's to tick; Komm only confirms."""
    return user_is_channel_person(user=user, channel=closure.channel)


def closure_in_progress(channel: Channel) -> Closure | None:
    return (
        Closure.objects.filter(channel=channel, state=Closure.State.IN_PROGRESS)
        .select_related("started_by")
        .first()
    )


def closure_confirmed(channel: Channel) -> Closure | None:
    """The closure that closed the channel (the newest confirmed one)."""
    return (
        Closure.objects.filter(channel=channel, state=Closure.State.CONFIRMED)
        .select_related("confirmed_by")
        .order_by("-confirmed_at", "-pk")
        .first()
    )


def closure_steps(closure: Closure) -> list[dict]:
    """The checklist: [{"name", "label", "done_at"}] in order."""
    return [
        {"name": name, "label": label, "done_at": getattr(closure, name)}
        for name, label in Closure.STEPS
    ]


def closure_is_ready(closure: Closure) -> bool:
    return all(getattr(closure, name) for name, _label in Closure.STEPS)
