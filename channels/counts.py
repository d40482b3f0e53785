"""How many channels there are, by platform and state: read by Komm's overview, register and
queue, and the public directory and API, on every view.

Counting reads every channel (a GROUP BY over the whole table, 130 ms at 100,000 channels), so
the counts are kept in the cache for REGISTRY_COUNTS_SECONDS and forgotten whenever a channel is
saved or deleted (`channels.signals`), at once and again when its transaction commits. With
CACHE_URL (a Redis shared by the web processes) that is everywhere; without it, in the process
that changed it, and another may show counts up to REGISTRY_COUNTS_SECONDS old. So may every
process after a bulk `update()` (which sends no signal). Chosen over a counter
table kept in the same transaction, which every path that changes a channel (services, the
admin, data migrations, bulk updates) would have to keep right; and over PostgreSQL's estimate,
because Komm reads exact numbers. The lists themselves are always read fresh.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, QuerySet

from channels.models import Channel

T = TypeVar("T")

CACHE_KEY = "channels:counts"
# Counts of other lists (kept_count) are kept under this generation, which forgetting renews.
GENERATION_KEY = "channels:counts:generation"


def kept(key: str, compute: Callable[[], T]) -> T:
    """`compute()` kept in the cache under `key` for REGISTRY_COUNTS_SECONDS (or until `forget`)."""
    # Never None here: get_or_set gives back what compute() gave when the cache has nothing.
    return cast(T, cache.get_or_set(key, compute, settings.REGISTRY_COUNTS_SECONDS))


def forget(*keys: str) -> None:
    """Drop cached values: now, and again once the transaction commits (a request reading in
    between would otherwise cache what it saw before the commit)."""
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _count_channels() -> dict[tuple[int, str], int]:
    rows = Channel.objects.order_by().values_list("platform_id", "state").annotate(n=Count("pk"))
    return {(platform, state): n for platform, state, n in rows}


def channel_counts() -> dict[tuple[int, str], int]:
    """{(platform id, state): number of channels}, from the cache or by one query."""
    return kept(CACHE_KEY, _count_channels)


def channel_count(*, states: Iterable[str] | None = None, platform_id: int | None = None) -> int:
    """How many channels are in `states` (all if None) on the platform (any if None)."""
    wanted = None if states is None else set(states)
    return sum(
        n
        for (platform, state), n in channel_counts().items()
        if (wanted is None or state in wanted) and platform_id in (None, platform)
    )


def kept_count(queryset: QuerySet, *, version: str = "") -> int:
    """The count of a list that grows with the registry (the overview's overdue evaluations,
    say), kept like the counts above: counted once per generation, query and `version` (the
    public register's, for its lists: channels.public.selectors)."""
    generation = cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, None)
    query = hashlib.sha256(f"{version}|{queryset.query}".encode()).hexdigest()[:32]
    return kept(f"channels:count:{generation}:{query}", queryset.count)


def kept_counts_forget() -> None:
    """Renew the generation of the kept counts only: for a change (a handover, a sign-off) that
    moves a list's count but no channel's platform or state."""
    forget(GENERATION_KEY)


def channel_counts_forget() -> None:
    """Drop the cached counts and renew the generation of the kept ones (`forget`)."""
    forget(CACHE_KEY, GENERATION_KEY)
