"""The whole core journey in a real browser, with axe-core on every page on the way.

Staff register a channel through the wizard, the head of department opens the link from the
e-mail the portal queued and approves, Komm approves with a case number, and the owner marks the
channel opened. A second, shorter test walks the pages the other two people see in English.

Text is looked up through Django's own gettext in the page's language, so the assertions hold
whether or not the Swedish catalogue translates a string yet: the test reads what the user reads.
Interactions go through roles and labels, as a user (and assistive technology) finds them.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from approvals.audit import Event
from approvals.models import KommReview, PrefectSignoff
from approvals.review.forms import ReviewDecisionForm
from approvals.signoff.services import channel_submit
from channels.forms import OpenForm
from channels.models import AuditEntry, Channel
from channels.testing.factories import UnitFactory, platform
from channels.wizard.forms import (
    STEPS,
    EvaluationStepForm,
    OrganisationStepForm,
    PeopleStepForm,
    PlatformStepForm,
    PolicyStepForm,
    PurposeStepForm,
    RoutinesStepForm,
)
from core.models import OutgoingEmail
from core.testing.outbox import delivered
from umusocial.testing.browser import (
    assert_no_axe_violations,
    button,
    click_and_wait,
    field,
    h1,
    log_in,
    switch_language,
    t,
)

pytestmark = pytest.mark.browser

PREFECT_EMAIL = "petra.prefekt@umu.se"
CASE_NUMBER = "FS 1.1-1234-25"
PLANNED_ADDRESS = "https://www.instagram.com/umu_fysik"
LIVE_ADDRESS = "https://www.instagram.com/umufysik"


def screenshot(page, name: str) -> None:
    """Full-page screenshots to judge the look, when JOURNEY_SCREENSHOTS names a folder."""
    folder = os.environ.get("JOURNEY_SCREENSHOTS")
    if folder:
        page.screenshot(path=Path(folder) / f"journey-{name}.png", full_page=True)


# --- What the user reads, in the page's language -----------------------------------------------


def choice(value_label, lang: str = "sv") -> str:
    with translation.override(lang):
        return str(value_label)


def label_choice(form_class, name: str, value: str, lang: str = "sv") -> str:
    """The label of one choice of a form's choice field, in `lang`."""
    with translation.override(lang):
        return str(dict(form_class().fields[name].choices)[value])


def path(page) -> str:
    return urlsplit(page.url).path


def state_badge(page):
    return page.locator("main .state-badge").first


def expect_progress(page, current: int, done: set[int], lang: str = "sv") -> None:
    """The progress indicator names every step, marks the current one and the completed ones."""
    nav = page.get_by_role("navigation", name=t("Registration steps", lang))
    items = nav.get_by_role("listitem")
    expect(items).to_have_count(len(STEPS))
    for number, step in enumerate(STEPS, start=1):
        item = items.nth(number - 1)
        with translation.override(lang):
            title = str(step.title)
        expect(item).to_contain_text(title)
        if number == current:
            expect(item).to_have_attribute("aria-current", "step")
        else:
            expect(item).not_to_have_attribute("aria-current", "step")
        completed = f"({t('complete', lang)})" in (item.text_content() or "")
        assert completed == (number in done), f"step {number} {title}: complete={completed}"
        # Sighted users see a check mark too, not only the colour of the bar.
        expect(item.locator(".step-done-mark")).to_have_count(1 if number in done else 0)
    step_of = t("step %(step_number)s of %(step_count)s", lang, step_number=current, step_count=8)
    expect(h1(page)).to_contain_text(step_of)


def expect_step(page, number: int, done: set[int]) -> None:
    with translation.override("sv"):
        title = str(STEPS[number - 1].title)
    expect(h1(page)).to_contain_text(title)
    expect_progress(page, number, done)
    assert_no_axe_violations(page)


def save_and_continue(page) -> None:
    click_and_wait(button(page, "Save and continue"))


# --- The journey --------------------------------------------------------------------------------


def test_the_whole_journey_in_swedish(live_server, browser, page, settings, owner, deputy, komm):
    # Links in e-mails point at the running portal, as SITE_URL does in production.
    settings.SITE_URL = live_server.url
    unit = UnitFactory(name="Institutionen för fysik", name_en="Department of Physics")
    first_evaluation = timezone.localdate() + datetime.timedelta(days=200)

    # 1. Staff log in and find My channels empty.
    log_in(page, live_server, "anna")
    assert page.locator("html").get_attribute("lang") == "sv"
    expect(h1(page)).to_have_text(t("My channels"))
    expect(page.locator(".empty-state")).to_contain_text(
        t(
            "You have no channels yet. Register a channel here before you open it: your head of "
            "department approves it, then Komm."
        )
    )
    assert_no_axe_violations(page)
    click_and_wait(page.get_by_role("link", name=t("Register a new channel")))

    # Step 1: platform and name.
    assert page.url == live_server.url + "/channels/new/"
    expect_step(page, 1, done=set())
    expect(page.locator(".guidance summary", has_text="Instagram")).to_be_visible()  # guideline
    page.get_by_role("radio", name="Instagram", exact=True).check()
    field(page, PlatformStepForm, "name").fill("Umeå universitet – Fysik")
    # A Facebook address for an Instagram channel: the error summary names the field, links to
    # it, and the input is kept; nothing is stored.
    field(page, PlatformStepForm, "address").fill("https://www.facebook.com/umufysik")
    expect(field(page, PlatformStepForm, "address_is_planned")).to_be_checked()
    field(page, PlatformStepForm, "language").select_option(
        label=choice(Channel.Language.BOTH.label)
    )
    save_and_continue(page)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        t(
            "Addresses on %(platform)s are on %(domains)s.",
            platform="Instagram",
            domains=", ".join(platform("instagram").domains),
        )
    )
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_address")
    expect(field(page, PlatformStepForm, "name")).to_have_value("Umeå universitet – Fysik")
    expect(page.get_by_role("radio", name="Instagram", exact=True)).to_be_checked()
    assert not Channel.objects.exists()
    assert_no_axe_violations(page)
    summary.get_by_role("link").click()
    expect(field(page, PlatformStepForm, "address")).to_be_focused()
    field(page, PlatformStepForm, "address").fill(PLANNED_ADDRESS)
    save_and_continue(page)
    channel = Channel.objects.get()
    # (The browser carries the error link's #id_address through the wizard's POSTs and
    # redirects, since the step forms post to action=""; only the path matters here.)
    assert path(page) == f"/channels/{channel.pk}/step/purpose/"

    # Step 2: purpose and audience, with the guideline on the chosen platform.
    expect_step(page, 2, done={1})
    expect(page.locator(".guidance h2")).to_contain_text("Instagram")
    field(page, PurposeStepForm, "purpose").fill("Visa fysikens forskning och studentliv.")
    field(page, PurposeStepForm, "audience_primary").fill("Presumtiva studenter 19–27 år.")
    field(page, PurposeStepForm, "audience_secondary").fill("Nuvarande studenter.")
    save_and_continue(page)

    # Step 3: sender and organisation, and the head of department who signs off.
    expect_step(page, 3, done={1, 2})
    page.get_by_role("radio", name=choice(Channel.Sender.UNIT.label), exact=True).check()
    field(page, OrganisationStepForm, "sender_unit").select_option(label=unit.name)
    field(page, OrganisationStepForm, "responsible_unit").select_option(label=unit.name)
    field(page, OrganisationStepForm, "operations_area").fill("Utbildning på grundnivå")
    field(page, OrganisationStepForm, "prefect_name").fill("Petra Prefekt")
    field(page, OrganisationStepForm, "prefect_title").fill("Prefekt")
    field(page, OrganisationStepForm, "prefect_email").fill(PREFECT_EMAIL)
    save_and_continue(page)

    # Step 4: people and resources. The creator is the responsible person until changed.
    expect_step(page, 4, done={1, 2, 3})
    responsible_email = field(page, PeopleStepForm, "responsible_email")
    expect(responsible_email).to_have_value("anna@umu.se")
    field(page, PeopleStepForm, "responsible_phone").fill("090-786 50 00")
    field(page, PeopleStepForm, "deputy_1_email").fill("david@umu.se")
    field(page, PeopleStepForm, "deputy_1_phone").fill("090-786 00 00")
    field(page, PeopleStepForm, "resources").fill("Fyra timmar i veckan av en kommunikatör.")
    field(page, PeopleStepForm, "update_frequency").select_option(
        label=choice(Channel.Frequency.WEEKLY.label)
    )
    screenshot(page, "wizard-people")
    save_and_continue(page)

    # Step 5: routines.
    expect_step(page, 5, done={1, 2, 3, 4})
    field(page, RoutinesStepForm, "monitoring_who").fill("Ansvarig och ersättare turas om.")
    field(page, RoutinesStepForm, "monitoring_frequency").select_option(
        label=choice(Channel.MonitoringFrequency.DAILY.label)
    )
    field(page, RoutinesStepForm, "response_time_hours").fill("24")
    field(page, RoutinesStepForm, "archiving_routine").fill("Inlägg arkiveras varje månad.")
    field(page, RoutinesStepForm, "culling_routine").fill("Gallras efter två år.")
    save_and_continue(page)

    # Step 6: policy and profile.
    expect_step(page, 6, done={1, 2, 3, 4, 5})
    field(page, PolicyStepForm, "policy_text").fill("Vi tar bort kommentarer som bryter mot lag.")
    field(page, PolicyStepForm, "policy_location").fill("I profilens beskrivning.")
    field(page, PolicyStepForm, "graphic_profile_confirmed").check()
    save_and_continue(page)

    # Step 7: evaluation and handover.
    expect_step(page, 7, done={1, 2, 3, 4, 5, 6})
    field(page, EvaluationStepForm, "evaluation_method").fill("Följare och svarstider mot mål.")
    field(page, EvaluationStepForm, "evaluation_interval_months").fill("12")
    field(page, EvaluationStepForm, "evaluation_first_date").fill(first_evaluation.isoformat())
    field(page, EvaluationStepForm, "handover_routine").fill("Inloggning via funktionsbrevlåda.")
    save_and_continue(page)

    # Step 8: review shows everything and nothing is missing.
    assert path(page) == f"/channels/{channel.pk}/step/review/"
    expect_step(page, 8, done={1, 2, 3, 4, 5, 6, 7})
    expect(page.locator(".missing-list")).to_have_count(0)
    registration = page.locator(".registration-sections")
    for text in ("Umeå universitet – Fysik", PLANNED_ADDRESS, "Petra Prefekt", "david@umu.se"):
        expect(registration).to_contain_text(text)
    screenshot(page, "wizard-review")
    click_and_wait(button(page, "Submit"))

    # The channel's page: submitted, waiting for the head of department.
    assert page.url == f"{live_server.url}/channels/{channel.pk}/"
    expect(h1(page)).to_have_text("Umeå universitet – Fysik")
    expect(page.get_by_role("status")).to_contain_text(
        t(
            "Submitted. %(name)s, head of department, has been e-mailed a link to approve "
            "the channel.",
            name="Petra Prefekt",
        )
    )
    expect(state_badge(page)).to_contain_text(choice(Channel.State.AWAITING_PREFECT.label))
    assert_no_axe_violations(page)
    channel.refresh_from_db()
    assert channel.state == Channel.State.AWAITING_PREFECT

    # 2. The head of department reads the e-mail and follows its link, without an account.
    email = next(e for e in OutgoingEmail.objects.all() if PREFECT_EMAIL in e.to)
    assert email.template == "signoff-request"
    body = delivered(email).body  # the stored row keeps no link; the delivered e-mail does
    links = set(re.findall(r"https?://\S+/approvals/signoff/\S+/", body))
    assert len(links) == 1, body  # the same link in both languages
    link = links.pop()
    assert link.startswith(live_server.url + "/")

    prefect_context = browser.new_context(locale="sv-SE")
    prefect_context.set_default_timeout(10_000)
    try:
        prefect = prefect_context.new_page()
        response = prefect.goto(link)
        assert response.status == 200
        expect(h1(prefect)).to_have_text(
            t("Approve new channel: %(name)s", name="Umeå universitet – Fysik")
        )
        assert prefect.get_by_role("link", name=t("Log in")).is_visible()  # no account needed
        assert_no_axe_violations(prefect)
        prefect.get_by_label(
            t("I appoint %(name)s as responsible for the channel", name="Anna Ägare")
        ).check()
        click_and_wait(button(prefect, "Approve"))
        expect(h1(prefect)).to_have_text(t("Thank you"))
        expect(prefect.locator("main")).to_contain_text(
            t(
                "You approved “%(name)s” and appointed %(responsible)s as responsible for the "
                "channel.",
                name="Umeå universitet – Fysik",
                responsible="Anna Ägare",
            )
        )
        assert_no_axe_violations(prefect)
    finally:
        prefect_context.close()
    channel.refresh_from_db()
    assert channel.state == Channel.State.AWAITING_KOMM

    # 3. Komm finds the channel in the queue and approves it with a case number.
    komm_context = browser.new_context(locale="sv-SE")
    komm_context.set_default_timeout(10_000)
    try:
        reviewer = komm_context.new_page()
        log_in(reviewer, live_server, "karin")
        click_and_wait(reviewer.get_by_role("link", name=t("Komm's queue"), exact=True))
        expect(h1(reviewer)).to_have_text(t("Komm's queue"))
        queue = reviewer.locator("table.komm-queue")
        expect(queue.locator("tbody tr")).to_have_count(1)
        expect(queue).to_contain_text("Anna Ägare")
        screenshot(reviewer, "queue")
        assert_no_axe_violations(reviewer)

        click_and_wait(queue.get_by_role("link", name="Umeå universitet – Fysik"))
        assert reviewer.url == f"{live_server.url}/approvals/komm/{channel.pk}/"
        expect(h1(reviewer)).to_have_text("Umeå universitet – Fysik")
        expect(state_badge(reviewer)).to_contain_text(choice(Channel.State.AWAITING_KOMM.label))
        expect(reviewer.locator("#prefect-title + p")).to_contain_text("Petra Prefekt")
        assert_no_axe_violations(reviewer)
        reviewer.get_by_role(
            "radio", name=label_choice(ReviewDecisionForm, "decision", "approved"), exact=True
        ).check()
        field(reviewer, ReviewDecisionForm, "case_number").fill(CASE_NUMBER)
        click_and_wait(button(reviewer, "Record the decision"))

        assert reviewer.url == f"{live_server.url}/approvals/komm/"
        expect(reviewer.get_by_role("status")).to_contain_text(
            t(
                "“%(name)s” is approved. The owner has been told by e-mail.",
                name="Umeå universitet – Fysik",
            )
        )
        expect(reviewer.locator("main")).to_contain_text(t("Nothing is waiting for Komm."))
        assert_no_axe_violations(reviewer)
    finally:
        komm_context.close()

    # 4. The owner opens the channel and marks it opened with its live address.
    page.goto(f"{live_server.url}/channels/")
    expect(page.locator("table.my-channels tbody tr")).to_have_count(1)
    expect(state_badge(page)).to_contain_text(choice(Channel.State.APPROVED.label))
    assert_no_axe_violations(page)
    click_and_wait(page.get_by_role("link", name="Umeå universitet – Fysik"))
    expect(state_badge(page)).to_contain_text(choice(Channel.State.APPROVED.label))
    expect(page.locator("main")).to_contain_text(CASE_NUMBER)
    address = field(page, OpenForm, "address", channel=channel)
    expect(address).to_have_value(PLANNED_ADDRESS)
    assert_no_axe_violations(page)
    address.fill(LIVE_ADDRESS)
    click_and_wait(button(page, "Mark as opened"))

    assert page.url == f"{live_server.url}/channels/{channel.pk}/"
    expect(page.get_by_role("status")).to_contain_text(
        t("“%(name)s” is now active.", name="Umeå universitet – Fysik")
    )
    expect(state_badge(page)).to_contain_text(choice(Channel.State.ACTIVE.label))
    # Opened: the next duty is to record where its policy is published.
    expect(page.locator(".next-action")).to_contain_text(
        t("Record where the channel's policy is published.")
    )
    expect(page.locator(".audit-trail")).to_contain_text(choice(AuditEntry.Action.OPENED.label))
    assert_no_axe_violations(page)

    # What is stored.
    channel.refresh_from_db()
    assert channel.state == Channel.State.ACTIVE
    assert channel.address == LIVE_ADDRESS
    assert channel.address_is_planned is False
    assert channel.prefect_approved_on == timezone.localdate()
    assert channel.case_number == CASE_NUMBER
    assert channel.responsible == owner
    assert list(channel.deputies.all()) == [deputy]
    assert channel.evaluation_first_date == first_evaluation
    signoff = PrefectSignoff.objects.get(channel=channel)
    assert signoff.decision == PrefectSignoff.Decision.APPROVED
    review = KommReview.objects.get(channel=channel)
    assert review.decision == KommReview.Decision.APPROVED
    assert review.reviewer == komm
    assert review.case_number == CASE_NUMBER
    assert list(channel.audit_entries.values_list("action", flat=True)) == [
        AuditEntry.Action.CREATED,
        Event.SUBMITTED,
        Event.SIGNOFF_REQUESTED,
        Event.PREFECT_APPROVED,
        Event.KOMM_APPROVED,
        AuditEntry.Action.EDITED,  # the planned address became the live one
        AuditEntry.Action.OPENED,
    ]


# --- In English ---------------------------------------------------------------------------------


def test_the_journey_pages_in_english(live_server, browser, page, settings, draft, komm):
    settings.SITE_URL = live_server.url
    channel_submit(channel=draft, submitted_by=draft.responsible)
    email = OutgoingEmail.objects.filter(template="signoff-request").first()
    link = re.search(r"https?://\S+/approvals/signoff/\S+/", delivered(email).body).group(0)

    # The head of department switches the sign-off page to English; the link still works.
    response = page.goto(link)
    assert response.status == 200
    switch_language(page, "en")
    assert page.url == link
    expect(h1(page)).to_have_text(f"Approve new channel: {draft.name}")
    expect(page.get_by_role("button", name="Approve", exact=True)).to_be_visible()
    expect(page.get_by_label("Why do you decline?")).to_be_visible()
    assert_no_axe_violations(page)

    # The owner, in English from the language cookie: the wizard's first step.
    log_in(page, live_server, "anna", lang="en")
    expect(h1(page)).to_have_text("My channels")
    click_and_wait(page.get_by_role("link", name="Register a new channel").first)
    expect(h1(page)).to_contain_text("Platform and name")
    expect(h1(page)).to_contain_text("step 1 of 8")
    expect_progress(page, 1, done=set(), lang="en")
    expect(field(page, PlatformStepForm, "name", "en")).to_be_visible()
    expect(page.get_by_role("button", name="Save and continue", exact=True)).to_be_visible()
    screenshot(page, "wizard-en")
    assert_no_axe_violations(page)

    # Komm's queue, in English, with the channel the head of department has yet to approve.
    click_and_wait(page.get_by_role("button", name="Log out"))
    log_in(page, live_server, "karin", lang="en")
    click_and_wait(page.get_by_role("link", name="Komm's queue", exact=True))
    expect(h1(page)).to_have_text("Komm's queue")
    expect(page.locator("main")).to_contain_text("Nothing is waiting for Komm.")
    tabs = page.get_by_role("navigation", name="Channels per state")
    click_and_wait(tabs.get_by_role("link", name=re.compile(r"^Awaiting head of department")))
    expect(page.locator("table.komm-queue")).to_contain_text(draft.name)
    expect(page.locator("table.komm-queue caption")).to_contain_text(
        "Awaiting head of department: 1 channel"
    )
    expect(page.get_by_label("Search by name or address")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    assert_no_axe_violations(page)
