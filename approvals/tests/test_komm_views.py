"""Komm's queue and review pages: who may see them, the filters, and deciding through the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.audit import Event
from approvals.models import KommReview, PrefectSignoff
from approvals.review.services import review_decide
from approvals.signoff.services import channel_submit, signoff_approve
from channels.audit import action_label
from channels.counts import channel_counts_forget
from channels.models import Channel
from channels.testing.factories import ChannelFactory, UnitFactory, platform
from core.models import OutgoingEmail
from core.testing.factories import UserFactory

State = Channel.State
QUEUE = reverse("approvals:queue")


def to_prefect(channel: Channel) -> Channel:
    """Submit through the real service: the channel awaits the head of department."""
    channel_submit(channel=channel, submitted_by=channel.responsible)
    channel.refresh_from_db()
    return channel


def to_komm(channel: Channel) -> Channel:
    """Submit, and the head of department approves: the channel awaits Komm."""
    to_prefect(channel)
    signoff_approve(signoff=channel.signoffs.get(decision=PrefectSignoff.Decision.PENDING))
    channel.refresh_from_db()
    return channel


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def waiting(draft):
    """The owner's channel, approved by the head of department, waiting for Komm."""
    return to_komm(draft)


def review_url(channel: Channel) -> str:
    return reverse("approvals:review", args=[channel.pk])


# --- Who may see the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("page", ["queue", "review"])
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
def test_permission_matrix(client, request, waiting, page, persona, expected):
    url = QUEUE if page == "queue" else review_url(waiting)
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == expected
    if persona is None:
        assert response["Location"] == f"{reverse('login')}?next={url}"


def test_staff_without_komm_permission_get_403_even_if_staff(client, waiting):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(QUEUE).status_code == 403
    assert client.post(review_url(waiting), {"decision": "approved"}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.state == State.AWAITING_KOMM


def test_komm_sees_the_queue_in_the_menu(client, komm, colleague):
    client.force_login(komm)
    assert QUEUE in client.get(reverse("channels:my_channels")).content.decode()
    client.force_login(colleague)
    assert QUEUE not in client.get(reverse("channels:my_channels")).content.decode()


# --- The queue ---------------------------------------------------------------------------------


def test_empty_queue_says_nothing_is_waiting(client, komm):
    client.force_login(komm)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert "Nothing is waiting for Komm" in response.content.decode()


def test_queue_lists_channels_awaiting_komm_by_default(client, komm, waiting, owner):
    elsewhere = to_prefect(ChannelFactory(name="Still with the prefect"))
    client.force_login(komm)
    response = client.get(QUEUE)
    page = response.content.decode()
    assert [c.pk for c in response.context["channels"]] == [waiting.pk]
    assert f'href="{review_url(waiting)}"' in page
    assert waiting.name in page
    assert elsewhere.name not in page
    assert waiting.platform.name in page
    assert str(waiting.responsible_unit) in page
    assert "Anna Ägare" in page
    assert waiting.prefect_approved_on.isoformat() in page  # <time datetime="...">
    assert "Nothing is waiting" not in page
    assert "<caption id=" in page and 'scope="col"' in page


def test_filter_by_state(client, komm, waiting):
    with_prefect = to_prefect(ChannelFactory(name="With the prefect"))
    client.force_login(komm)
    response = client.get(QUEUE, {"state": State.AWAITING_PREFECT})
    assert [c.pk for c in response.context["channels"]] == [with_prefect.pk]
    response = client.get(QUEUE, {"state": "all"})
    assert {c.pk for c in response.context["channels"]} == {waiting.pk, with_prefect.pk}
    # A draft is nobody's business in the queue, even under "all".
    ChannelFactory(name="A draft")
    response = client.get(QUEUE, {"state": "all"})
    assert "A draft" not in response.content.decode()


def test_approved_and_changes_requested_filters(client, komm):
    approved = to_komm(ChannelFactory(name="Approved one"))
    changes = to_komm(ChannelFactory(name="Needs changes"))
    review_decide(channel=approved, reviewer=komm, decision="approved")
    review_decide(channel=changes, reviewer=komm, decision="changes_requested", comment="Fix.")
    client.force_login(komm)
    names = lambda state: [c.name for c in client.get(QUEUE, {"state": state}).context["channels"]]  # noqa: E731
    assert names(State.APPROVED) == ["Approved one"]
    assert names(State.CHANGES_REQUESTED) == ["Needs changes"]
    assert names(State.AWAITING_KOMM) == []


def test_filter_by_platform_and_unit(client, komm):
    unit = UnitFactory(name="Institutionen för fysik")
    on_facebook = to_komm(
        ChannelFactory(
            name="On Facebook",
            platform=platform("facebook"),
            address="https://www.facebook.com/umu.fysik",
        )
    )
    in_unit = to_komm(ChannelFactory(name="In physics", sender_unit=unit))
    client.force_login(komm)
    response = client.get(QUEUE, {"platform": platform("facebook").pk})
    assert [c.pk for c in response.context["channels"]] == [on_facebook.pk]
    response = client.get(QUEUE, {"unit": unit.pk})
    assert [c.pk for c in response.context["channels"]] == [in_unit.pk]
    # Both filters together, and no match.
    response = client.get(QUEUE, {"unit": unit.pk, "platform": platform("facebook").pk})
    assert list(response.context["channels"]) == []
    assert "No channels match these filters" in response.content.decode()


def test_search_by_name_and_address(client, komm):
    to_komm(ChannelFactory(name="Fysikens Instagram", address="https://www.instagram.com/umu_fys"))
    to_komm(ChannelFactory(name="Kemi", address="https://www.instagram.com/kemi_umea"))
    client.force_login(komm)
    found = lambda q: [c.name for c in client.get(QUEUE, {"q": q}).context["channels"]]  # noqa: E731
    assert found("fysikens") == ["Fysikens Instagram"]
    assert found("kemi_umea") == ["Kemi"]
    assert found("nothing like it") == []


def test_sorted_by_waiting_time_oldest_first_and_toggled(client, komm):
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=10), tick=False):
        oldest = to_komm(ChannelFactory(name="B oldest"))
    with time_machine.travel(start - timedelta(days=1), tick=False):
        newest = to_komm(ChannelFactory(name="A newest"))
    with time_machine.travel(start - timedelta(days=5), tick=False):
        middle = to_komm(ChannelFactory(name="C middle"))
    client.force_login(komm)
    response = client.get(QUEUE)
    assert [c.pk for c in response.context["channels"]] == [oldest.pk, middle.pk, newest.pk]
    assert "1\xa0week, 3\xa0days ago" in response.content.decode()  # naturaltime
    response = client.get(QUEUE, {"sort": "newest"})
    assert [c.pk for c in response.context["channels"]] == [newest.pk, middle.pk, oldest.pk]
    # The column header offers the other order and keeps the filters.
    assert "?sort=oldest" in response.content.decode()


def test_pagination_keeps_filters(client, komm):
    unit = UnitFactory(name="Stor enhet")
    p = platform()
    user = UserFactory()
    now = timezone.now()
    Channel.objects.bulk_create(
        ChannelFactory.build(
            name=f"Kanal {i:02}",
            platform=p,
            created_by=user,
            sender_unit=unit,
            state=State.AWAITING_KOMM,
            state_changed_at=now - timedelta(hours=i),
        )
        for i in range(30)
    )
    ChannelFactory(name="Elsewhere")  # another unit: filtered out
    client.force_login(komm)
    response = client.get(QUEUE, {"unit": unit.pk})
    assert len(response.context["channels"]) == 25
    page = response.content.decode()
    # Oldest first: Kanal 29 waited longest.
    assert response.context["channels"][0].name == "Kanal 29"
    # The link to the next page keeps the filter.
    next_links = re.findall(r'href="([^"]*page=2[^"]*)"', page)
    assert next_links
    assert all(f"unit={unit.pk}" in link for link in next_links)
    response = client.get(QUEUE, {"unit": unit.pk, "page": 2})
    assert [c.name for c in response.context["channels"]] == [
        f"Kanal {i:02}" for i in range(4, -1, -1)
    ]
    # A page past the end shows the last page rather than an error.
    assert client.get(QUEUE, {"unit": unit.pk, "page": 99}).context["page_obj"].number == 2


def test_counts_per_state_are_shown(client, komm, waiting):
    to_komm(ChannelFactory())
    to_prefect(ChannelFactory())
    ChannelFactory()  # a draft is not counted
    client.force_login(komm)
    response = client.get(QUEUE)
    tabs = {tab["value"]: tab["count"] for tab in response.context["state_tabs"]}
    assert tabs == {
        State.AWAITING_PREFECT: 1,
        State.AWAITING_KOMM: 2,
        State.CHANGES_REQUESTED: 0,
        State.APPROVED: 0,
        "all": 3,
    }
    page = response.content.decode()
    assert 'href="?state=awaiting_prefect"' in page
    assert 'aria-current="page"' in page
    # A screen reader hears each count with its noun, in the singular for one.
    hidden = re.findall(r'<span class="visually-hidden">([^<]*)</span>', page)
    assert "1 channel" in hidden and "2 channels" in hidden and "0 channels" in hidden
    assert "1 channels" not in hidden


def test_bad_filter_values_fall_back_to_defaults(client, komm, waiting):
    client.force_login(komm)
    response = client.get(QUEUE, {"state": "nonsense", "platform": "999999", "sort": "sideways"})
    assert response.status_code == 200
    assert [c.pk for c in response.context["channels"]] == [waiting.pk]


def test_queue_query_count_does_not_grow_with_the_rows(client, komm):
    """Prevents the N+1 of the queue's rows: each row shows its platform, responsible unit and
    responsible person, which without select_related cost three queries per row."""
    p = platform()
    unit = UnitFactory()
    client.force_login(komm)

    def make(n: int) -> None:
        users = [UserFactory() for _ in range(3)]
        Channel.objects.bulk_create(
            ChannelFactory.build(
                platform=p,
                created_by=users[i % 3],
                sender_unit=unit,
                state=State.AWAITING_KOMM,
                state_changed_at=timezone.now() - timedelta(minutes=i),
                prefect_approved_on=timezone.localdate(),
            )
            for i in range(n)
        )
        channel_counts_forget()  # a bulk insert sends no signal (channels.counts)

    def queries() -> int:
        client.get(QUEUE)  # warm caches (content types, permissions) outside the count
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(QUEUE)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["channels"])

    make(10)
    with_10, rows = queries()
    assert rows == 10
    make(190)
    with_200, rows = queries()
    assert rows == 25  # one full page of the 200
    assert with_200 == with_10


# --- The review page ---------------------------------------------------------------------------


def test_review_page_shows_everything(client, komm, waiting):
    client.force_login(komm)
    response = client.get(review_url(waiting))
    page = response.content.decode()
    assert response.status_code == 200
    assert waiting.name in page
    assert waiting.purpose in page
    assert waiting.handover_routine in page
    assert "david@umu.se" in page  # the deputy, from the registration
    # The head of department's decision and its date.
    assert "Petra Prefekt" in page
    assert "Approved" in page
    signoff = waiting.signoffs.get(decision=PrefectSignoff.Decision.APPROVED)
    decided = timezone.localtime(signoff.decided_at).replace(microsecond=0)
    assert f'datetime="{decided.isoformat()}"' in page  # valid HTML: whole seconds
    # The audit trail.
    for entry in waiting.audit_entries.all():
        assert action_label(entry.action) in page
    # The decision form, with its fields labelled.
    assert 'name="decision"' in page
    assert 'for="id_comment"' in page
    assert 'for="id_case_number"' in page
    assert "Required when you request changes or reject" in page


def test_review_page_shows_earlier_reviews(client, komm, waiting, owner):
    review_decide(
        channel=waiting, reviewer=komm, decision="changes_requested", comment="Add a policy URL."
    )
    waiting.refresh_from_db()
    channel_submit(channel=waiting, submitted_by=owner)  # back to Komm: the approval stands
    waiting.refresh_from_db()
    assert waiting.state == State.AWAITING_KOMM
    client.force_login(komm)
    page = client.get(review_url(waiting)).content.decode()
    assert "Add a policy URL." in page
    assert "Karin Komm" in page


@pytest.mark.parametrize(
    ("decision", "comment", "state", "action", "template"),
    [
        ("approved", "", State.APPROVED, Event.KOMM_APPROVED, "review-approved"),
        (
            "changes_requested",
            "Describe the moderation.",
            State.CHANGES_REQUESTED,
            Event.CHANGES_REQUESTED,
            "review-changes-requested",
        ),
        (
            "rejected",
            "We already run this channel.",
            State.REJECTED,
            Event.KOMM_REJECTED,
            "review-rejected",
        ),
    ],
)
def test_decide_through_the_page(
    client, komm, waiting, owner, deputy, decision, comment, state, action, template
):
    client.force_login(komm)
    response = client.post(
        review_url(waiting),
        {"decision": decision, "comment": comment, "case_number": " UmU 1.2.3-456-26 "},
    )
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert any(waiting.name in m and "e-mail" in m for m in page_messages(response))
    waiting.refresh_from_db()
    assert waiting.state == state
    assert waiting.case_number == "UmU 1.2.3-456-26"
    assert (waiting.approved_at is not None) == (decision == "approved")
    review = KommReview.objects.get(channel=waiting)
    assert (review.decision, review.reviewer, review.comment) == (decision, komm, comment)
    entry = waiting.audit_entries.last()
    assert (entry.action, entry.actor, entry.to_state) == (action, komm, state)
    assert entry.reason == comment
    emails = OutgoingEmail.objects.filter(template=template)
    assert sorted(address for e in emails for address in e.to) == sorted(
        [deputy.email, owner.email]
    )


@pytest.mark.parametrize("decision", ["changes_requested", "rejected"])
def test_missing_comment_is_refused_and_nothing_changes(client, komm, waiting, decision):
    audit_before = waiting.audit_entries.count()
    mail_before = OutgoingEmail.objects.count()
    client.force_login(komm)
    response = client.post(
        review_url(waiting), {"decision": decision, "comment": "  ", "case_number": "X-1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'href="#id_comment"' in page
    assert "Write what the owner needs to change, or why the channel is rejected." in page
    waiting.refresh_from_db()
    assert waiting.state == State.AWAITING_KOMM
    assert waiting.case_number == ""
    assert not KommReview.objects.exists()
    assert waiting.audit_entries.count() == audit_before
    assert OutgoingEmail.objects.count() == mail_before


def test_missing_decision_is_refused(client, komm, waiting):
    client.force_login(komm)
    response = client.post(review_url(waiting), {"comment": "Hm."})
    assert response.status_code == 400
    assert 'href="#id_decision_0"' in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == State.AWAITING_KOMM
    assert not KommReview.objects.exists()


def test_deciding_a_channel_not_awaiting_komm_is_refused(client, komm, draft):
    channel = to_prefect(draft)
    client.force_login(komm)
    page = client.get(review_url(channel)).content.decode()
    assert 'name="decision"' not in page
    assert "read-only" in page
    response = client.post(review_url(channel), {"decision": "approved"})
    assert response.status_code == 302
    assert response["Location"] == review_url(channel)
    assert any("Nothing was decided" in m for m in page_messages(response))
    channel.refresh_from_db()
    assert channel.state == State.AWAITING_PREFECT
    assert not KommReview.objects.exists()
    assert not OutgoingEmail.objects.filter(template__startswith="review-").exists()


def test_an_incomplete_decision_on_a_channel_not_awaiting_komm_says_why(client, komm, draft):
    """The form's errors are shown only where a decision could be made; elsewhere the service's
    check says why nothing was decided, as for a complete decision."""
    channel = to_prefect(draft)
    client.force_login(komm)
    response = client.post(review_url(channel), {"comment": "Hm."})
    assert response.status_code == 302
    assert response["Location"] == review_url(channel)
    assert any("Nothing was decided" in m for m in page_messages(response))


def test_deciding_twice_is_refused(client, komm, waiting):
    client.force_login(komm)
    client.post(review_url(waiting), {"decision": "approved"})
    response = client.post(review_url(waiting), {"decision": "rejected", "comment": "No."})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.state == State.APPROVED
    assert KommReview.objects.filter(channel=waiting).count() == 1


def test_a_decision_made_meanwhile_by_someone_else_wins(client, komm, waiting, monkeypatch):
    """Two reviewers open the same page; the second to press the button is told, not obeyed."""
    from approvals.review import views

    colleague_in_komm = UserFactory(username="kalle")
    colleague_in_komm.groups.add(Group.objects.get(name="Komm"))
    real_decide = views.review_decide

    def decided_meanwhile(*, channel, **kwargs):
        other = Channel.objects.get(pk=channel.pk)
        real_decide(channel=other, reviewer=colleague_in_komm, decision="approved")
        return real_decide(channel=channel, **kwargs)

    monkeypatch.setattr(views, "review_decide", decided_meanwhile)
    client.force_login(komm)
    response = client.post(review_url(waiting), {"decision": "rejected", "comment": "No."})
    assert response.status_code == 302
    assert response["Location"] == review_url(waiting)
    # The service reads the stored state under a lock: the page's copy said "awaiting Komm".
    assert any("Nothing was decided" in m for m in page_messages(response))
    waiting.refresh_from_db()
    assert waiting.state == State.APPROVED
    assert list(KommReview.objects.values_list("reviewer__username", "decision")) == [
        ("kalle", "approved")
    ]


def test_review_of_an_unknown_channel_is_404(client, komm):
    client.force_login(komm)
    assert client.get(reverse("approvals:review", args=[999999])).status_code == 404
