"""The hot queries of the busy pages use their indexes on PostgreSQL (the migrations of issue 11:
channels 0013 and 0014, approvals 0008, core 0003), so that they stay flat at 100,000 channels.

The registry is the benchmark's (umusocial.bench.data), small; on a small table the planner
rightly prefers reading it whole, so each plan is asked with sequential scans discouraged
(`SET LOCAL enable_seqscan = off`, and sorting too, so that an index in a list's order is
preferred if there is one): an index that is missing, or a query that cannot use one, still
shows as a Seq Scan or without the index."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import QuerySet

from approvals.handover.flagging import channels_with_departed_people
from approvals.handover.selectors import channels_flagged_for_handover, handovers_open
from approvals.overview.selectors import (
    overview_closures_in_progress,
    overview_overdue_evaluations,
    overview_pending_signoffs,
)
from approvals.review.selectors import komm_queue
from channels.models import Channel
from channels.public.selectors import public_channels, public_channels_after
from channels.selectors import channels_matching, channels_of_user
from channels.services import channel_duplicates
from channels.testing.factories import platform
from core.testing.environment import need
from umusocial.bench.data import build


@pytest.fixture
def registry(db):
    need("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://...")
    build(1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan(queryset: QuerySet) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")  # an index in the list's order, if any
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


HOT = {
    "flagged channels": (lambda: channels_flagged_for_handover()[:20], "channel_flagged_idx"),
    "evaluations past their date": (
        lambda: overview_overdue_evaluations(today=date(2026, 11, 30))[:20],
        "channel_running_evaluation_idx",
    ),
    "Komm's queue": (lambda: komm_queue()[:25], "channel_state_waiting_idx"),
    "open handovers": (lambda: handovers_open()[:20], "handover_open_idx"),
    # Either partial index of the pending links will do: both hold only those.
    "pending sign-offs": (
        lambda: overview_pending_signoffs()[:20],
        ("signoff_pending_idx", "signoff_one_pending_per_channel"),
    ),
    "closures in progress": (
        lambda: overview_closures_in_progress()[:20],
        "closure_in_progress_idx",
    ),
    "the admin's order": (
        lambda: Channel.objects.order_by("name", "pk")[:100],
        "channel_name_idx",
    ),
}


def test_the_hot_queries_read_their_indexes(registry):
    missing = {}
    for name, (query, indexes) in HOT.items():
        text = plan(query())
        if not any(index in text for index in ([indexes] if isinstance(indexes, str) else indexes)):
            missing[name] = text
    assert missing == {}

    # The API's keyset pages start reading the name's index at their position, however deep
    # (an offset sorts or reads every public channel before it: 230 ms at 90,000).
    name, pk = Channel.objects.order_by("name", "pk").values_list("name", "pk")[800]
    text = plan(public_channels_after(public_channels(), name=name, pk=pk)[:51])
    assert "channel_name_idx" in text
    assert "Index Cond: ((name)::text >= " in text

    # The duplicate check of the wizard and the admin.
    duplicates = channel_duplicates(platform=platform("instagram"), address="instagram.com/umu")
    assert "channel_platform_address_idx" in plan(duplicates[:1])

    # The admin's search.
    text = plan(Channel.objects.filter(pk__in=channels_matching("fysik")))
    assert "Seq Scan" not in text
    assert "channel_address_trgm_idx" in text  # the name's is there too, but at 1,000 rows the
    # planner rightly reads the name's b-tree whole instead

    # My channels: found by primary key (the page then sorts its few hundred by name).
    owner = get_user_model().objects.get(username="bench-owner")
    text = plan(channels_of_user(owner).order_by())
    assert "Seq Scan on channels_channel" not in text
    assert "channels_channel_pkey" in text


def test_finding_channels_whose_people_left_starts_from_the_people(registry):
    text = plan(channels_with_departed_people())
    assert "channels_channel_responsible_id" in text, text
    assert "channels_deputyship_user_id" in text, text
