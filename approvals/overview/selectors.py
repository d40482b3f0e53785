"""Komm's overview of the registry's health, and what is under way for one channel."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.urls import reverse

from approvals.closure.selectors import closure_is_ready
from approvals.handover.selectors import channels_flagged_for_handover, handovers_open
from approvals.models import Closure, PrefectSignoff
from channels.counts import channel_counts, kept_count
from channels.models import Channel, Platform

State = Channel.State


# --- What the workflows know of a channel's next step ---------------------------------------


def channel_workflow_facts(channel: Channel) -> dict:
    """The workflows' facts of a channel's next step (channels.next_step.Facts, through the
    hook channels.hooks.channel_facts): its open handover, its closure in progress and where
    to start a handover or review it.

    Reads `channel.handovers` and `channel.closures` through `.all()`, so with them prefetched
    (channels.selectors.channels_for_owner_page) a page of channels costs no query per row.
    """
    facts: dict = {
        "start_handover_url": reverse("approvals:handover_start", args=[channel.pk]),
        "review_url": reverse("approvals:review", args=[channel.pk]),
    }
    handover = next((h for h in channel.handovers.all() if h.is_open), None)
    if handover is not None:
        person = handover.new_responsible
        facts["handover"] = {
            "url": reverse("approvals:handover", args=[handover.pk]),
            "person": person.get_full_name() or person.get_username(),
            "state": handover.get_state_display(),
        }
    if channel.state == State.CLOSING:
        closure = next(
            (c for c in channel.closures.all() if c.state == Closure.State.IN_PROGRESS), None
        )
        if closure is not None:
            facts["closure"] = {
                "url": reverse("approvals:closure", args=[closure.pk]),
                "ready": closure_is_ready(closure),
            }
    return facts


# --- Overview --------------------------------------------------------------------------------
# Komm's page of the registry's health. Each read is one or two queries, however big the
# registry: counts are aggregated in the database and the lists are cut at `limit` rows.

OVERVIEW_LIST_LIMIT = 20

# The platform table groups the states; drafts and rejected registrations are not in it.
PLATFORM_GROUPS: dict[str, tuple[str, ...]] = {
    "in_approval": (
        State.AWAITING_PREFECT,
        State.PREFECT_DECLINED,
        State.AWAITING_KOMM,
        State.CHANGES_REQUESTED,
    ),
    "running": tuple(sorted(Channel.RUNNING_STATES)),
    "closing": (State.CLOSING,),
    "closed": (State.CLOSED,),
}


def overview_state_counts() -> list[dict]:
    """[{"state", "label", "count"}] for every state, in the order of the state machine. One
    query, none while the counts are cached (channels.counts)."""
    counts: dict[str, int] = {}
    for (_platform, state), n in channel_counts().items():
        counts[state] = counts.get(state, 0) + n
    return [
        {"state": state.value, "label": state.label, "count": counts.get(state.value, 0)}
        for state in State
    ]


def overview_platform_counts() -> list[Platform]:
    """Every platform with a channel in the registry, with the count of channels in each of
    PLATFORM_GROUPS and their `total`. One query for the platforms (and one for the counts when
    they are not cached)."""
    counts = channel_counts()
    result = []
    for p in Platform.objects.order_by("position", "name"):
        for group, states in PLATFORM_GROUPS.items():
            setattr(p, group, sum(counts.get((p.pk, state), 0) for state in states))
        total = sum(getattr(p, group) for group in PLATFORM_GROUPS)
        p.total = total  # type: ignore[attr-defined]  # not a field: set here, as the groups are
        if total:
            result.append(p)
    return result


def overview_overdue_evaluations(*, today: date) -> QuerySet[Channel]:
    """Running channels whose next evaluation date has passed, longest overdue first."""
    return (
        Channel.objects.filter(state__in=Channel.RUNNING_STATES, next_evaluation_on__lt=today)
        .select_related("platform", "responsible")
        .order_by("next_evaluation_on", "pk")
    )


def overview_pending_signoffs() -> QuerySet[PrefectSignoff]:
    """Sign-off links the head of department has not answered yet, oldest first."""
    return (
        PrefectSignoff.objects.filter(decision=PrefectSignoff.Decision.PENDING)
        .select_related("channel", "channel__platform")
        .order_by("requested_at", "pk")
    )


def overview_closures_in_progress() -> QuerySet[Closure]:
    """Closures started and not yet confirmed or called off, oldest first."""
    return (
        Closure.objects.filter(state=Closure.State.IN_PROGRESS)
        .select_related("channel", "channel__platform", "started_by")
        .order_by("started_at", "pk")
    )


def _cut(queryset: QuerySet, limit: int) -> dict:
    """The first `limit` rows and the count of all: one query, two when the list is cut (the
    count kept while nothing changes, channels.counts)."""
    items = list(queryset[:limit])
    count = len(items) if len(items) < limit else kept_count(queryset)
    return {"items": items, "count": count, "more": count - len(items)}


def komm_overview(*, today: date, limit: int = OVERVIEW_LIST_LIMIT) -> dict:
    """Everything Komm's overview shows, in at most 12 queries."""
    return {
        "states": overview_state_counts(),
        "platforms": overview_platform_counts(),
        "overdue_evaluations": _cut(overview_overdue_evaluations(today=today), limit),
        "pending_handovers": _cut(handovers_open(), limit),
        "pending_signoffs": _cut(overview_pending_signoffs(), limit),
        "flagged_channels": _cut(channels_flagged_for_handover(), limit),
        "closures_in_progress": _cut(overview_closures_in_progress(), limit),
    }
