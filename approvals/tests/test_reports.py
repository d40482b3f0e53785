"""Reports of suspected fake accounts: from the public (honeypot, rate limit), Komm's queue and
decisions, each audited; Komm is told of each new report."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from approvals.reports.models import SuspectedAccountReport
from approvals.reports.services import (
    RateLimited,
    report_decide,
    report_forget_contacts,
    report_submit,
)
from approvals.testing.factories import SuspectedAccountReportFactory
from core.models import OutgoingEmail
from core.states import IllegalTransition
from core.testing.outbox import delivered

pytestmark = pytest.mark.django_db
State = SuspectedAccountReport.State


def _report(client, **overrides):
    data = {
        "address": "https://www.instagram.com/UMU_Fake/",
        "reason": "It uses our logo and asks students for their passwords.",
        "contact": "",
        "website": "",
        **overrides,
    }
    return client.post(reverse("reports:new"), data)


def test_a_report_is_stored_audited_and_komm_is_told(client, settings):
    response = _report(client, contact="journalist@example.org")
    assert response.status_code == 302 and response["Location"] == reverse("reports:thanks")
    report = SuspectedAccountReport.objects.get()
    assert report.state == State.NEW
    assert report.address_key == "instagram.com/umu_fake"
    assert report.contact == "journalist@example.org"
    assert [(e.from_state, e.to_state) for e in report.events.all()] == [("", State.NEW)]
    [email] = OutgoingEmail.objects.all()
    message = delivered(email)
    assert message.to == [settings.KOMM_EMAIL]
    assert "https://www.instagram.com/UMU_Fake/" in message.body
    assert reverse("reports:detail", args=[report.pk]) in message.body


def test_the_honeypot_stores_and_sends_nothing_but_looks_like_success(client):
    response = _report(client, website="http://spam.example")
    assert response.status_code == 302
    assert not SuspectedAccountReport.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_report_needs_an_address_and_a_reason(client):
    response = _report(client, address="", reason="")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"address", "reason"}
    assert not SuspectedAccountReport.objects.exists()


def test_reports_are_rate_limited_per_client_address(client, settings):
    settings.REPORT_RATE_LIMIT = 2
    assert _report(client).status_code == 302
    assert _report(client).status_code == 302
    refused = _report(client)
    assert refused.status_code == 429
    assert "many reports in a short time" in refused.content.decode()
    assert SuspectedAccountReport.objects.count() == 2
    # Another client address is not held back.
    other = client.post(
        reverse("reports:new"),
        {"address": "x.com/umu_fake", "reason": "Fake."},
        REMOTE_ADDR="192.0.2.99",
    )
    assert other.status_code == 302


def test_the_rate_limit_service_refuses_past_the_limit(settings):
    settings.REPORT_RATE_LIMIT = 1
    report_submit(address="x.com/a", reason="r", client="198.51.100.1")
    with pytest.raises(RateLimited):
        report_submit(address="x.com/b", reason="r", client="198.51.100.1")


def test_the_verify_page_offers_the_report_form_for_an_unknown_account(client):
    text = client.get(reverse("public:verify"), {"url": "instagram.com/umu_fake"}).content
    assert reverse("reports:new") + "?url=instagram.com/umu_fake" in text.decode()
    form = client.get(reverse("reports:new"), {"url": "instagram.com/umu_fake"}).context["form"]
    assert form["address"].value() == "instagram.com/umu_fake"


def test_komm_moves_a_report_through_its_states_audited(komm):
    report = SuspectedAccountReportFactory()
    report_decide(report=report, to=State.CONFIRMED, decided_by=komm, note="Same logo.")
    report_decide(report=report, to=State.REPORTED, decided_by=komm)
    report.refresh_from_db()
    assert report.state == State.REPORTED
    events = [(e.from_state, e.to_state, e.actor, e.note) for e in report.events.all()]
    assert events == [
        (State.NEW, State.CONFIRMED, komm, "Same logo."),
        (State.CONFIRMED, State.REPORTED, komm, ""),
    ]
    with pytest.raises(IllegalTransition):
        report_decide(report=report, to=State.DISMISSED, decided_by=komm)


def test_only_komm_decides(owner):
    report = SuspectedAccountReportFactory()
    with pytest.raises(PermissionDenied):
        report_decide(report=report, to=State.DISMISSED, decided_by=owner)
    report.refresh_from_db()
    assert report.state == State.NEW


def test_komms_queue_lists_open_reports_and_the_page_decides(client, komm):
    new = SuspectedAccountReportFactory(address="https://x.com/umu_new_fake")
    SuspectedAccountReportFactory(address="https://x.com/umu_dismissed", state=State.DISMISSED)
    client.force_login(komm)
    queue = client.get(reverse("reports:queue")).content.decode()
    assert "umu_new_fake" in queue and "umu_dismissed" not in queue
    assert "umu_dismissed" in client.get(reverse("reports:queue"), {"show": "all"}).content.decode()
    url = reverse("reports:detail", args=[new.pk])
    assert client.post(url, {"to": State.OURS, "note": "Our new account."}).status_code == 302
    new.refresh_from_db()
    assert new.state == State.OURS
    assert "It is ours" in client.get(url).content.decode()


def test_a_reporters_contact_is_forgotten_once_the_report_is_handled(komm):
    """Handled: a state with no way on. A report still in Komm's hands keeps its contact."""
    now = timezone.now()
    handled_long_ago, handled_lately, still_open, confirmed = (
        SuspectedAccountReportFactory(contact=f"sender{n}@example.org") for n in range(4)
    )
    with time_machine.travel(now - datetime.timedelta(days=40)):
        report_decide(report=handled_long_ago, to=State.DISMISSED, decided_by=komm)
        report_decide(report=confirmed, to=State.CONFIRMED, decided_by=komm)
    report_decide(report=handled_lately, to=State.OURS, decided_by=komm)

    forgotten = report_forget_contacts(handled_before=now - datetime.timedelta(days=30))

    assert forgotten == 1
    contacts = {report.pk: report.contact for report in SuspectedAccountReport.objects.all()}
    assert contacts[handled_long_ago.pk] == ""
    assert contacts[handled_lately.pk] == "sender1@example.org"
    assert contacts[still_open.pk] == "sender2@example.org"
    assert contacts[confirmed.pk] == "sender3@example.org"  # confirmed: the platform is next
    handled_long_ago.refresh_from_db()
    assert handled_long_ago.state == State.DISMISSED  # only the contact goes
    assert report_forget_contacts(handled_before=timezone.now()) == 1  # the one handled lately
