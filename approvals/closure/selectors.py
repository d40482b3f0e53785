"""Reads of closures: who may do what, the one in progress, its checklist."""

from __future__ import annotations

from approvals.audit import Event
from approvals.models import Closure
from channels.models import AuditEntry, Channel
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
    """The checklist: [{"name", "label", "done_at", "done_by"}] in order. Who ticked a step is
    the one fact the audit trail keeps (closure_record writes an entry per ticked step), so it is
    read from there: the newest entry of that step since this closure started. One query."""
    ticked_by = {}
    entries = AuditEntry.objects.filter(
        channel_id=closure.channel_id,
        action=Event.CLOSURE_STEP,
        created_at__gte=closure.started_at,
    ).select_related("actor")
    for entry in entries.order_by("created_at", "pk"):
        who = entry.actor.display_name if entry.actor else entry.actor_name
        ticked_by[(entry.params or {}).get("step")] = who
    return [
        {
            "name": name,
            "label": label,
            "done_at": getattr(closure, name),
            "done_by": ticked_by.get(name, "") if getattr(closure, name) else "",
        }
        for name, label in Closure.STEPS
    ]


def closure_is_ready(closure: Closure) -> bool:
    return all(getattr(closure, name) for name, _label in Closure.STEPS)
