"""Komm's queue: the channels waiting for a decision, filtered and counted."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from channels.counts import channel_count
from channels.models import Channel, Platform, Unit

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


def _queue_base(
    *,
    platform: Platform | None = None,
    unit: Unit | None = None,
    search: str = "",
    states: tuple[str, ...] = QUEUE_STATES,
) -> QuerySet[Channel]:
    """The queue's channels in `states`, narrowed by the other filters."""
    channels = Channel.objects.filter(state__in=states)
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
    # One state is one condition, not "in the queue's states and this one": the planner
    # misjudges the two together and sorts instead of reading channel_state_waiting_idx in order.
    states = QUEUE_STATES if state == QUEUE_ALL else tuple(s for s in QUEUE_STATES if s == state)
    channels = _queue_base(platform=platform, unit=unit, search=search, states=states)
    waiting = F("state_changed_at")
    order = waiting.desc(nulls_last=True) if newest_first else waiting.asc(nulls_first=True)
    return channels.select_related("platform", "responsible_unit", "responsible").order_by(
        order, "-pk" if newest_first else "pk"
    )


def komm_queue_counts(
    *, platform: Platform | None = None, unit: Unit | None = None, search: str = ""
) -> dict[str, int]:
    """How many channels are in each state of the queue (and in all), under the same platform,
    unit and search filters as the list. From the cached counts (channels.counts) when only the
    platform narrows it, else one query."""
    if unit is None and not search.strip():
        counts = {
            state: channel_count(states=[state], platform_id=platform.pk if platform else None)
            for state in QUEUE_STATES
        }
        counts[QUEUE_ALL] = sum(counts.values())
        return counts
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
