"""The head of department's sign-off page (no account) and sending a new link."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approvals.models import PrefectSignoff
from approvals.signoff.services import channel_submit, signoff_from_link
from approvals.testing.links import latest_link
from channels.models import AuditEntry, Channel
from core.models import OutgoingEmail


@pytest.fixture
def submitted(draft, owner):
    channel_submit(channel=draft, submitted_by=owner)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def url(submitted):
    return reverse("approvals:signoff", args=[latest_link(submitted)])


def snapshot(channel: Channel) -> tuple:
    """Everything a look at the link must leave alone."""
    channel.refresh_from_db()
    return (
        channel.state,
        channel.prefect_approved_on,
        list(channel.signoffs.values_list("pk", "decision", "decided_at", "reason")),
        AuditEntry.objects.count(),
        OutgoingEmail.objects.count(),
    )


def assert_private(response):
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]


# --- Looking is not deciding -----------------------------------------------------------------


def test_get_shows_the_application_and_changes_nothing(
    client, submitted, url, owner, deputy, django_capture_on_commit_callbacks
):
    before = snapshot(submitted)
    mail.outbox.clear()  # reading the link (the `url` fixture) delivered the request e-mail
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(url)

    assert response.status_code == 200
    assert_private(response)
    page = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    for text in (
        submitted.name,
        submitted.purpose,
        submitted.handover_routine,
        "Anna Ägare",
        owner.email,
        deputy.email,
        "I appoint Anna Ägare as responsible for the channel",
    ):
        assert text in page
    assert page.count("<h1") == 1
    assert 'name="decision" value="approve"' in page
    assert 'name="decision" value="decline"' in page
    assert snapshot(submitted) == before
    assert callbacks == []
    assert mail.outbox == []


def test_the_summary_and_the_decision_come_before_the_full_application(client, submitted, url):
    """A head of department decides without scrolling through every answer: who, what, why and
    the two forms first; the whole application below, folded in a <details>."""
    page = client.get(url).text
    summary = page[page.index('id="summary-title"') : page.index("</section>")]
    for text in (submitted.name, str(submitted.responsible_unit), "Anna Ägare", submitted.purpose):
        assert text in summary
    approve = page.index('name="decision" value="approve"')
    decline = page.index('name="decision" value="decline"')
    details = page.index('<details class="card full-application">')
    assert page.index('id="summary-title"') < approve < details
    assert decline < details
    assert page.index("</details>") > page.index(submitted.handover_routine) > details
    assert "<details open" not in page


def test_head_changes_nothing(client, submitted, url):
    before = snapshot(submitted)

    response = client.head(url)

    assert response.status_code == 200
    assert snapshot(submitted) == before


def test_the_page_follows_the_chosen_language(client, url):
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get(url).content.decode()
    client.cookies["django_language"] = "sv"
    assert '<html lang="sv">' in client.get(url).content.decode()


def test_other_methods_are_refused(client, submitted, url):
    before = snapshot(submitted)
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
    assert snapshot(submitted) == before


# --- Deciding --------------------------------------------------------------------------------


def test_approve(client, submitted, url):
    response = client.post(url, {"decision": "approve", "approve-appoint": "on"})

    assert response.status_code == 200
    assert_private(response)
    assert "You approved" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == Channel.State.AWAITING_KOMM
    assert submitted.prefect_approved_on == timezone.localdate()
    signoff = submitted.signoffs.get()
    assert signoff.decision == PrefectSignoff.Decision.APPROVED
    assert OutgoingEmail.objects.filter(template="komm-new-in-queue").count() == 1


def test_approving_needs_the_appointment_confirmed(client, submitted, url):
    before = snapshot(submitted)

    response = client.post(url, {"decision": "approve"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'href="#id_approve-appoint"' in page
    assert "Tick the box to confirm that you appoint the responsible person." in page
    assert snapshot(submitted) == before


def test_decline(client, submitted, url):
    response = client.post(url, {"decision": "decline", "decline-reason": "No resources."})

    assert response.status_code == 200
    assert "You declined" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == Channel.State.PREFECT_DECLINED
    signoff = submitted.signoffs.get()
    assert (signoff.decision, signoff.reason) == (PrefectSignoff.Decision.DECLINED, "No resources.")
    declined = OutgoingEmail.objects.filter(template="signoff-declined")
    assert declined.exists()
    assert all("No resources." in email.body_text for email in declined)


def test_the_prefect_can_decide_without_an_account_through_csrf_protection(submitted, url):
    """The form's POST passes Django's CSRF check from a browser that sends its Origin (which
    it does under Referrer-Policy same-origin; under no-referrer it would send `null`)."""
    browser = Client(enforce_csrf_checks=True)
    browser.get(url)
    token = browser.cookies["csrftoken"].value

    response = browser.post(
        url,
        {"csrfmiddlewaretoken": token, "decision": "approve", "approve-appoint": "on"},
        HTTP_ORIGIN="http://testserver",
    )

    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.state == Channel.State.AWAITING_KOMM


@pytest.mark.parametrize("reason", ["", "   "])
def test_declining_needs_a_reason(client, submitted, url, reason):
    before = snapshot(submitted)

    response = client.post(url, {"decision": "decline", "decline-reason": reason})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_decline-reason"' in page
    assert "Say why you decline" in page
    assert snapshot(submitted) == before


def test_a_post_without_a_decision_decides_nothing(client, submitted, url):
    before = snapshot(submitted)
    response = client.post(url, {"approve-appoint": "on", "decline-reason": "x"})
    assert response.status_code == 200
    assert snapshot(submitted) == before


# --- Dead links ------------------------------------------------------------------------------


def test_a_tampered_link_is_404(client, submitted):
    value = latest_link(submitted)
    tampered = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
    before = snapshot(submitted)

    for method in (client.get, client.post):
        response = method(reverse("approvals:signoff", args=[tampered]))
        assert response.status_code == 404
        assert_private(response)
        page = response.content.decode()
        assert "This link does not work" in page
        assert "komm@umu.se" in page
        assert "send you a new link from the portal" in page
    assert snapshot(submitted) == before


def test_an_expired_link_is_410(client, submitted, url):
    before = snapshot(submitted)
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        response = client.post(url, {"decision": "approve", "approve-appoint": "on"})

    assert response.status_code == 410
    assert_private(response)
    page = response.content.decode()
    assert "This link has expired" in page
    assert "send you a new link from the portal" in page
    assert snapshot(submitted) == before


def test_a_used_link_is_410_and_says_what_was_decided(client, submitted, url):
    client.post(url, {"decision": "decline", "decline-reason": "Wrong unit."})
    before = snapshot(submitted)

    response = client.get(url)
    again = client.post(url, {"decision": "approve", "approve-appoint": "on"})

    assert response.status_code == 410
    assert again.status_code == 410
    assert_private(response)
    page = response.content.decode()
    assert "This link has already been used" in page
    assert "was declined with this link" in page
    assert "Wrong unit." in page
    assert snapshot(submitted) == before


def test_a_replaced_link_is_410_and_says_a_new_one_was_sent(client, submitted, url, owner):
    client.force_login(owner)
    client.post(reverse("approvals:signoff_resend", args=[submitted.pk]))
    client.logout()
    before = snapshot(submitted)

    response = client.post(url, {"decision": "approve", "approve-appoint": "on"})

    assert response.status_code == 410
    assert_private(response)
    page = response.content.decode()
    assert "A newer link has been sent" in page
    assert "petra.prefekt@umu.se" in page
    assert snapshot(submitted) == before
    assert (
        client.get(reverse("approvals:signoff", args=[latest_link(submitted)])).status_code == 200
    )


# --- Sending a new link ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "deputy", "komm"])
def test_owner_deputy_and_komm_can_send_a_new_link(request, client, submitted, url, who):
    user = request.getfixturevalue(who)
    old_value = latest_link(submitted)
    client.force_login(user)

    response = client.post(reverse("approvals:signoff_resend", args=[submitted.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("channels:detail", args=[submitted.pk])
    [message] = get_messages(response.wsgi_request)
    assert "petra.prefekt@umu.se" in str(message)
    assert message.level_tag == "success"
    decisions = sorted(submitted.signoffs.values_list("decision", flat=True))
    assert decisions == ["pending", "replaced"]
    new_value = latest_link(submitted)
    assert new_value != old_value
    assert signoff_from_link(new_value).requested_by == user
    assert OutgoingEmail.objects.filter(template="signoff-request").count() == 2


@pytest.mark.parametrize("who", ["colleague"])
def test_others_get_404(request, client, submitted, who):
    client.force_login(request.getfixturevalue(who))
    before = snapshot(submitted)

    response = client.post(reverse("approvals:signoff_resend", args=[submitted.pk]))

    assert response.status_code == 404
    assert snapshot(submitted) == before


def test_an_unknown_channel_is_404(client, owner):
    client.force_login(owner)
    assert client.post(reverse("approvals:signoff_resend", args=[9999])).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, submitted):
    before = snapshot(submitted)
    response = client.post(reverse("approvals:signoff_resend", args=[submitted.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert snapshot(submitted) == before


def test_resend_is_post_only(client, submitted, owner):
    client.force_login(owner)
    before = snapshot(submitted)
    response = client.get(reverse("approvals:signoff_resend", args=[submitted.pk]))
    assert response.status_code == 405
    assert snapshot(submitted) == before


@pytest.mark.parametrize("state", [Channel.State.DRAFT, Channel.State.AWAITING_KOMM])
def test_no_new_link_in_the_wrong_state(client, draft, owner, state):
    draft.state = state
    draft.save()
    client.force_login(owner)
    before = snapshot(draft)

    response = client.post(reverse("approvals:signoff_resend", args=[draft.pk]))

    assert response.status_code == 302
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "error"
    assert "awaits the head of department" in str(message)
    assert snapshot(draft) == before
