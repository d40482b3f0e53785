"""The handover pages: the permission matrix (every view × every persona, plus the new person),
starting, following and finishing a handover through HTTP, and the head of department's page
for a handover. The lists (the channel page's section, "My channels", Komm's list):
test_handover_lists.py."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.shortcuts import resolve_url
from django.urls import reverse

from approvals.audit import Event
from approvals.handover.services import handover_accept, handover_tick_step
from approvals.models import Handover
from approvals.testing.handover import STEP_NAMES, handover_in, start
from approvals.testing.lifecycle import activate
from approvals.testing.links import handover_link
from channels.models import Channel
from core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

State = Handover.State
PERSONAS = ("anonymous", "owner", "deputy", "colleague", "komm", "admin_user", "newcomer")
LOGIN = "302 → login"
DONE = "302 done"  # the POST acted: back to the handover's page, and the change is stored


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
