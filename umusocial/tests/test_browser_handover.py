"""A handover in a real browser, from start to completion, with axe-core on every page on the way.

The owner starts a handover of an active channel, the head of department appoints the new
person through the e-mailed link, and the new person logs in, accepts, and ticks every step of
the checklist; then the channel's page names them as responsible.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from approvals.audit import Event
from approvals.handover.forms import HandoverStartForm
from approvals.models import Handover
from approvals.testing.lifecycle import activate
from channels.models import Channel
from core.models import OutgoingEmail
from core.testing.factories import UserFactory
from core.testing.outbox import delivered
from umusocial.testing.browser import (
    assert_no_axe_violations,
    button,
    click_and_wait,
    field,
    h1,
    log_in,
    t,
)

pytestmark = pytest.mark.browser


def step_label(name: str, lang: str = "sv") -> str:
    with translation.override(lang):
        return str(dict(Handover.STEPS)[name])


def test_a_handover_from_start_to_completion(
    live_server, browser, page, settings, draft, owner, komm
):
    settings.SITE_URL = live_server.url
    channel = activate(draft, owner=owner, komm=komm)
    newcomer = UserFactory(
        username="nils", first_name="Nils", last_name="Nyman", email="nils@umu.se"
    )

    # 1. The owner starts the handover from the channel's page.
    log_in(page, live_server, "anna")
    page.goto(f"{live_server.url}/channels/{channel.pk}/")
    expect(h1(page)).to_have_text(channel.name)
    assert_no_axe_violations(page)
    click_and_wait(page.get_by_role("link", name=t("Start a handover")))
    expect(h1(page)).to_have_text(t("Hand over “%(name)s”", name=channel.name))
    expect(page.locator("main")).to_contain_text(
        t(
            "The portal never asks for, and never stores, a password or a recovery code. Hand "
            "them over in person or through the platform's own role settings."
        )
    )
    assert_no_axe_violations(page)
    field(page, HandoverStartForm, "new_responsible_email").fill("nils@umu.se")
    field(page, HandoverStartForm, "new_responsible_phone").fill("090-786 11 11")
    with translation.override("sv"):
        leaving = str(Handover.Reason.LEAVING.label)
    page.get_by_role("radio", name=leaving, exact=True).check()
    click_and_wait(button(page, "Start the handover"))

    handover = Handover.objects.get()
    assert page.url == f"{live_server.url}/approvals/handover/{handover.pk}/"
    expect(h1(page)).to_have_text(t("Handover of “%(name)s”", name=channel.name))
    expect(page.get_by_role("status")).to_contain_text("Nils Nyman")
    assert_no_axe_violations(page)

    # 2. The head of department follows the e-mailed link and appoints the new person.
    email = OutgoingEmail.objects.get(template="handover-signoff-request")
    body = delivered(email).body  # the stored row keeps no link; the delivered e-mail does
    links = set(re.findall(r"https?://\S+/approvals/signoff/\S+/", body))
    assert len(links) == 1, body
    prefect_context = browser.new_context(locale="sv-SE")
    prefect_context.set_default_timeout(10_000)
    try:
        prefect = prefect_context.new_page()
        assert prefect.goto(links.pop()).status == 200
        expect(h1(prefect)).to_have_text(
            t("Appoint a new responsible person: %(name)s", name=channel.name)
        )
        expect(prefect.locator(".handover-appointment")).to_contain_text("Nils Nyman")
        expect(prefect.locator(".handover-appointment")).to_contain_text("Anna Ägare")
        assert_no_axe_violations(prefect)
        prefect.get_by_label(
            t("I appoint %(name)s as responsible for the channel", name="Nils Nyman")
        ).check()
        click_and_wait(button(prefect, "Approve"))
        expect(h1(prefect)).to_have_text(t("Thank you"))
        assert_no_axe_violations(prefect)
    finally:
        prefect_context.close()
    handover.refresh_from_db()
    assert handover.state == Handover.State.AWAITING_ACCEPTANCE

    # 3. The new person logs in, finds the handover on My channels, accepts and does every step.
    new_context = browser.new_context(locale="sv-SE")
    new_context.set_default_timeout(10_000)
    try:
        nils = new_context.new_page()
        log_in(nils, live_server, "nils")
        waiting = nils.locator(".handovers-waiting")
        expect(waiting).to_contain_text(t("Handovers waiting for you"))
        assert_no_axe_violations(nils)
        click_and_wait(waiting.get_by_role("link", name=re.compile(re.escape(channel.name))))
        expect(h1(nils)).to_have_text(t("Handover of “%(name)s”", name=channel.name))
        assert_no_axe_violations(nils)
        click_and_wait(button(nils, "Accept the handover"))
        expect(nils.get_by_role("status")).to_contain_text(
            t("You accepted the handover. Work through the checklist below.")
        )
        assert_no_axe_violations(nils)
        for name, _label in Handover.STEPS:
            # The button's accessible name carries the step ("Mark as done: <step>").
            mark = nils.get_by_role("button", name=re.compile(re.escape(step_label(name))))
            expect(mark).to_contain_text(t("Mark as done"))
            click_and_wait(mark)
            assert_no_axe_violations(nils)
        expect(nils.get_by_role("status")).to_contain_text(
            t(
                "Every step is done: %(name)s is now responsible for “%(channel)s”.",
                name="Nils Nyman",
                channel=channel.name,
            )
        )
        expect(nils.locator(".handover-checklist button")).to_have_count(0)

        # 4. The channel's page is now theirs and names them as responsible.
        click_and_wait(nils.locator("main").get_by_role("link", name=channel.name).first)
        assert nils.url == f"{live_server.url}/channels/{channel.pk}/"
        expect(nils.locator(".registration-sections")).to_contain_text("Nils Nyman")
        expect(nils.locator(".audit-trail")).to_contain_text(t(str(Event.HANDOVER_COMPLETED.label)))
        assert_no_axe_violations(nils)
    finally:
        new_context.close()

    channel.refresh_from_db()
    handover.refresh_from_db()
    assert handover.state == Handover.State.COMPLETED
    assert channel.responsible == newcomer
    assert channel.state == Channel.State.ACTIVE
