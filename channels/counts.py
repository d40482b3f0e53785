"""How many channels there are, by platform and state: read by Komm's overview, register and
queue, and the public directory and API, on every view.

Counting reads every channel (a GROUP BY over the whole table, 130 ms at 100,000 channels), so
the counts are kept in the cache for REGISTRY_COUNTS_SECONDS and forgotten whenever a channel is
saved or deleted (`channels.signals`), in the process that changed it at once and again when its
transaction commits. Another web process may show counts up to REGISTRY_COUNTS_SECONDS old, and
so may every process after a bulk `update()` (which sends no signal). Chosen over a counter
table kept in the same transaction, which every path that changes a channel (services, the
admin, data migrations, bulk updates) would have to keep right; and over PostgreSQL's estimate,
because Komm reads exact numbers. The lists themselves are always read fresh.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count

from channels.models import Channel

CACHE_KEY = "channels:counts"


def channel_counts() -> dict[tuple[int, str], int]:
    """{(platform id, state): number of channels}, from the cache or by one query."""
    counts = cache.get(CACHE_KEY)
    if counts is None:
        rows = (
            Channel.objects.order_by().values_list("platform_id", "state").annotate(n=Count("pk"))
        )
        counts = {(platform, state): n for platform, state, n in rows}
        cache.set(CACHE_KEY, counts, settings.REGISTRY_COUNTS_SECONDS)
    return counts


def channel_count(*, states: Iterable[str] | None = None, platform_id: int | None = None) -> int:
    """How many channels are in `states` (all if None) on the platform (any if None)."""
    wanted = None if states is None else set(states)
    return sum(
        n
        for (platform, state), n in channel_counts().items()
        if (wanted is None or state in wanted) and platform_id in (None, platform)
    )


def channel_counts_forget() -> None:
    """Drop the cached counts: now, and again once the transaction commits (a request reading
    in between would otherwise cache what it saw before the commit)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
