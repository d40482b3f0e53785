"""Reads of the approval workflow: Komm's queue, its counts, and who may ask for a new link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.review.selectors import QUEUE_ALL, komm_queue, komm_queue_counts
from approvals.signoff.selectors import user_may_request_signoff
from channels.models import Channel
from channels.testing.factories import ChannelFactory, UnitFactory, platform

State = Channel.State
pytestmark = pytest.mark.django_db


def make(state: str, *, hours_ago: int = 0, **fields) -> Channel:
    """A channel put straight into a state: these tests are about reading, not about moving."""
    return ChannelFactory(
        state=state, state_changed_at=timezone.now() - timedelta(hours=hours_ago), **fields
    )


def test_queue_defaults_to_awaiting_komm_oldest_first():
    newer = make(State.AWAITING_KOMM, hours_ago=1)
    older = make(State.AWAITING_KOMM, hours_ago=48)
    make(State.AWAITING_PREFECT)
    make(State.DRAFT)
    assert list(komm_queue()) == [older, newer]
    assert list(komm_queue(newest_first=True)) == [newer, older]


def test_channels_without_a_state_change_time_count_as_waiting_longest():
    timed = make(State.AWAITING_KOMM, hours_ago=100)
    untimed = ChannelFactory(state=State.AWAITING_KOMM, state_changed_at=None)
    assert list(komm_queue()) == [untimed, timed]
    assert list(komm_queue(newest_first=True)) == [timed, untimed]


def test_all_lists_the_pipeline_but_not_drafts_or_ends():
    pipeline = {
        make(State.AWAITING_PREFECT),
        make(State.AWAITING_KOMM),
        make(State.CHANGES_REQUESTED),
        make(State.APPROVED),
    }
    make(State.DRAFT)
    make(State.REJECTED)
    make(State.ACTIVE, address_is_planned=False)
    make(State.PREFECT_DECLINED)
    assert set(komm_queue(state=QUEUE_ALL)) == pipeline


def test_filters_by_platform_unit_and_search():
    unit = UnitFactory(name="Umeå centrum för genusstudier")
    wanted = make(
        State.AWAITING_KOMM,
        name="Genus på Facebook",
        platform=platform("facebook"),
        address="https://www.facebook.com/umugenus",
        sender_unit=unit,
    )
    make(State.AWAITING_KOMM, name="Genus på Instagram", sender_unit=unit)
    make(
        State.AWAITING_KOMM,
        name="Annat",
        platform=platform("facebook"),
        address="https://www.facebook.com/annat",
    )
    assert list(komm_queue(platform=platform("facebook"), unit=unit)) == [wanted]
    assert list(komm_queue(search="  GENUS på face ")) == [wanted]
    assert list(komm_queue(search="umugenus")) == [wanted]
    assert len(komm_queue(unit=unit)) == 2


def test_counts_per_state_follow_the_other_filters_in_one_query(django_assert_num_queries):
    unit = UnitFactory()
    make(State.AWAITING_KOMM, sender_unit=unit)
    make(State.AWAITING_KOMM, sender_unit=unit)
    make(State.APPROVED, sender_unit=unit)
    make(State.AWAITING_PREFECT)
    make(State.DRAFT, sender_unit=unit)
    with django_assert_num_queries(1):
        counts = komm_queue_counts(unit=unit)
    assert counts == {
        State.AWAITING_PREFECT: 0,
        State.AWAITING_KOMM: 2,
        State.CHANGES_REQUESTED: 0,
        State.APPROVED: 1,
        QUEUE_ALL: 3,
    }
    assert komm_queue_counts()[QUEUE_ALL] == 4


def test_who_may_request_a_new_signoff_link(owner, deputy, colleague, komm, draft):
    assert user_may_request_signoff(owner, draft)
    assert user_may_request_signoff(deputy, draft)
    assert user_may_request_signoff(komm, draft)
    assert not user_may_request_signoff(colleague, draft)


def test_anonymous_may_not_request_a_signoff_link(draft):
    from django.contrib.auth.models import AnonymousUser

    assert not user_may_request_signoff(AnonymousUser(), draft)
