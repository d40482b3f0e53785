"""Every list page the benchmark measures (umusocial.bench.pages) costs the same number of
queries with 10 rows as with 200: the shape that keeps a page flat however big the registry
(docs/benchmarks.md has the times). Built with the benchmark's own generator
(umusocial.bench.data), so every state, deputy, audit entry and object permission is there."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from umusocial.bench.data import add_channels, make_world
from umusocial.bench.pages import PAGES, Targets

# Each list page, and what its address needs so that the 10 channels already fill it.
LISTS = {
    "Komm's overview": "",
    "Komm's handovers list": "",
    "Komm's queue": "?state=all",
    "Komm's register": "",
    "Komm's moderation list": "",
    "Komm's campaign notices": "",
    "Komm's ad orders": "",
    "My channels (owner of 200)": "",
    "admin channel list": "",
    "admin search": "",
    "public directory": "",
    "API channel list": "",
}


ONCE_PER_KIND = 2


def targets() -> Targets:
    """What the lists' paths need (the search word); the rest is for the other pages."""
    return Targets(
        owner_channel=0,
        owner_draft=0,
        draft_address="",
        awaiting_komm=0,
        platform=0,
        address="",
        search="bench_1",
    )


def queries(client, path: str) -> int:
    client.get(path)  # warm the session, the permission and the counts caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize("page", [p for p in PAGES if p.name in LISTS], ids=lambda p: p.name)
def test_a_list_costs_the_same_queries_for_10_and_200_rows(client, db, page):
    world = make_world(200)  # the owner owns every channel, up to 200
    if page.who != "anonymous":
        client.force_login(get_user_model().objects.get(username=f"bench-{page.who}"))
    counts = {}
    for start, stop in [(0, 10), (10, 200)]:
        add_channels(world, start, stop)
        counts[stop] = queries(client, page.path(targets()) + LISTS[page.name])
    # An N+1 shows as one query more per row (the moderation list's channel filter was 190
    # more). What may differ is a query that runs once when the first row of its kind is on the
    # page (a prefetch for open handovers, the count of an overview list once it is cut).
    assert abs(counts[200] - counts[10]) <= ONCE_PER_KIND, counts
