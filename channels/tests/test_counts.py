"""channels.counts: the counts by platform and state are read once, kept while nothing changes,
and right again at once when a channel is saved or deleted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from channels.counts import channel_count, channel_counts, kept_count, kept_counts_forget
from channels.models import Channel
from channels.testing.factories import ChannelFactory, platform

S = Channel.State
pytestmark = pytest.mark.django_db


def test_counts_are_read_once_and_follow_every_change(owner):
    youtube = platform("youtube")
    channel = ChannelFactory(
        created_by=owner, platform=youtube, state=S.ACTIVE, address_is_planned=False
    )
    ChannelFactory(created_by=owner, state=S.DRAFT)
    assert channel_count() == 2

    with CaptureQueriesContext(connection) as kept:
        assert channel_count(states=[S.ACTIVE], platform_id=youtube.pk) == 1
    assert len(kept) == 0

    channel.state = S.CLOSED
    channel.save()
    assert channel_count(states=[S.ACTIVE]) == 0
    assert channel_count(states=[S.CLOSED], platform_id=youtube.pk) == 1

    channel.delete()
    assert channel_count() == 1
    assert channel_counts() == {(Channel.objects.get().platform_id, S.DRAFT): 1}


def test_a_count_is_narrowed_by_states_and_platform(owner):
    youtube, vimeo = platform("youtube"), platform("vimeo")
    for plat, state in [(youtube, S.ACTIVE), (youtube, S.CLOSED), (vimeo, S.ACTIVE)]:
        ChannelFactory(created_by=owner, platform=plat, state=state, address_is_planned=False)

    assert channel_count(states=[S.ACTIVE]) == 2
    assert channel_count(states=[S.ACTIVE, S.CLOSED], platform_id=youtube.pk) == 2
    assert channel_count(platform_id=vimeo.pk) == 1
    assert channel_count(states=[S.DRAFT]) == 0


def test_a_kept_count_is_counted_once_until_a_channel_changes(owner):
    drafts = Channel.objects.filter(state=S.DRAFT)
    ChannelFactory(created_by=owner, state=S.DRAFT)
    assert kept_count(drafts) == 1

    with CaptureQueriesContext(connection) as kept:
        assert kept_count(drafts) == 1
    assert len(kept) == 0

    ChannelFactory(created_by=owner, state=S.DRAFT)
    assert kept_count(drafts) == 2


def test_forgetting_the_kept_counts_leaves_the_counts_by_state(owner):
    ChannelFactory(created_by=owner, state=S.DRAFT)
    drafts = Channel.objects.filter(state=S.DRAFT)
    kept_count(drafts), channel_counts()

    kept_counts_forget()  # a handover or a sign-off changed (approvals.overview.signals)

    with CaptureQueriesContext(connection) as recounted:
        assert kept_count(drafts) == 1
        assert channel_count() == 1
    assert len(recounted) == 1  # the list's count; the counts by state were kept
