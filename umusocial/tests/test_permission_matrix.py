"""Who may open what: every view of the portal × every persona, as one table.

The table is complete by construction: `test_every_url_has_a_row` walks the URLconf and fails
for a URL pattern with no row, so a new view cannot escape it. Only the admin's own pages are
left to the admin (one row says who reaches it at all). "anonymous" is also the public: no
account, e.g. the head of department following an e-mailed link.

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
from django.urls import URLResolver, get_resolver, reverse

from approvals.closure.services import closure_start
from approvals.models import Handover, KommReview, PrefectSignoff
from approvals.review.services import review_decide
from approvals.signoff.services import channel_submit, signoff_approve, signoff_link_value
from approvals.testing import handover
from approvals.testing.factories import (
    AdAttachmentFactory,
    AdOrderFactory,
    CampaignNoticeFactory,
    ModerationAttachmentFactory,
    SuspectedAccountReportFactory,
)
from approvals.testing.lifecycle import activate
from approvals.testing.links import latest_link
from channels.models import Channel
from core.testing.html import assert_sound_page

pytestmark = pytest.mark.django_db

State = Channel.State
# Set-ups beyond a channel's state: an active channel being closed (its closure in progress),
# and an active channel whose owner started a handover to the newcomer (awaiting the head of
# department).
CLOSING = "closing (closure in progress)"
HANDOVER = "active, handover awaiting the head of department"

PERSONAS = ("anonymous", "owner", "deputy", "colleague", "komm", "admin_user")

# What a cell expects besides a plain status code.
LOGIN = "302 → login"  # to settings.LOGIN_URL with ?next=<the page>
ADMIN_LOGIN = "302 → admin login"  # the admin's own login page, with ?next=<the page>
DONE = "302 done"  # a POST that acted: back to the channel's page, and the change is stored
ACTED = "302 acted"  # a POST that acted and went on to another page (the closure, the handover)


# --- URL arguments ---------------------------------------------------------------------------


def no_args(channel: Channel | None) -> list:
    return []


def pk(channel: Channel) -> list:
    return [channel.pk]


def pk_step(step: str) -> Callable[[Channel], list]:
    def args(channel: Channel) -> list:
        return [channel.pk, step]

    return args


def closure_pk(channel: Channel) -> list:
    return [channel.closures.get().pk]


def handover_pk(channel: Channel) -> list:
    return [channel.handovers.get().pk]


def attachment_key(channel: Channel) -> list:
    """A screenshot in the channel's moderation log."""
    return [ModerationAttachmentFactory(entry__channel=channel).key]


def campaign_notice_pk(channel: Channel) -> list:
    """A notice the owner sent about the channel (a row, not the service: no e-mail needed)."""
    return [CampaignNoticeFactory(channels=[channel], sent_by=channel.responsible).pk]


def ad_order_pk(channel: Channel) -> list:
    return [AdOrderFactory(channels=[channel], ordered_by=channel.responsible).pk]


def ad_attachment_pk(channel: Channel) -> list:
    order = AdOrderFactory(channels=[channel], ordered_by=channel.responsible)
    return [AdAttachmentFactory(order=order).pk]


def to_in_progress(channel: Channel) -> dict:
    return {"to": "in_progress"}


def acknowledge(channel: Channel) -> dict:
    return {"acknowledge": "1"}


def signoff_link(channel: Channel) -> list:
    return [latest_link(channel)]


def fixed(*values: str) -> Callable[[Channel | None], list]:
    def args(channel: Channel | None) -> list:
        return list(values)

    return args


def a_report(channel: Channel | None) -> list:
    return [SuspectedAccountReportFactory().pk]


def a_suspect(channel: Channel | None) -> dict:
    return {"address": "https://x.com/umu_fake", "reason": "Uses our logo."}


def live_address(channel: Channel) -> dict:
    """The open form asks for the live address while the stored one is only planned."""
    return {"address": channel.address}


def a_reason(channel: Channel) -> dict:
    return {"reason": "The unit is merged with another."}


def cancel_reason(channel: Channel) -> dict:
    return {"cancel-reason": "The person stays after all."}


def first_handover_step(channel: Channel) -> dict:
    return {"step": Handover.STEPS[0][0]}


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
    Row("devmail:detail",         fixed("1"),        "GET",  None,
        (404,         404,   404,    404,         404,   404)),

    # --- The head of department's link: the link is the credential, no login (the public) ---
    Row("approvals:signoff",      signoff_link,      "GET",  State.AWAITING_PREFECT,
        (200,         200,   200,    200,         200,   200)),

    # --- Running channels: evaluation, closure, handover -------------------------------------
    Row("channels:evaluate",      pk,                "GET",  State.ACTIVE,
        (LOGIN,       200,   200,    404,         403,   403)),
    Row("approvals:closure_start", pk,               "GET",  State.ACTIVE,
        (LOGIN,       200,   200,    404,         200,   200)),
    Row("approvals:closure_start", pk,               "POST", State.ACTIVE,
        (LOGIN,       ACTED, ACTED,  404,         ACTED, ACTED),
        data=a_reason, then=State.CLOSING),
    Row("approvals:closure",      closure_pk,        "GET",  CLOSING,
        (LOGIN,       200,   200,    404,         200,   200)),
    # The checklist is the channel's people's: an empty one records nothing, back to the page.
    Row("approvals:closure",      closure_pk,        "POST", CLOSING,
        (LOGIN,       302,   302,    404,         403,   403)),
    # Komm's: 403 for everyone else before any lookup; the steps are not done, so Komm is sent
    # back to the closure with nothing changed.
    Row("approvals:closure_confirm", closure_pk,     "POST", CLOSING,
        (LOGIN,       403,   403,    403,         302,   302)),
    Row("approvals:closure_cancel", closure_pk,      "POST", CLOSING,
        (LOGIN,       DONE,  DONE,   404,         DONE,  DONE),
        data=a_reason, then=State.ACTIVE),
    Row("approvals:handover_start", pk,              "GET",  State.ACTIVE,
        (LOGIN,       200,   200,    404,         200,   200)),
    # A handover is seen by its channel's people, the new person and Komm; others get 404.
    Row("approvals:handover",     handover_pk,       "GET",  HANDOVER,
        (LOGIN,       200,   200,    404,         200,   200)),
    # Only the new responsible person (the newcomer, no persona here) accepts.
    Row("approvals:handover_accept", handover_pk,    "POST", HANDOVER,
        (LOGIN,       403,   403,    404,         403,   403)),
    # Ticking a step before the new person accepted: refused with a message, nothing changes.
    Row("approvals:handover_step", handover_pk,      "POST", HANDOVER,
        (LOGIN,       302,   302,    404,         302,   302), data=first_handover_step),
    Row("approvals:handover_resend", handover_pk,    "POST", HANDOVER,
        (LOGIN,       ACTED, ACTED,  404,         ACTED, ACTED), then=State.ACTIVE),
    # Who started it (the owner), the responsible person or Komm cancel; a deputy may not.
    Row("approvals:handover_cancel", handover_pk,    "POST", HANDOVER,
        (LOGIN,       ACTED, 403,    404,         ACTED, ACTED),
        data=cancel_reason, then=State.ACTIVE),

    # --- The moderation log: the channel's people and Komm; others learn nothing (404) ---------
    Row("approvals:moderation_log", pk,              "GET",  State.ACTIVE,
        (LOGIN,       200,   200,    404,         200,   200)),
    Row("approvals:moderation_record", pk_step("removal"), "GET", State.ACTIVE,
        (LOGIN,       200,   200,    404,         200,   200)),
    # An empty form records nothing: the page again, saying what is missing.
    Row("approvals:moderation_record", pk_step("removal"), "POST", State.ACTIVE,
        (LOGIN,       400,   400,    404,         400,   400)),
    # The attachments too: another member of staff gets 404, not the file.
    Row("approvals:moderation_attachment", attachment_key, "GET", State.ACTIVE,
        (LOGIN,       200,   200,    404,         200,   200)),
    Row("approvals:moderation_export", pk_step("csv"), "GET", State.ACTIVE,
        (LOGIN,       200,   200,    404,         200,   200), label="[csv]"),
    Row("approvals:moderation_export", pk_step("print"), "GET", State.ACTIVE,
        (LOGIN,       200,   200,    404,         200,   200), label="[print]"),
    Row("approvals:moderation_komm", no_args,        "GET",  None,
        (LOGIN,       403,   403,    403,         200,   200)),
    Row("approvals:moderation_komm_export", fixed("csv"), "GET", None,
        (LOGIN,       403,   403,    403,         200,   200)),

    # --- Komm's lists ---------------------------------------------------------------------------
    Row("channels:register",      no_args,           "GET",  State.DRAFT,
        (LOGIN,       403,   403,    403,         200,   200)),
    Row("channels:register_csv",  no_args,           "GET",  State.DRAFT,
        (LOGIN,       403,   403,    403,         200,   200)),
    Row("channels:register_json", no_args,           "GET",  State.DRAFT,
        (LOGIN,       403,   403,    403,         200,   200)),
    # Importing Komm's spreadsheet: Komm only. An empty upload is the form again with its error;
    # a confirmation without a valid dry run's token writes nothing and goes back to the upload.
    Row("channels:register_import", no_args,         "GET",  None,
        (LOGIN,       403,   403,    403,         200,   200)),
    Row("channels:register_import", no_args,         "POST", None,
        (LOGIN,       403,   403,    403,         200,   200)),
    Row("channels:register_import_confirm", no_args, "POST", None,
        (LOGIN,       403,   403,    403,         302,   302)),
    Row("approvals:overview",     no_args,           "GET",  None,
        (LOGIN,       403,   403,    403,         200,   200)),
    Row("approvals:handovers",    no_args,           "GET",  None,
        (LOGIN,       403,   403,    403,         200,   200)),

    # --- The public registry: open to all; a draft exists and must not show (test_public_views)
    Row("public:directory",       no_args,           "GET",  State.DRAFT,
        (200,         200,   200,    200,         200,   200)),
    Row("public:verify",          no_args,           "GET",  State.DRAFT,
        (200,         200,   200,    200,         200,   200)),
    Row("public:api_docs",        no_args,           "GET",  None,
        (200,         200,   200,    200,         200,   200)),
    # The open API (read-only JSON): the same for everyone. A draft is not there (404); verify
    # without ?url= is a 422 in the API's error shape.
    Row("api-v1:channels",        no_args,           "GET",  State.DRAFT,
        (200,         200,   200,    200,         200,   200)),
    Row("api-v1:channel",         pk,                "GET",  State.DRAFT,
        (404,         404,   404,    404,         404,   404)),
    Row("api-v1:channel",         pk,                "GET",  State.ACTIVE,
        (200,         200,   200,    200,         200,   200), label="[active]"),
    Row("api-v1:verify",          no_args,           "GET",  None,
        (422,         422,   422,    422,         422,   422)),
    Row("api-v1:platforms",       no_args,           "GET",  None,
        (200,         200,   200,    200,         200,   200)),
    Row("api-v1:units",           no_args,           "GET",  None,
        (200,         200,   200,    200,         200,   200)),
    Row("api-v1:openapi-json",    no_args,           "GET",  None,
        (200,         200,   200,    200,         200,   200)),
    Row("api-v1:api-root",        no_args,           "GET",  None,
        (404,         404,   404,    404,         404,   404)),
    # Reporting a suspected fake: anyone; a report sent on to the thanks page.
    Row("reports:new",            no_args,           "GET",  None,
        (200,         200,   200,    200,         200,   200)),
    Row("reports:new",            no_args,           "POST", None,
        (302,         302,   302,    302,         302,   302), data=a_suspect),
    Row("reports:thanks",         no_args,           "GET",  None,
        (200,         200,   200,    200,         200,   200)),
    # Komm's queue of reports: 403 for everyone else, before any report is looked up.
    Row("reports:queue",          no_args,           "GET",  None,
        (LOGIN,       403,   403,    403,         200,   200)),
    Row("reports:detail",         a_report,          "GET",  None,
        (LOGIN,       403,   403,    403,         200,   200)),

    # --- Komm's policy template filled in for a channel: its people download or adopt it -------
    Row("channels:policy_download", pk,              "GET",  State.DRAFT,
        (LOGIN,       200,   200,    404,         200,   200)),
    Row("channels:policy_download_html", pk,         "GET",  State.DRAFT,
        (LOGIN,       200,   200,    404,         200,   200)),
    # Adopting edits the registration: only its own people, and only while it is editable.
    Row("channels:policy_adopt",  pk,                "POST", State.DRAFT,
        (LOGIN,       302,   302,    404,         403,   403)),

    Row("channels:policy_publication", pk,           "GET",  State.ACTIVE,
        (LOGIN,       200,   200,    404,         200,   200)),
    # Taking a new template version is the channel's people's; with none newer, nothing changes
    # and the page says so (302 back to the channel).
    Row("channels:policy_update", pk,                "POST", State.ACTIVE,
        (LOGIN,       302,   302,    404,         403,   403)),

    # --- Campaign notices: the channel's people send; they and Komm see it; Komm answers -------
    Row("approvals:campaign_notice_new", no_args,    "GET",  None,
        (LOGIN,       200,   200,    200,         200,   200)),
    Row("approvals:campaign_notice", campaign_notice_pk, "GET", State.ACTIVE,
        (LOGIN,       200,   200,    404,         200,   200)),
    Row("approvals:campaign_notice_answer", campaign_notice_pk, "POST", State.ACTIVE,
        (LOGIN,       403,   403,    403,         302,   302), data=acknowledge),
    Row("approvals:campaign_notices", no_args,       "GET",  None,
        (LOGIN,       403,   403,    403,         200,   200)),

    # --- Ad orders: the channel's people order; they and Komm follow it; Komm moves it on; the
    # creatives (stored privately) only through the permission-checked view ----------------------
    Row("approvals:ad_order_new", no_args,           "GET",  None,
        (LOGIN,       200,   200,    200,         200,   200)),
    Row("approvals:ad_order",     ad_order_pk,       "GET",  State.ACTIVE,
        (LOGIN,       200,   200,    404,         200,   200)),
    Row("approvals:ad_order_move", ad_order_pk,      "POST", State.ACTIVE,
        (LOGIN,       403,   403,    404,         302,   302), data=to_in_progress),
    # More creatives: who ordered it (the owner) and the channel's people; an empty upload
    # stores nothing and says why (400); Komm and admins receive creatives, they do not add them.
    Row("approvals:ad_order_creatives", ad_order_pk, "POST", State.ACTIVE,
        (LOGIN,       400,   400,    404,         403,   403)),
    Row("approvals:ad_order_attachment", ad_attachment_pk, "GET", State.ACTIVE,
        (LOGIN,       200,   200,    404,         200,   200)),
    Row("approvals:ad_orders",    no_args,           "GET",  None,
        (LOGIN,       403,   403,    403,         200,   200)),

    # --- The portal's frame: open to all, or about one's own account ----------------------------
    # Signed-in people are sent on from the home page to "My channels".
    Row("home",                   no_args,           "GET",  None,
        (200,         302,   302,    302,         302,   302)),
    Row("healthz",                no_args,           "GET",  None,
        (200,         200,   200,    200,         200,   200)),
    Row("favicon",                no_args,           "GET",  None,
        (301,         301,   301,    301,         301,   301)),
    Row("set_language",           no_args,           "POST", None,
        (302,         302,   302,    302,         302,   302)),
    # A signed-in person is sent on to "My channels".
    Row("login",                  no_args,           "GET",  None,
        (200,         302,   302,    302,         302,   302)),
    Row("logout",                 no_args,           "POST", None,
        (302,         302,   302,    302,         302,   302)),
    Row("password_reset",         no_args,           "GET",  None,
        (200,         200,   200,    200,         200,   200)),
    Row("password_reset_done",    no_args,           "GET",  None,
        (200,         200,   200,    200,         200,   200)),
    # A made-up link: the "this link is not valid" page, for anyone.
    Row("password_reset_confirm", fixed("MQ", "not-a-token"), "GET", None,
        (200,         200,   200,    200,         200,   200)),
    Row("password_reset_complete", no_args,          "GET",  None,
        (200,         200,   200,    200,         200,   200)),
    # The university's sign-in answers only when an identity provider is configured (it is
    # not in the tests; core/tests/test_saml.py configures one).
    Row("saml2_login",            no_args,           "GET",  None,
        (404,         404,   404,    404,         404,   404)),
    Row("saml2_acs",              no_args,           "POST", None,
        (404,         404,   404,    404,         404,   404)),
    Row("saml2_metadata",         no_args,           "GET",  None,
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


def channel_in(state: str, *, draft: Channel, owner, komm, newcomer) -> Channel:
    """The `draft` fixture moved along the real journey until it is in `state` (or a set-up)."""
    if state in (State.ACTIVE, CLOSING, HANDOVER):
        activate(draft, owner=owner, komm=komm)
        if state == CLOSING:
            closure_start(channel=draft, started_by=owner, reason="Merged with another unit.")
        if state == HANDOVER:
            handover.start(draft, owner, newcomer)
        draft.refresh_from_db()
        return draft
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
    """What a POST action changes: the state, the sign-off requests, closures and handovers."""
    channel.refresh_from_db()
    signoffs = sorted(channel.signoffs.values_list("pk", "decision"))
    closures = sorted(channel.closures.values_list("pk", "state"))
    handovers = sorted(channel.handovers.values_list("pk", "state"))
    return channel.state, signoffs, closures, handovers


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
            newcomer=request.getfixturevalue("newcomer"),
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
    elif expected == ACTED:
        assert response.status_code == 302, response.status_code
    else:
        assert response.status_code == expected, response.status_code
    # Every page a persona reaches (the admin's own pages have the admin's own frame): its title
    # names it, its <time> values are valid HTML.
    # A download (the policy as an HTML file) is a document of its own, not a page of the site.
    page = response["Content-Type"].startswith("text/html") and not response.has_header(
        "Content-Disposition"
    )
    if response.status_code == 200 and page and not row.view.startswith("admin:"):
        assert_sound_page(response.content.decode())

    if row.method == "POST" and channel is not None:
        after = snapshot(channel)
        if expected in (DONE, ACTED):
            assert after != before, "the action answered as if it acted, but nothing changed"
            assert after[0] == row.then
        else:
            assert after == before, "a refused request changed the channel"


# --- The matrix is complete: a row for every URL pattern ----------------------------------------


def url_names(patterns=None, namespace: str = "") -> list[str]:
    """The name of every URL pattern in the URLconf, namespaced ("approvals:closure"), walking
    the includes; the admin's own pages are left out. An unnamed pattern is listed by its
    route, so that it fails the test below too."""
    names = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += url_names(entry.url_patterns, prefix)
        else:
            names.append(f"{namespace}{entry.name or f'<unnamed {entry.pattern}>'}")
    return names


def test_every_url_has_a_row_for_every_persona():
    covered = {row.view for row in MATRIX}
    missing = sorted(set(url_names()) - covered)
    assert missing == [], f"Add rows to MATRIX for: {', '.join(missing)}"
    short = [row.name for row in MATRIX if len(row.expected) != len(PERSONAS)]
    assert short == [], f"One expectation per persona ({', '.join(PERSONAS)}) in: {short}"


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
