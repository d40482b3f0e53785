"""The closure pages: the permission matrix, the checklist through the page, and the channel
page's closure section."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from approvals.audit import Event
from approvals.closure.services import (
    closure_cancel,
    closure_confirm,
    closure_record,
    closure_start,
)
from approvals.models import Closure, Handover, PrefectSignoff
from approvals.review.services import review_decide
from approvals.signoff.services import channel_submit, signoff_approve
from channels.models import AuditEntry, Channel
from channels.services import channel_mark_opened
from core.testing.factories import UserFactory

State = Channel.State
ALL_STEPS = {name for name, _label in Closure.STEPS}


def to_active(channel: Channel, *, reviewer) -> Channel:
    """Through the real services: submitted, approved twice, opened."""
    channel_submit(channel=channel, submitted_by=channel.responsible)
    signoff_approve(signoff=channel.signoffs.get(decision=PrefectSignoff.Decision.PENDING))
    channel.refresh_from_db()
    review_decide(channel=channel, reviewer=reviewer, decision="approved")
    channel.refresh_from_db()
    channel_mark_opened(channel=channel, opened_by=channel.responsible, address=channel.address)
    channel.refresh_from_db()
    return channel


def record_all(closure: Closure, user) -> Closure:
    return closure_record(
        closure=closure,
        user=user,
        archive_location="Diariet, FS 1.1-99-26",
        account_outcome=Closure.AccountOutcome.HANDED_TO_KOMM,
        steps_done=ALL_STEPS,
    )


def page_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def active(draft, komm):
    return to_active(draft, reviewer=komm)


@pytest.fixture
def closure(active, owner):
    return closure_start(channel=active, started_by=owner, reason="Replaced by the faculty's.")


@pytest.fixture
def ready(closure, owner):
    return record_all(closure, owner)


def login(client, request, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))


# --- The permission matrix ---------------------------------------------------------------------

PERSONAS = ["owner", "deputy", "colleague", "komm", "admin_user"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (None, 302),
        ("owner", 200),
        ("deputy", 200),
        ("colleague", 404),
        ("komm", 200),
        ("admin_user", 200),
    ],
)
def test_start_page_matrix(client, request, active, persona, expected):
    url = reverse("approvals:closure_start", args=[active.pk])
    login(client, request, persona)
    response = client.get(url)
    assert response.status_code == expected
    if persona is None:
        assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (None, 302),
        ("owner", 200),
        ("deputy", 200),
        ("colleague", 404),
        ("komm", 200),
        ("admin_user", 200),
    ],
)
def test_closure_page_matrix(client, request, closure, persona, expected):
    url = reverse("approvals:closure", args=[closure.pk])
    login(client, request, persona)
    response = client.get(url)
    assert response.status_code == expected
    if persona is None:
        assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize(
    ("persona", "expected", "ticked"),
    [
        (None, 302, False),
        ("owner", 302, True),
        ("deputy", 302, True),
        ("colleague", 404, False),
        ("komm", 403, False),
        ("admin_user", 403, False),
    ],
)
def test_checklist_post_matrix(client, request, closure, persona, expected, ticked):
    login(client, request, persona)
    response = client.post(
        reverse("approvals:closure", args=[closure.pk]), {"followers_told_at": "on"}
    )
    assert response.status_code == expected
    closure.refresh_from_db()
    assert bool(closure.followers_told_at) is ticked


@pytest.mark.parametrize(
    ("persona", "expected", "closed"),
    [
        (None, 302, False),
        ("owner", 403, False),
        ("deputy", 403, False),
        ("colleague", 403, False),
        ("komm", 302, True),
        ("admin_user", 302, True),
    ],
)
def test_confirm_matrix(client, request, ready, active, persona, expected, closed):
    login(client, request, persona)
    response = client.post(reverse("approvals:closure_confirm", args=[ready.pk]))
    assert response.status_code == expected
    active.refresh_from_db()
    assert (active.state == State.CLOSED) is closed
    if closed:
        assert response["Location"] == active.get_absolute_url()


@pytest.mark.parametrize(
    ("persona", "expected", "cancelled"),
    [
        (None, 302, False),
        ("owner", 302, True),
        ("deputy", 302, True),
        ("colleague", 404, False),
        ("komm", 302, True),
        ("admin_user", 302, True),
    ],
)
def test_cancel_matrix(client, request, closure, active, persona, expected, cancelled):
    login(client, request, persona)
    response = client.post(
        reverse("approvals:closure_cancel", args=[closure.pk]), {"reason": "Kept after all."}
    )
    assert response.status_code == expected
    active.refresh_from_db()
    assert (active.state == State.ACTIVE) is cancelled


@pytest.mark.parametrize("name", ["closure_confirm", "closure_cancel"])
def test_actions_are_post_only(client, komm, closure, name):
    client.force_login(komm)
    assert client.get(reverse(f"approvals:{name}", args=[closure.pk])).status_code == 405


# --- Starting ----------------------------------------------------------------------------------


def test_owner_starts_a_closure_through_the_page(client, owner, active):
    client.force_login(owner)
    response = client.post(
        reverse("approvals:closure_start", args=[active.pk]), {"reason": "No longer needed."}
    )
    closure = Closure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals:closure", args=[closure.pk])
    active.refresh_from_db()
    assert active.state == State.CLOSING
    assert closure.reason == "No longer needed."
    page = client.get(response["Location"]).text
    assert "Tick each step when it is done" in page
    assert "Final archive taken" in page


def test_start_without_reason_shows_an_error_and_changes_nothing(client, owner, active):
    client.force_login(owner)
    response = client.post(reverse("approvals:closure_start", args=[active.pk]), {"reason": ""})
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert "Say why the channel is closed." in response.text
    active.refresh_from_db()
    assert active.state == State.ACTIVE
    assert not Closure.objects.exists()


def test_start_on_a_channel_not_running_says_why(client, owner, draft):
    client.force_login(owner)
    response = client.post(
        reverse("approvals:closure_start", args=[draft.pk]), {"reason": "Not needed."}
    )
    assert response["Location"] == draft.get_absolute_url()
    assert "Only an approved or active channel can be closed" in page_messages(response)[0]
    assert not Closure.objects.exists()


def test_start_while_closing_leads_to_the_closure(client, komm, closure):
    client.force_login(komm)
    response = client.get(reverse("approvals:closure_start", args=[closure.channel_id]))
    assert response["Location"] == reverse("approvals:closure", args=[closure.pk])


def test_start_during_a_handover_says_why_on_the_channel_page(client, owner, active):
    """The start page asks the service's own check before it offers a form the service would
    refuse."""
    Handover.objects.create(
        channel=active,
        previous_responsible=owner,
        new_responsible=UserFactory(),
        reason=Handover.Reason.LEAVING,
        started_by=owner,
    )
    client.force_login(owner)
    url = reverse("approvals:closure_start", args=[active.pk])
    for response in (client.get(url), client.post(url, {"reason": "Not needed."})):
        assert response["Location"] == active.get_absolute_url()
        assert "A handover of the channel is under way" in page_messages(response)[0]
    assert not Closure.objects.exists()


def test_ticking_a_called_off_closure_says_so(client, owner, closure):
    closure_cancel(closure=closure, user=owner, reason="Kept after all.")
    client.force_login(owner)
    url = reverse("approvals:closure", args=[closure.pk])
    response = client.post(url, {"followers_told_at": "on"})
    assert response["Location"] == url
    assert page_messages(response) == ["Nothing was recorded: the closure is “Cancelled”."]
    closure.refresh_from_db()
    assert closure.followers_told_at is None


def test_calling_off_twice_says_so(client, owner, closure):
    closure_cancel(closure=closure, user=owner, reason="Kept after all.")
    client.force_login(owner)
    response = client.post(
        reverse("approvals:closure_cancel", args=[closure.pk]), {"reason": "Again."}
    )
    assert response["Location"] == reverse("approvals:closure", args=[closure.pk])
    assert page_messages(response) == ["Nothing was changed: the closure is “Cancelled”."]


# --- The checklist through the page --------------------------------------------------------------


def test_checklist_needs_the_archive_location(client, owner, closure):
    client.force_login(owner)
    response = client.post(
        reverse("approvals:closure", args=[closure.pk]), {"final_archive_taken_at": "on"}
    )
    assert response.status_code == 400
    assert "Say where the final archive is kept." in response.text
    assert 'href="#id_archive_location"' in response.text
    closure.refresh_from_db()
    assert closure.final_archive_taken_at is None


def test_ticked_steps_show_when_and_by_whom(client, owner, deputy, komm, closure):
    """The checklist says a ticked step records the time and the person: it shows both, on the
    form (for who works on it), to Komm, and on the channel page."""
    for user, step in ((owner, "followers_told_at"), (deputy, "admins_removed_at")):
        closure_record(
            closure=closure, user=user, archive_location="", account_outcome="", steps_done={step}
        )
    closure.refresh_from_db()
    when = date_format(localtime(closure.followers_told_at), "SHORT_DATETIME_FORMAT")
    url = reverse("approvals:closure", args=[closure.pk])
    client.force_login(owner)
    form_page = client.get(url).text
    assert f"Ticked {when} by Anna Ägare." in form_page
    assert "by David Deputy." in form_page
    client.force_login(komm)
    for page in (client.get(url).text, client.get(closure.channel.get_absolute_url()).text):
        assert f"ticked {when} by Anna Ägare" in page
        assert "by David Deputy" in page
        assert page.count("step-ticked") == 2  # the steps not done show no time


def test_ticking_every_step_tells_komm_and_shows_the_confirm_button(
    client, owner, komm, closure, settings
):
    client.force_login(owner)
    response = client.post(
        reverse("approvals:closure", args=[closure.pk]),
        {
            "final_archive_taken_at": "on",
            "followers_told_at": "on",
            "admins_removed_at": "on",
            "account_done_at": "on",
            "archive_location": "Diariet, FS 1.1-99-26",
            "account_outcome": "closed",
        },
    )
    assert response.status_code == 302
    assert "Komm has been told" in page_messages(response)[0]
    closure.refresh_from_db()
    assert all(getattr(closure, name) for name in ALL_STEPS)
    assert closure.account_outcome == Closure.AccountOutcome.CLOSED
    assert AuditEntry.objects.filter(action=Event.CLOSURE_STEP).count() == 4
    from core.models import OutgoingEmail

    assert OutgoingEmail.objects.get(template="closure-ready").to == [settings.KOMM_EMAIL]
    # The owner sees no confirm button; Komm does.
    confirm = reverse("approvals:closure_confirm", args=[closure.pk])
    assert confirm not in client.get(reverse("approvals:closure", args=[closure.pk])).text
    client.force_login(komm)
    page = client.get(reverse("approvals:closure", args=[closure.pk])).text
    assert confirm in page
    assert "Diariet, FS 1.1-99-26" in page


def test_confirm_before_the_checklist_is_done_says_what_is_missing(client, komm, closure):
    client.force_login(komm)
    response = client.post(reverse("approvals:closure_confirm", args=[closure.pk]))
    assert response["Location"] == reverse("approvals:closure", args=[closure.pk])
    assert "Missing" in page_messages(response)[0]
    closure.refresh_from_db()
    assert closure.state == Closure.State.IN_PROGRESS


def test_cancel_without_reason_shows_an_error(client, owner, closure, active):
    client.force_login(owner)
    response = client.post(reverse("approvals:closure_cancel", args=[closure.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Say why the closure is called off." in response.text
    active.refresh_from_db()
    assert active.state == State.CLOSING


# --- The channel page's closure section -----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "button"),
    [("owner", True), ("deputy", True), ("komm", True), ("admin_user", True)],
)
def test_running_channel_shows_the_close_button(client, request, active, persona, button):
    login(client, request, persona)
    page = client.get(active.get_absolute_url()).text
    assert (reverse("approvals:closure_start", args=[active.pk]) in page) is button


def test_draft_has_no_close_button(client, owner, draft):
    client.force_login(owner)
    page = client.get(draft.get_absolute_url()).text
    assert reverse("approvals:closure_start", args=[draft.pk]) not in page


def test_closing_channel_shows_the_checklist_state(client, deputy, closure):
    closure_record(
        closure=closure,
        user=deputy,
        archive_location="",
        account_outcome="",
        steps_done={"followers_told_at"},
    )
    client.force_login(deputy)
    page = client.get(reverse("channels:detail", args=[closure.channel_id])).text
    assert "The channel is being closed" in page
    assert "Done:</span> Followers told" in page
    assert "Not done yet:</span> Final archive taken" in page
    assert reverse("approvals:closure", args=[closure.pk]) in page
    assert reverse("approvals:closure_start", args=[closure.channel_id]) not in page


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("owner", 200), ("deputy", 200), ("komm", 200), ("admin_user", 200), ("colleague", 404)],
)
def test_closed_channel_stays_visible_read_only(client, request, ready, komm, persona, expected):
    closure_confirm(closure=ready, confirmed_by=komm)
    login(client, request, persona)
    response = client.get(reverse("channels:detail", args=[ready.channel_id]))
    assert response.status_code == expected
    if expected == 200:
        page = response.text
        assert "Closed on" in page
        assert "confirmed by Karin Komm" in page
        assert reverse("approvals:closure_start", args=[ready.channel_id]) not in page
        closure_page = client.get(reverse("approvals:closure", args=[ready.pk])).text
        assert "Tick each step" not in closure_page  # read-only
        assert reverse("approvals:closure_cancel", args=[ready.pk]) not in closure_page


# --- "My channels": the coming duties (channels.next_step, with approvals' facts) -------------


def _running_with_duties(owner, deputy, komm, n: int) -> None:
    """n channels being closed and n being handed over, all the owner's."""
    from approvals.handover.services import handover_start
    from channels.testing.factories import ChannelFactory
    from core.testing.factories import UserFactory

    for _i in range(n):
        closing = to_active(ChannelFactory(created_by=owner, deputies=[deputy]), reviewer=komm)
        closure_start(channel=closing, started_by=owner, reason="Not needed.")
        handed = to_active(ChannelFactory(created_by=owner, deputies=[deputy]), reviewer=komm)
        handover_start(
            channel=handed,
            started_by=owner,
            new_responsible=UserFactory(),
            new_responsible_phone="090-786 70 00",
            new_deputies=[],
            reason="new_role",
        )


def test_my_channels_shows_the_coming_duties(client, owner, closure):
    client.force_login(owner)
    page = client.get(reverse("channels:my_channels")).text
    assert "Being closed: work through the closure checklist" in page
    assert reverse("approvals:closure", args=[closure.pk]) in page


def test_my_channels_costs_the_same_queries_with_more_duties(client, owner, deputy, komm):
    """Prevents an N+1 per row: open handovers (with their new person) and closures are
    prefetched by channels_for_owner_page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _running_with_duties(owner, deputy, komm, 1)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("channels:my_channels"))
    _running_with_duties(owner, deputy, komm, 4)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("channels:my_channels"))
    assert len(many) == len(few)
    assert response.text.count("Being closed: work through the closure checklist") == 5
    assert response.text.count("is under way: Awaiting head of department.") == 5
