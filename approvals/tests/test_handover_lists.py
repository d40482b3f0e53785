"""The handovers as lists: the channel page's section, "My channels" and Komm's list of
pending handovers and flagged channels, each paginated at a constant number of queries. The
handover's own pages: test_handover_views.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.handover.views import FLAGGED_PAGE_SIZE, HANDOVERS_PAGE_SIZE
from approvals.models import Handover
from approvals.testing.handover import handover_in, start
from approvals.testing.lifecycle import activate
from channels.models import Channel
from channels.testing.factories import ChannelFactory

pytestmark = pytest.mark.django_db

State = Handover.State


def running_channel(owner, **fields):
    """An active channel of `owner`'s, opened at its live address (for Komm's lists)."""
    return ChannelFactory(
        created_by=owner, state=Channel.State.ACTIVE, address_is_planned=False, **fields
    )


def test_the_channel_page_offers_a_handover_to_its_people(client, active, owner, deputy):
    client.force_login(owner)
    page = client.get(active.get_absolute_url()).content.decode()
    assert "Handover of responsibility" in page
    assert reverse("approvals:handover_start", args=[active.pk]) in page


def test_no_handover_button_on_a_draft(client, draft, owner):
    client.force_login(owner)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("approvals:handover_start", args=[draft.pk]) not in page


def test_the_channel_page_shows_the_open_handover_and_the_history(
    client, active, owner, deputy, komm, newcomer
):
    first = start(active, owner, newcomer)
    client.force_login(owner)
    client.post(reverse("approvals:handover_cancel", args=[first.pk]), {"cancel-reason": "No."})
    second = start(active, deputy, newcomer)
    Channel.objects.filter(pk=active.pk).update(needs_handover_since=timezone.now())

    client.force_login(komm)
    page = client.get(active.get_absolute_url()).content.decode()

    assert "A handover to Nils Nyman is under way: Awaiting head of department." in page
    assert reverse("approvals:handover", args=[second.pk]) in page
    assert reverse("approvals:handover", args=[first.pk]) in page  # in the history
    assert "Cancelled" in page
    assert "Needs a handover:" in page
    assert reverse("approvals:handover_start", args=[active.pk]) not in page  # one is open


def test_my_channels_lists_handovers_waiting_for_the_new_person(client, active, owner, newcomer):
    handover = handover_in(State.AWAITING_ACCEPTANCE, active, owner, newcomer)
    client.force_login(newcomer)
    page = client.get(reverse("channels:my_channels")).content.decode()
    assert "Handovers waiting for you" in page
    assert reverse("approvals:handover", args=[handover.pk]) in page
    assert "accept the handover" in page

    client.force_login(owner)
    assert (
        "Handovers waiting for you"
        not in client.get(reverse("channels:my_channels")).content.decode()
    )


def test_komms_list_of_pending_handovers_and_flagged_channels(client, komm, owner, newcomer):
    channels = [
        activate(ChannelFactory(created_by=owner, name=f"Kanal {i:02}"), owner=owner, komm=komm)
        for i in range(HANDOVERS_PAGE_SIZE + 1)
    ]
    for channel in channels:
        start(channel, owner, newcomer)
    Handover.objects.filter(channel=channels[-1]).update(
        state=State.COMPLETED, completed_at=timezone.now()
    )
    flagged = activate(ChannelFactory(created_by=owner, name="Flaggad"), owner=owner, komm=komm)
    Channel.objects.filter(pk=flagged.pk).update(needs_handover_since=timezone.now())
    client.force_login(komm)

    page = client.get(reverse("approvals:handovers")).content.decode()

    assert page.count("<h1") == 1
    assert "Kanal 00" in page and "Kanal 24" in page
    assert "Page 1 of 1" not in page and "Kanal 25" not in page  # completed: not pending
    assert "Flaggad" in page
    assert flagged.get_absolute_url() in page

    Handover.objects.filter(channel=channels[0]).update(state=State.CANCELLED)
    start(flagged, owner, newcomer)
    page = client.get(reverse("approvals:handovers")).content.decode()
    assert "Kanal 00" not in page


def open_handovers(n: int, owner, newcomer) -> None:
    """n running channels of `owner`'s, each with a handover to `newcomer` just started."""
    for i in range(n):
        Handover.objects.create(
            channel=running_channel(owner, name=f"Kanal {i:02}"),
            previous_responsible=owner,
            new_responsible=newcomer,
            reason="new_role",
            started_by=owner,
        )


def test_komms_list_is_paginated(client, komm, owner, newcomer):
    open_handovers(HANDOVERS_PAGE_SIZE + 2, owner, newcomer)
    client.force_login(komm)
    first = client.get(reverse("approvals:handovers")).content.decode()
    second = client.get(reverse("approvals:handovers") + "?page=2").content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert first.count("/approvals/handover/") == HANDOVERS_PAGE_SIZE
    assert second.count("/approvals/handover/") == 2


def test_listing_handovers_costs_the_same_for_few_and_many(
    client, komm, owner, newcomer, django_assert_max_num_queries
):
    client.force_login(komm)
    open_handovers(2, owner, newcomer)

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("approvals:handovers"))
    open_handovers(10, owner, newcomer)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("approvals:handovers"))
    assert len(few) == len(many)


def test_the_flagged_channels_have_pages_of_their_own(client, komm, owner):
    for i in range(FLAGGED_PAGE_SIZE + 2):
        channel = running_channel(owner, name=f"Flaggad {i:02}")
        Channel.objects.filter(pk=channel.pk).update(
            needs_handover_since=timezone.now() - timedelta(days=100 - i)
        )
    client.force_login(komm)
    url = reverse("approvals:handovers")

    first = client.get(url).content.decode()
    second = client.get(url, {"flagged": 2, "page": 1}).content.decode()

    assert "Flaggad 00" in first and f"Flaggad {FLAGGED_PAGE_SIZE - 1:02}" in first
    assert f"Flaggad {FLAGGED_PAGE_SIZE:02}" not in first
    assert 'aria-label="Pages of the flagged channels"' in first
    assert "?flagged=2" in first  # its links turn its own pages, not the handovers'
    assert f"Flaggad {FLAGGED_PAGE_SIZE + 1:02}" in second and "Flaggad 00" not in second
    assert "?flagged=1&amp;page=1" in second  # and keep the other list's page
