"""Reads of the approval workflow: who may ask for a new link, and Komm's queue."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet

from approvals.models import Closure, Handover, PrefectSignoff
from channels.models import Channel, Platform, Unit
from channels.selectors import user_is_komm

State = Channel.State

# The states Komm's queue can list, in the order of the pipeline. "all" lists all of them.
QUEUE_STATES: tuple[str, ...] = (
    State.AWAITING_PREFECT,
    State.AWAITING_KOMM,
    State.CHANGES_REQUESTED,
    State.APPROVED,
)
QUEUE_ALL = "all"
QUEUE_DEFAULT_STATE = State.AWAITING_KOMM
QUEUE_SORTS = ("oldest", "newest")


def user_may_request_signoff(user, channel: Channel) -> bool:
    """The responsible person, a deputy or Komm may send the head of department a new link."""
    if not user.is_authenticated:
        return False
    if user.pk == channel.responsible_id or user_is_komm(user):
        return True
    return channel.deputyships.filter(user=user).exists()


def _queue_base(
    *, platform: Platform | None = None, unit: Unit | None = None, search: str = ""
) -> QuerySet[Channel]:
    """The queue's channels narrowed by everything except the state."""
    channels = Channel.objects.filter(state__in=QUEUE_STATES)
    if platform is not None:
        channels = channels.filter(platform=platform)
    if unit is not None:
        channels = channels.filter(responsible_unit=unit)
    search = search.strip()
    if search:
        channels = channels.filter(Q(name__icontains=search) | Q(address__icontains=search))
    return channels


def komm_queue(
    *,
    state: str = QUEUE_DEFAULT_STATE,
    platform: Platform | None = None,
    unit: Unit | None = None,
    search: str = "",
    newest_first: bool = False,
) -> QuerySet[Channel]:
    """The channels of Komm's queue, longest waiting first (or newest first).

    Everything a row shows is joined in (platform, unit, responsible person), so listing a page
    costs the same number of queries however many rows it has.
    """
    channels = _queue_base(platform=platform, unit=unit, search=search)
    if state != QUEUE_ALL:
        channels = channels.filter(state=state)
    waiting = F("state_changed_at")
    order = waiting.desc(nulls_last=True) if newest_first else waiting.asc(nulls_first=True)
    return channels.select_related("platform", "responsible_unit", "responsible").order_by(
        order, "-pk" if newest_first else "pk"
    )


def komm_queue_counts(
    *, platform: Platform | None = None, unit: Unit | None = None, search: str = ""
) -> dict[str, int]:
    """How many channels are in each state of the queue (and in all), under the same platform,
    unit and search filters as the list. One query."""
    rows = (
        _queue_base(platform=platform, unit=unit, search=search)
        .order_by()
        .values("state")
        .annotate(n=Count("pk"))
    )
    counts = {state: 0 for state in QUEUE_STATES}
    counts.update({row["state"]: row["n"] for row in rows})
    counts[QUEUE_ALL] = sum(counts.values())
    return counts


# --- Handovers (issue 3) -----------------------------------------------------------------------


def user_may_start_handover(user, channel: Channel) -> bool:
    """The responsible person, a deputy or Komm may start a handover of a channel."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.pk == channel.responsible_id or user_is_komm(user):
        return True
    return channel.deputyships.filter(user=user).exists()


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
    if user.pk == handover.channel.responsible_id:
        return True
    return handover.channel.deputyships.filter(user=user).exists()


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


# --- Closure ---------------------------------------------------------------------------------


def _is_channel_person(user, channel: Channel) -> bool:
    """The responsible person or a deputy (also of a closed channel: its former people)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.pk == channel.responsible_id:
        return True
    return channel.deputyships.filter(user=user).exists()


def user_may_start_closure(user, channel: Channel) -> bool:
    """The responsible person, a deputy or Komm may start (or call off) a closure."""
    return _is_channel_person(user, channel) or user_is_komm(user)


def user_may_work_on_closure(user, closure: Closure) -> bool:
    """The checklist is the channel's people's to tick; Komm only confirms."""
    return _is_channel_person(user, closure.channel)


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


# --- The owner's coming duties ---------------------------------------------------------------


def channel_coming_duties(channel: Channel) -> dict:
    """What is under way for a channel besides its next evaluation (which the owner's page shows
    with channels.selectors.evaluation_status): an open handover and a closure in progress.

    Reads `channel.handovers` and `channel.closures` through `.all()`, so with them prefetched
    (channels.selectors.channels_for_owner_page) a page of channels costs no query per row.
    Returns {"handover": Handover or None, "closure": Closure or None}.
    """
    handover = next((h for h in channel.handovers.all() if h.is_open), None)
    closure = next(
        (c for c in channel.closures.all() if c.state == Closure.State.IN_PROGRESS), None
    )
    return {"handover": handover, "closure": closure}


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
    query."""
    rows = Channel.objects.order_by().values("state").annotate(n=Count("pk"))
    counts = {row["state"]: row["n"] for row in rows}
    return [
        {"state": state.value, "label": state.label, "count": counts.get(state.value, 0)}
        for state in State
    ]


def overview_platform_counts() -> list[Platform]:
    """Every platform with a channel in the registry, annotated with the count of channels in
    each of PLATFORM_GROUPS and their `total`. One query."""
    annotations = {
        group: Count("channels", filter=Q(channels__state__in=states))
        for group, states in PLATFORM_GROUPS.items()
    }
    platforms = Platform.objects.annotate(**annotations).order_by("position", "name")
    result = []
    for p in platforms:
        p.total = sum(getattr(p, group) for group in PLATFORM_GROUPS)
        if p.total:
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
    """The first `limit` rows and the count of all: one query, two when the list is cut."""
    items = list(queryset[:limit])
    count = len(items) if len(items) < limit else queryset.count()
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
