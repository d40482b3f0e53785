"""Komm's overview: who may see it, what it counts, where it links, and a bounded number of
queries however big the registry."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.closure.services import closure_start
from approvals.handover.flagging import channels_flag_departed_staff
from approvals.models import Closure, Handover, PrefectSignoff
from approvals.overview.selectors import komm_overview
from approvals.review.services import review_decide
from approvals.signoff.services import channel_submit, signoff_approve
from channels.counts import channel_counts_forget
from channels.models import Channel
from channels.services import channel_mark_opened
from channels.testing.factories import ChannelFactory, platform
from core.testing.factories import UserFactory

State = Channel.State
OVERVIEW = reverse("approvals:overview")


def to_prefect(channel: Channel) -> Channel:
    channel_submit(channel=channel, submitted_by=channel.responsible)
    channel.refresh_from_db()
    return channel


def to_active(channel: Channel, *, reviewer) -> Channel:
    """Through the real services: submitted, approved twice, opened."""
    to_prefect(channel)
    signoff_approve(signoff=channel.signoffs.get(decision=PrefectSignoff.Decision.PENDING))
    channel.refresh_from_db()
    review_decide(channel=channel, reviewer=reviewer, decision="approved")
    channel.refresh_from_db()
    channel_mark_opened(channel=channel, opened_by=channel.responsible, address=channel.address)
    channel.refresh_from_db()
    return channel


def overdue(channel: Channel, days: int = 10) -> Channel:
    """Move the evaluation date into the past (what time passing does to an active channel)."""
    Channel.objects.filter(pk=channel.pk).update(
        next_evaluation_on=timezone.localdate() - datetime.timedelta(days=days)
    )
    channel.refresh_from_db()
    return channel


@pytest.fixture
def active(draft, komm):
    return to_active(draft, reviewer=komm)


# --- Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (None, 302),
        ("owner", 403),
        ("deputy", 403),
        ("colleague", 403),
        ("komm", 200),
        ("admin_user", 200),
    ],
)
def test_permission_matrix(client, request, draft, persona, expected):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(OVERVIEW)
    assert response.status_code == expected
    if persona is None:
        assert response["Location"] == f"{reverse('login')}?next={OVERVIEW}"


def test_komm_finds_the_overview_in_the_menu(client, komm, colleague):
    client.force_login(komm)
    assert f'href="{OVERVIEW}"' in client.get(reverse("channels:my_channels")).text
    client.force_login(colleague)
    assert f'href="{OVERVIEW}"' not in client.get(reverse("channels:my_channels")).text


def test_empty_registry_says_so(client, komm):
    client.force_login(komm)
    page = client.get(OVERVIEW).text
    assert "No evaluation is overdue." in page
    assert "No handover is pending." in page
    assert "No sign-off is pending." in page
    assert "No channel is flagged." in page
    assert "No closure is in progress." in page


# --- Counts and links --------------------------------------------------------------------------


def test_counts_per_state_and_platform(client, komm, owner, active):
    to_prefect(ChannelFactory(created_by=owner, name="Waiting one"))
    ChannelFactory(created_by=owner, platform=platform("facebook"), name="A draft")

    client.force_login(komm)
    response = client.get(OVERVIEW)

    states = {row["state"]: row["count"] for row in response.context["states"]}
    assert states[State.ACTIVE] == 1
    assert states[State.AWAITING_PREFECT] == 1
    assert states[State.DRAFT] == 1
    assert states[State.CLOSED] == 0
    assert response.context["total"] == 3
    platforms = {p.slug: p for p in response.context["platforms"]}
    # Drafts are not counted per platform; Facebook has only a draft.
    assert set(platforms) == {"instagram"}
    assert (platforms["instagram"].running, platforms["instagram"].in_approval) == (1, 1)
    assert platforms["instagram"].total == 2
    page = response.text
    # The charts: one image each, summarised for assistive technology; the tables carry the same.
    assert page.count('role="img"') == 2
    assert "Channels per state. Draft: 1; Awaiting head of department: 1;" in page
    assert "Running channels (approved or active) per platform. Instagram: 1." in page
    assert "<caption" in page
    assert "cdn" not in page.lower()


def test_overdue_evaluations_are_listed_with_links(client, komm, owner, active):
    overdue(active)
    on_time = to_active(ChannelFactory(created_by=owner, name="On time"), reviewer=komm)

    client.force_login(komm)
    response = client.get(OVERVIEW)

    overdue_list = response.context["overdue_evaluations"]
    assert overdue_list["count"] == 1
    assert overdue_list["items"] == [active]
    page = response.text
    assert f'href="{reverse("channels:detail", args=[active.pk])}"' in page
    assert on_time.name not in page


def test_pending_signoffs_link_to_the_review_with_their_age(client, komm, draft):
    channel = to_prefect(draft)
    PrefectSignoff.objects.filter(channel=channel).update(
        requested_at=timezone.now() - datetime.timedelta(days=3)
    )
    client.force_login(komm)
    response = client.get(OVERVIEW)
    assert response.context["pending_signoffs"]["count"] == 1
    page = response.text
    assert f'href="{reverse("approvals:review", args=[channel.pk])}"' in page
    assert "3\xa0days" in page
    assert channel.prefect_email in page


def test_handovers_flags_and_closures_are_listed_with_links(client, komm, owner, deputy, active):
    from approvals.handover.services import handover_start

    newcomer = UserFactory(username="nils", email="nils@umu.se")
    handover = handover_start(
        channel=active,
        started_by=owner,
        new_responsible=newcomer,
        new_responsible_phone="090-786 70 00",
        new_deputies=[],
        reason=Handover.Reason.NEW_ROLE,
    )
    other = to_active(ChannelFactory(created_by=owner, deputies=[deputy]), reviewer=komm)
    closure = closure_start(channel=other, started_by=owner, reason="Not needed.")
    leaving = UserFactory(username="lena")
    flagged = to_active(ChannelFactory(created_by=leaving, name="Lena's channel"), reviewer=komm)
    leaving.is_active = False
    leaving.save()
    channels_flag_departed_staff()

    client.force_login(komm)
    response = client.get(OVERVIEW)

    assert response.context["pending_handovers"]["items"] == [handover]
    assert response.context["closures_in_progress"]["items"] == [closure]
    assert response.context["flagged_channels"]["items"] == [flagged]
    # The handover's sign-off is pending too, and leads to the handover.
    assert response.context["pending_signoffs"]["count"] == 1
    page = response.text
    assert page.count(f'href="{reverse("approvals:handover", args=[handover.pk])}"') == 2
    assert f'href="{reverse("approvals:closure", args=[closure.pk])}"' in page
    assert "0 of 4 steps done" in page
    assert f'href="{reverse("channels:detail", args=[flagged.pk])}"' in page


def test_closed_channels_are_counted_but_not_overdue(client, komm, owner, active):
    overdue(active)
    closure = closure_start(channel=active, started_by=owner, reason="Not needed.")
    Closure.objects.filter(pk=closure.pk).update(
        **{name: timezone.now() for name, _label in Closure.STEPS},
        archive_location="Diariet",
        account_outcome=Closure.AccountOutcome.CLOSED,
    )
    from approvals.closure.services import closure_confirm

    closure_confirm(closure=Closure.objects.get(pk=closure.pk), confirmed_by=komm)
    data = komm_overview(today=timezone.localdate())
    assert data["overdue_evaluations"]["count"] == 0
    assert {r["state"]: r["count"] for r in data["states"]}[State.CLOSED] == 1
    assert data["platforms"][0].closed == 1


# --- Bounded queries ---------------------------------------------------------------------------


def test_lists_are_cut_and_counted(komm, owner):
    for i in range(3):
        overdue(to_active(ChannelFactory(created_by=owner, name=f"Kanal {i}"), reviewer=komm))
    data = komm_overview(today=timezone.localdate(), limit=2)
    assert len(data["overdue_evaluations"]["items"]) == 2
    assert (data["overdue_evaluations"]["count"], data["overdue_evaluations"]["more"]) == (3, 1)


def _fill(owner, komm, deputy, n: int) -> None:
    """n channels of each kind the overview lists."""
    for _i in range(n):
        overdue(to_active(ChannelFactory(created_by=owner, deputies=[deputy]), reviewer=komm))
        to_prefect(ChannelFactory(created_by=owner))
        running = to_active(ChannelFactory(created_by=owner, deputies=[deputy]), reviewer=komm)
        closure_start(channel=running, started_by=owner, reason="Not needed.")


def test_the_page_costs_the_same_queries_for_more_rows(
    client, komm, owner, deputy, django_assert_max_num_queries
):
    """Prevents an N+1 over rows: every row's platform, people and links are joined in, and the
    lists are cut at OVERVIEW_LIST_LIMIT (a cut list costs one count query more, once)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _fill(owner, komm, deputy, 21)  # more than a list shows
    client.force_login(komm)
    client.get(OVERVIEW)  # warm the session and permission caches
    channel_counts_forget()  # as _fill below does: both requests count
    with CaptureQueriesContext(connection) as before:
        client.get(OVERVIEW)
    _fill(owner, komm, deputy, 5)
    with django_assert_max_num_queries(len(before)):
        response = client.get(OVERVIEW)
    assert response.context["overdue_evaluations"]["count"] == 26
    assert response.context["closures_in_progress"]["more"] == 6
    assert "And 6 more, not listed here." in response.text


def test_the_selector_needs_at_most_twelve_queries(
    komm, owner, deputy, django_assert_max_num_queries
):
    _fill(owner, komm, deputy, 21)
    with django_assert_max_num_queries(12):
        komm_overview(today=timezone.localdate())


def test_the_counts_are_kept_between_views_and_follow_a_change_at_once(client, komm, draft):
    """The counts by state and platform read every channel, so they are cached; a channel's
    change forgets them, so Komm never sees a count that ignores what was just done."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(komm)
    client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as cached:
        response = client.get(OVERVIEW)
    assert not any("GROUP BY" in q["sql"] for q in cached.captured_queries)
    counts = {row["state"]: row["count"] for row in response.context["states"]}
    assert counts[State.DRAFT] == 1

    to_prefect(draft)
    response = client.get(OVERVIEW)
    counts = {row["state"]: row["count"] for row in response.context["states"]}
    assert (counts[State.DRAFT], counts[State.AWAITING_PREFECT]) == (0, 1)
