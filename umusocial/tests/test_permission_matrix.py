"""Who may open what: every view of the core journey × every persona, as one table.

djangoproject.com style: anonymous users are sent to log in, a wrong role gets 403 (or 404 where
the view hides that a channel exists from people with no part in it), the right role gets 200,
or 302 when a POST action succeeds. A failing cell names the view and the persona in its test id,
e.g. ``test_permission_matrix[channels:submit POST-colleague]``.

Channels are brought into each state through the real services, one fresh channel per test, so a
POST cell cannot see what another cell did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from django.shortcuts import resolve_url
from django.urls import reverse

from approvals.models import KommReview, PrefectSignoff
from approvals.review.services import review_decide
from approvals.signoff.services import channel_submit, signoff_approve, signoff_link_value
from approvals.testing.links import latest_link
from channels.models import Channel

pytestmark = pytest.mark.django_db

State = Channel.State

PERSONAS = ("anonymous", "owner", "deputy", "colleague", "komm", "admin_user")

# What a cell expects besides a plain status code.
LOGIN = "302 → login"  # to settings.LOGIN_URL with ?next=<the page>
ADMIN_LOGIN = "302 → admin login"  # the admin's own login page, with ?next=<the page>
DONE = "302 done"  # a POST that acted: back to the channel's page, and the change is stored


# --- URL arguments ---------------------------------------------------------------------------


def no_args(channel: Channel | None) -> list:
    return []


def pk(channel: Channel) -> list:
    return [channel.pk]


def pk_step(step: str) -> Callable[[Channel], list]:
    def args(channel: Channel) -> list:
        return [channel.pk, step]

    return args


def live_address(channel: Channel) -> dict:
    """The open form asks for the live address while the stored one is only planned."""
    return {"address": channel.address}


# --- The matrix ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    view: str
    args: Callable[[Channel | None], list]
    method: str
    # The channel's state before the request; None when the view needs no channel.
    state: str | None
    # One expectation per persona, in the order of PERSONAS.
    expected: tuple
    # For POST rows: the form data, and the state a successful action leaves the channel in.
    data: Callable[[Channel], dict] = field(default=lambda channel: {})
    then: str | None = None
    label: str = ""

    @property
    def name(self) -> str:
        return f"{self.view}{self.label} {self.method}"


# fmt: off
MATRIX = [
    #   view,                     args,              method, state before,
    #   (anonymous,  owner, deputy, colleague,  komm, admin_user)
    Row("channels:my_channels",   no_args,           "GET",  State.DRAFT,
        (LOGIN,       200,   200,    200,         200,   200)),
    Row("channels:new",           no_args,           "GET",  None,
        (LOGIN,       200,   200,    200,         200,   200)),
    # Other staff must not learn that a channel exists (404); Komm and admins see every channel.
    Row("channels:detail",        pk,                "GET",  State.DRAFT,
        (LOGIN,       200,   200,    404,         200,   200)),
    # Only the channel's own people edit it: Komm and superusers see it but may not fill it in.
    Row("channels:step",          pk_step("purpose"), "GET", State.DRAFT,
        (LOGIN,       200,   200,    404,         403,   403), label="[purpose]"),
    Row("approvals:submit",        pk,                "POST", State.DRAFT,
        (LOGIN,       DONE,  DONE,   404,         403,   403), then=State.AWAITING_PREFECT),
    Row("channels:open",          pk,                "POST", State.APPROVED,
        (LOGIN,       DONE,  DONE,   404,         403,   403),
        data=live_address, then=State.ACTIVE),
    # The owner, a deputy or Komm may send the head of department a new link.
    Row("approvals:signoff_resend", pk,              "POST", State.AWAITING_PREFECT,
        (LOGIN,       DONE,  DONE,   404,         DONE,  DONE), then=State.AWAITING_PREFECT),
    # Komm's pages: 403 for everyone else, before any channel is looked up (nothing to hide).
    Row("approvals:queue",        no_args,           "GET",  State.AWAITING_KOMM,
        (LOGIN,       403,   403,    403,         200,   200)),
    Row("approvals:review",       pk,                "GET",  State.AWAITING_KOMM,
        (LOGIN,       403,   403,    403,         200,   200)),
    # The admin is for staff users only; the personas other than admin_user are not staff.
    Row("admin:index",            no_args,           "GET",  None,
        (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, 200)),
    # The development mailbox does not exist with DEBUG off, not even for admins.
    Row("devmail:list",           no_args,           "GET",  None,
        (404,         404,   404,    404,         404,   404)),
]
# fmt: on


def _cells() -> list:
    """One parameter set per cell, named "<view> <method>-<persona>"."""
    return [
        pytest.param(row, persona, expected, id=f"{row.name}-{persona}")
        for row in MATRIX
        for persona, expected in zip(PERSONAS, row.expected, strict=True)
    ]


# --- Building states through the services ----------------------------------------------------


def channel_in(state: str, *, draft: Channel, owner, komm) -> Channel:
    """The `draft` fixture moved along the real journey until it is in `state`."""
    journey = [State.DRAFT, State.AWAITING_PREFECT, State.AWAITING_KOMM, State.APPROVED]
    steps = journey[1 : journey.index(state) + 1]
    if State.AWAITING_PREFECT in steps:
        channel_submit(channel=draft, submitted_by=owner)
    if State.AWAITING_KOMM in steps:
        signoff_approve(signoff=draft.signoffs.get(decision=PrefectSignoff.Decision.PENDING))
    if State.APPROVED in steps:
        review_decide(channel=draft, reviewer=komm, decision=KommReview.Decision.APPROVED)
    draft.refresh_from_db()
    assert draft.state == state
    return draft


def snapshot(channel: Channel) -> tuple:
    """What a POST action changes: the state and the sign-off requests."""
    channel.refresh_from_db()
    signoffs = sorted(channel.signoffs.values_list("pk", "decision"))
    return channel.state, signoffs


def assert_login_redirect(response, *, login_url: str, page: str) -> None:
    assert response.status_code == 302, response.status_code
    location = urlsplit(response["Location"])
    assert location.path == login_url
    assert parse_qs(location.query) == {"next": [page]}


# --- The test --------------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "persona", "expected"), _cells())
def test_permission_matrix(client, request, settings, row: Row, persona: str, expected):
    settings.DEBUG = False  # as in production (pytest.ini says so too): no development mailbox
    channel = None
    if row.state is not None:
        channel = channel_in(
            row.state,
            draft=request.getfixturevalue("draft"),
            owner=request.getfixturevalue("owner"),
            komm=request.getfixturevalue("komm"),
        )
    # Every persona exists in every cell, so "colleague" is a real member of staff, not nobody.
    users = {name: request.getfixturevalue(name) for name in PERSONAS if name != "anonymous"}
    if persona != "anonymous":
        client.force_login(users[persona])

    url = reverse(row.view, args=row.args(channel))
    before = snapshot(channel) if channel is not None else None
    send = client.post if row.method == "POST" else client.get
    response = send(url, row.data(channel) if row.method == "POST" else None)

    if expected == LOGIN:
        assert_login_redirect(response, login_url=resolve_url(settings.LOGIN_URL), page=url)
    elif expected == ADMIN_LOGIN:
        assert_login_redirect(response, login_url=reverse("admin:login"), page=url)
    elif expected == DONE:
        assert response.status_code == 302, response.status_code
        assert response["Location"] == channel.get_absolute_url()
    else:
        assert response.status_code == expected, response.status_code

    if row.method == "POST":
        after = snapshot(channel)
        if expected == DONE:
            assert after != before, "the action answered as if it acted, but nothing changed"
            assert after[0] == row.then
        else:
            assert after == before, "a refused request changed the channel"


# --- The head of department's link: the link is the credential --------------------------------


@pytest.fixture
def awaiting_prefect(draft, owner):
    channel_submit(channel=draft, submitted_by=owner)
    draft.refresh_from_db()
    return draft


@pytest.mark.parametrize("persona", ["anonymous", "colleague"])
def test_signoff_page_answers_whoever_holds_the_link(client, request, awaiting_prefect, persona):
    """No login needed; staff with no part in the channel get the prefect's page all the same."""
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse("approvals:signoff", args=[latest_link(awaiting_prefect)])

    response = client.get(url)

    assert response.status_code == 200
    assert "approvals/signoff.html" in [t.name for t in response.templates]
    assert response.context["channel"] == awaiting_prefect
    assert awaiting_prefect.name in response.content.decode()


def _tampered_token(value: str, channel: Channel) -> str:
    payload, _sep, signature = value.partition(":")
    pk_part, _dot, token = payload.partition(".")
    return f"{pk_part}.{'A' if token[0] != 'A' else 'B'}{token[1:]}:{signature}"


def _other_pk(value: str, channel: Channel) -> str:
    pk_part, _dot, rest = value.partition(".")
    return f"{int(pk_part) + 1}.{rest}"


def _validly_signed_wrong_token(value: str, channel: Channel) -> str:
    # Signed with our key, so only the stored token hash can tell it is not the e-mailed link.
    return signoff_link_value(signoff=channel.signoffs.get(), token="not-the-e-mailed-token")


@pytest.mark.parametrize(
    "tamper", [_tampered_token, _other_pk, _validly_signed_wrong_token], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("persona", ["anonymous", "colleague"])
def test_tampered_signoff_link_is_404(client, request, awaiting_prefect, tamper, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    value = latest_link(awaiting_prefect)
    forged = tamper(value, awaiting_prefect)
    assert forged != value

    response = client.get(reverse("approvals:signoff", args=[forged]))

    assert response.status_code == 404
    assert awaiting_prefect.name not in response.content.decode()
    assert awaiting_prefect.prefect_name not in response.content.decode()


# --- The creator of a draft, once it is submitted ---------------------------------------------


def test_a_creator_who_named_others_has_no_rights_after_submission(client, owner, deputy, komm):
    """anna creates a draft naming david responsible and herself deputy; david replaces her by
    erik and submits; Komm approves. anna must learn nothing of the channel and open nothing."""
    from channels.services import channel_set_people
    from channels.testing.factories import ChannelFactory
    from core.testing.factories import UserFactory

    erik = UserFactory(username="erik", email="erik@umu.se")
    channel = ChannelFactory(created_by=owner, responsible=deputy, deputies=[owner])
    channel_set_people(
        channel=channel,
        edited_by=deputy,
        responsible=deputy,
        responsible_phone="090-1",
        deputies=[(erik, "090-2")],
    )
    channel_submit(channel=channel, submitted_by=deputy)
    signoff_approve(signoff=channel.signoffs.get())
    review_decide(channel=channel, reviewer=komm, decision=KommReview.Decision.APPROVED)

    client.force_login(owner)
    assert client.get(reverse("channels:detail", args=[channel.pk])).status_code == 404
    response = client.post(
        reverse("channels:open", args=[channel.pk]), {"address": channel.address}
    )
    assert response.status_code == 404
    assert client.get(reverse("channels:evaluate", args=[channel.pk])).status_code == 404
    assert client.post(reverse("approvals:closure_start", args=[channel.pk])).status_code == 404
    channel.refresh_from_db()
    assert channel.state == State.APPROVED
    assert channel not in client.get(reverse("channels:my_channels")).context["page_obj"]
