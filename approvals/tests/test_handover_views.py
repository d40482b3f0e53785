"""The handover pages: the permission matrix (every view × every persona, plus the new person),
starting, following and finishing a handover through HTTP, the head of department's page for a
handover, the channel page's section, "My channels" and Komm's list."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from approvals.audit import Event
from approvals.handover.services import handover_accept, handover_tick_step
from approvals.handover.views import FLAGGED_PAGE_SIZE, HANDOVERS_PAGE_SIZE
from approvals.models import Handover
from approvals.testing.handover import STEP_NAMES, accepted, approved, start
from approvals.testing.lifecycle import activate
from approvals.testing.links import handover_link
from channels.models import Channel
from channels.testing.factories import ChannelFactory
from core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

State = Handover.State
PERSONAS = ("anonymous", "owner", "deputy", "colleague", "komm", "admin_user", "newcomer")
LOGIN = "302 → login"
DONE = "302 done"  # the POST acted: back to the handover's page, and the change is stored


@pytest.fixture
def active(draft, owner, komm):
    return activate(draft, owner=owner, komm=komm)


def handover_in(state: str, channel: Channel, owner, newcomer) -> Handover:
    handover = start(channel, owner, newcomer)
    if state == State.AWAITING_ACCEPTANCE:
        approved(handover)
    elif state == State.IN_PROGRESS:
        accepted(handover)
    assert handover.state == state
    return handover


# --- The permission matrix -------------------------------------------------------------------

# fmt: off
MATRIX = [
    #  view,                      on,         method, handover state,
    #  (anonymous, owner, deputy, colleague, komm, admin_user, newcomer), POST data, then
    ("approvals:handover_start",  "channel",  "GET",  None,
     (LOGIN, 200, 200, 404, 200, 200, 404), None, None),
    # The new person reaches the handover before they may see the channel.
    ("approvals:handover",        "handover", "GET",  State.AWAITING_PREFECT,
     (LOGIN, 200, 200, 404, 200, 200, 200), None, None),
    ("approvals:handover_accept", "handover", "POST", State.AWAITING_ACCEPTANCE,
     (LOGIN, 403, 403, 404, 403, 403, DONE), {}, State.IN_PROGRESS),
    ("approvals:handover_step",   "handover", "POST", State.IN_PROGRESS,
     (LOGIN, DONE, DONE, 404, 403, 403, DONE), {"step": "password_changed_at"}, "ticked"),
    ("approvals:handover_cancel", "handover", "POST", State.AWAITING_PREFECT,
     (LOGIN, DONE, 403, 404, DONE, DONE, 403), {"cancel-reason": "Wrong person."},
     State.CANCELLED),
    ("approvals:handover_resend", "handover", "POST", State.AWAITING_PREFECT,
     (LOGIN, DONE, DONE, 404, DONE, DONE, 403), {}, "resent"),
    ("approvals:handovers",       None,       "GET",  None,
     (LOGIN, 403, 403, 403, 200, 200, 403), None, None),
]
# fmt: on


def running_channel(owner, **fields):
    """An active channel of `owner`'s, opened at its live address (for Komm's lists)."""
    return ChannelFactory(
        created_by=owner, state=Channel.State.ACTIVE, address_is_planned=False, **fields
    )


def _cells():
    return [
        pytest.param(row, persona, expected, id=f"{row[0]} {row[2]}-{persona}")
        for row in MATRIX
        for persona, expected in zip(PERSONAS, row[4], strict=True)
    ]


def _snapshot(handover: Handover | None) -> tuple | None:
    if handover is None:
        return None
    handover.refresh_from_db()
    return (
        handover.state,
        handover.password_changed_at,
        sorted(handover.signoffs.values_list("pk", "decision")),
    )


@pytest.mark.parametrize(("row", "persona", "expected"), _cells())
def test_permission_matrix(client, request, row, persona, expected):
    view, on, method, state, _expected, data, then = row
    users = {name: request.getfixturevalue(name) for name in PERSONAS if name != "anonymous"}
    channel = activate(request.getfixturevalue("draft"), owner=users["owner"], komm=users["komm"])
    handover = handover_in(state, channel, users["owner"], users["newcomer"]) if state else None
    args = {"channel": [channel.pk], "handover": [handover.pk] if handover else [], None: []}[on]
    url = reverse(view, args=args)
    if persona != "anonymous":
        client.force_login(users[persona])
    before = _snapshot(handover)

    response = client.post(url, data) if method == "POST" else client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == resolve_url("login")
        assert parse_qs(location.query) == {"next": [url]}
    elif expected == DONE:
        assert response.status_code == 302, response.status_code
        assert response["Location"] == reverse("approvals:handover", args=[handover.pk])
    else:
        assert response.status_code == expected, response.status_code
    after = _snapshot(handover)
    if method == "POST":
        if expected != DONE:
            assert after == before, "refused, yet something changed"
        elif then == "ticked":
            assert after[1] is not None
        elif then == "resent":
            assert len(after[2]) == 2 and after[2] != before[2]
        else:
            assert after[0] == then


# --- Starting ----------------------------------------------------------------------------------


def test_the_start_form(client, active, owner):
    client.force_login(owner)
    response = client.get(reverse("approvals:handover_start", args=[active.pk]))
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert f"Hand over “{active.name}”" in page
    for label in ("E-mail of the new responsible person", "E-mail of new deputy 1", "Reason"):
        assert label in page
    assert "never stores, a password or a recovery code" in page
    assert "David Deputy (david@umu.se)" in page  # the current deputies


def test_starting_a_handover(client, active, owner, newcomer):
    client.force_login(owner)
    response = client.post(
        reverse("approvals:handover_start", args=[active.pk]),
        {
            "new_responsible_email": "NILS@umu.se",
            "new_responsible_phone": "090-786 11 11",
            "reason": Handover.Reason.LEAVING,
            "reason_text": "",
        },
        follow=True,
    )
    handover = Handover.objects.get()
    assert response.redirect_chain == [(reverse("approvals:handover", args=[handover.pk]), 302)]
    assert handover.new_responsible == newcomer
    assert handover.reason == Handover.Reason.LEAVING
    assert handover.state == State.AWAITING_PREFECT
    page = response.content.decode()
    assert "has been e-mailed a link to appoint Nils Nyman" in page
    assert "Waiting for Petra Prefekt" in page
    assert "Send a new link to the head of department" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_responsible_email": "nils@gmail.com"}, "Use a university e-mail address"),
        ({"new_responsible_email": "anna@umu.se"}, "must be someone else"),
        ({"deputy_1_email": "nils@umu.se"}, "cannot also be a deputy"),
        ({"reason": "other"}, "Say what the reason is."),
        ({"new_responsible_phone": ""}, "This field is required."),
    ],
)
def test_bad_input_says_what_is_wrong_and_starts_nothing(
    client, active, owner, newcomer, data, message
):
    client.force_login(owner)
    values = {
        "new_responsible_email": "nils@umu.se",
        "new_responsible_phone": "090-786 11 11",
        "reason": Handover.Reason.NEW_ROLE,
        **data,
    }
    response = client.post(reverse("approvals:handover_start", args=[active.pk]), values)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert message in page
    assert not Handover.objects.exists()


def test_a_second_handover_names_the_open_one(client, active, owner, deputy, newcomer):
    start(active, owner, newcomer)
    UserFactory(email="sara@umu.se")
    client.force_login(deputy)
    response = client.post(
        reverse("approvals:handover_start", args=[active.pk]),
        {
            "new_responsible_email": "sara@umu.se",
            "new_responsible_phone": "1",
            "reason": "new_role",
        },
    )
    assert response.status_code == 400
    assert "A handover of this channel to Nils Nyman is already open" in response.content.decode()
    assert Handover.objects.count() == 1


def test_a_channel_not_running_cannot_be_handed_over(client, draft, owner):
    client.force_login(owner)
    response = client.get(reverse("approvals:handover_start", args=[draft.pk]), follow=True)
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert "Only an approved or active channel can be handed over." in response.content.decode()


def test_posting_the_start_form_for_a_channel_not_running_is_refused_by_the_service(
    client, draft, owner, newcomer
):
    # The view no longer checks the state before it acts; the service's refusal reads the same.
    client.force_login(owner)
    response = client.post(
        reverse("approvals:handover_start", args=[draft.pk]),
        {
            "new_responsible_email": "nils@umu.se",
            "new_responsible_phone": "090-786 11 11",
            "reason": Handover.Reason.NEW_ROLE,
        },
        follow=True,
    )
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    assert "Only an approved or active channel can be handed over." in response.content.decode()
    assert not Handover.objects.exists()


# --- The head of department's page for a handover -----------------------------------------------


def test_the_signoff_page_asks_to_appoint_the_new_person(client, active, owner, newcomer):
    handover = start(active, owner, newcomer, new_deputies=[UserFactory(email="nadia@umu.se")])
    url = reverse("approvals:signoff", args=[handover_link(handover)])

    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert f"Appoint a new responsible person: {active.name}" in page
    assert f"Appoint Nils Nyman as responsible for “{active.name}” (replacing Anna Ägare)." in page
    assert "Anna moves to the faculty office." in page
    assert "New role or tasks" in page
    assert "I appoint Nils Nyman as responsible for the channel" in page
    assert "nadia@umu.se" in page
    assert "Approve new channel" not in page
    handover.refresh_from_db()
    assert handover.state == State.AWAITING_PREFECT  # looking is not deciding


def test_the_prefect_approves_a_handover_through_the_page(client, active, owner, newcomer):
    handover = start(active, owner, newcomer)
    url = reverse("approvals:signoff", args=[handover_link(handover)])

    response = client.post(url, {"decision": "approve", "approve-appoint": "on"})

    assert response.status_code == 200
    assert "You appointed Nils Nyman as responsible for" in response.content.decode()
    handover.refresh_from_db()
    active.refresh_from_db()
    assert handover.state == State.AWAITING_ACCEPTANCE
    assert active.state == Channel.State.ACTIVE


def test_the_prefect_declines_a_handover_through_the_page(client, active, owner, newcomer):
    handover = start(active, owner, newcomer)
    url = reverse("approvals:signoff", args=[handover_link(handover)])

    response = client.post(url, {"decision": "decline", "decline-reason": "Ask me first."})

    assert "You declined to appoint Nils Nyman" in response.content.decode()
    handover.refresh_from_db()
    assert handover.state == State.DECLINED
    assert handover.signoffs.get().reason == "Ask me first."


def test_a_cancelled_handovers_link_no_longer_works(client, active, owner, newcomer):
    handover = start(active, owner, newcomer)
    url = reverse("approvals:signoff", args=[handover_link(handover)])
    client.force_login(owner)
    client.post(
        reverse("approvals:handover_cancel", args=[handover.pk]), {"cancel-reason": "Oops."}
    )
    client.logout()
    assert client.get(url).status_code == 410


# --- Following the handover ---------------------------------------------------------------------


def test_the_new_person_accepts_and_works_through_the_checklist(
    client, active, owner, deputy, newcomer
):
    handover = handover_in(State.AWAITING_ACCEPTANCE, active, owner, newcomer)
    client.force_login(newcomer)
    url = reverse("approvals:handover", args=[handover.pk])

    page = client.get(url).content.decode()
    assert "Accept the handover" in page
    assert "Mark as done" not in page
    assert active.get_absolute_url() not in page  # no link to a page they may not see yet
    assert (
        "The portal never asks for, and never stores, a password or a recovery code. Hand them "
        "over in person or through the platform's own role settings."
    ) in page

    response = client.post(reverse("approvals:handover_accept", args=[handover.pk]), follow=True)
    page = response.content.decode()
    assert "You accepted the handover." in page
    assert page.count("Mark as done") == len(STEP_NAMES)

    for step in STEP_NAMES[:-1]:
        client.post(reverse("approvals:handover_step", args=[handover.pk]), {"step": step})
    response = client.post(
        reverse("approvals:handover_step", args=[handover.pk]),
        {"step": STEP_NAMES[-1]},
        follow=True,
    )
    page = response.content.decode()
    assert f"Every step is done: Nils Nyman is now responsible for “{active.name}”." in page
    assert "Mark as done" not in page
    handover.refresh_from_db()
    active.refresh_from_db()
    assert handover.state == State.COMPLETED
    assert active.responsible == newcomer
    # Now the channel's page is theirs, and the old responsible person's is gone.
    assert client.get(active.get_absolute_url()).status_code == 200
    client.force_login(owner)
    assert client.get(active.get_absolute_url()).status_code == 404


def test_a_bad_step_changes_nothing(client, active, owner, newcomer):
    handover = handover_in(State.IN_PROGRESS, active, owner, newcomer)
    client.force_login(newcomer)
    response = client.post(
        reverse("approvals:handover_step", args=[handover.pk]), {"step": "password"}, follow=True
    )
    assert "Choose a step of the checklist." in response.content.decode()
    assert not active.audit_entries.filter(action=Event.HANDOVER_STEP).exists()


def test_cancel_without_a_reason_is_refused(client, active, owner, newcomer):
    handover = start(active, owner, newcomer)
    client.force_login(owner)
    response = client.post(reverse("approvals:handover_cancel", args=[handover.pk]), {})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "Say why the handover is cancelled." in page
    handover.refresh_from_db()
    assert handover.state == State.AWAITING_PREFECT


@pytest.mark.parametrize("persona", ["deputy", "newcomer"])
def test_who_may_not_cancel_gets_403_with_or_without_a_reason(
    client, request, active, owner, newcomer, persona
):
    handover = start(active, owner, newcomer)
    client.force_login(request.getfixturevalue(persona))
    url = reverse("approvals:handover_cancel", args=[handover.pk])
    assert client.post(url, {}).status_code == 403
    assert client.post(url, {"cancel-reason": "Mine now."}).status_code == 403
    handover.refresh_from_db()
    assert handover.state == State.AWAITING_PREFECT


def test_a_handover_no_longer_open_is_not_cancelled_nor_resent(client, active, owner, newcomer):
    handover = handover_in(State.AWAITING_ACCEPTANCE, active, owner, newcomer)
    client.force_login(owner)
    response = client.post(reverse("approvals:handover_resend", args=[handover.pk]), follow=True)
    assert response.redirect_chain == [(reverse("approvals:handover", args=[handover.pk]), 302)]
    assert "this cannot be done now" in response.content.decode()
    assert handover.signoffs.count() == 1

    handover_accept(handover=handover, user=newcomer)
    for step in STEP_NAMES:
        handover_tick_step(handover=handover, user=newcomer, step=step)
    response = client.post(
        reverse("approvals:handover_cancel", args=[handover.pk]),
        {"cancel-reason": "Too late."},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("approvals:handover", args=[handover.pk]), 302)]
    assert "this cannot be done now" in response.content.decode()
    handover.refresh_from_db()
    assert handover.state == State.COMPLETED


# --- The channel's page, "My channels", Komm's list ---------------------------------------------


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


def test_komms_list_is_paginated(client, komm, owner, newcomer):
    for i in range(HANDOVERS_PAGE_SIZE + 2):
        channel = running_channel(owner, name=f"Kanal {i:02}")
        Handover.objects.create(
            channel=channel,
            previous_responsible=owner,
            new_responsible=newcomer,
            reason="new_role",
            started_by=owner,
        )
    client.force_login(komm)
    first = client.get(reverse("approvals:handovers")).content.decode()
    second = client.get(reverse("approvals:handovers") + "?page=2").content.decode()
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert first.count("/approvals/handover/") == HANDOVERS_PAGE_SIZE
    assert second.count("/approvals/handover/") == 2


def test_listing_handovers_costs_the_same_for_few_and_many(
    client, komm, owner, newcomer, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            channel = running_channel(owner)
            Handover.objects.create(
                channel=channel,
                previous_responsible=owner,
                new_responsible=newcomer,
                reason="new_role",
                started_by=owner,
            )

    client.force_login(komm)
    add(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("approvals:handovers"))
    add(10)
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
