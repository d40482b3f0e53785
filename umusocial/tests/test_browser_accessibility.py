"""axe-core on the pages of running channels, closures and Komm's lists, in Swedish and English.

Each page is opened by the person who uses it (the owner, Komm, a head of department with a dead
link, a colleague without access, a developer reading the dev mailbox), in a browser context whose
locale is Swedish (the site's default users) or English (en-GB). The page must say which
language it is in (<html lang>) and have no WCAG 2.1 A/AA violations that axe-core can find,
at a desktop width and at the 320 px width of WCAG's reflow criterion, where the page itself
must not scroll sideways (only a wide table inside its own scroll box may).
Nothing here depends on the wording of a page, so the tests hold whatever the catalogue says.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from approvals.closure.services import closure_confirm, closure_record, closure_start
from approvals.handover.flagging import staff_deactivate
from approvals.handover.services import handover_start
from approvals.models import Closure, Handover, PrefectSignoff
from approvals.signoff.services import channel_submit, signoff_approve, signoff_request
from approvals.testing.lifecycle import activate
from channels.evaluations.services import evaluation_submit
from channels.models import Channel, Evaluation
from channels.services import channel_sync_permissions
from channels.testing.factories import ChannelFactory
from core.models import OutgoingEmail
from core.testing.factories import UserFactory
from core.testing.outbox import delivered
from umusocial.testing.browser import (
    assert_no_axe_violations,
    assert_no_sideways_scroll,
    log_in_as,
)

pytestmark = pytest.mark.browser


def check(tab, lang: str, live_server, path: str, status: int = 200) -> None:
    """Open `path`, check its status and language, and run axe-core on it."""
    response = tab.goto(live_server.url + path)
    assert response.status == status, f"{path}: {response.status}"
    check_current(tab, lang)


def check_current(tab, lang: str) -> None:
    """The page's language, then axe-core at a desktop width and at WCAG's reflow width
    (320 CSS pixels), where wide tables scroll and must be reachable by keyboard."""
    assert tab.locator("html").get_attribute("lang") == lang
    assert_no_axe_violations(tab)
    desktop = tab.viewport_size
    tab.set_viewport_size({"width": 320, "height": 640})
    try:
        assert_no_axe_violations(tab)
        assert_no_sideways_scroll(tab)
    finally:
        tab.set_viewport_size(desktop)


# --- Channels in the states the pages show ----------------------------------------------------


def new_channel(owner, **kwargs) -> Channel:
    channel = ChannelFactory(created_by=owner, **kwargs)
    channel_sync_permissions(channel=channel)
    return channel


def evaluate(channel: Channel, owner) -> Evaluation:
    return evaluation_submit(
        channel=channel,
        submitted_by=owner,
        evaluated_on=timezone.localdate(),
        summary="The channel reaches the students it was meant for.",
        meets_purpose=True,
        decision=Evaluation.Decision.CONTINUE,
        registry_confirmed=True,
        followers=1200,
        posts=40,
        response_time_hours=12,
    )


def start_closure(channel: Channel, owner) -> Closure:
    return closure_start(channel=channel, started_by=owner, reason="The project has ended.")


def tick_every_step(closure: Closure, owner) -> Closure:
    return closure_record(
        closure=closure,
        user=owner,
        archive_location="The department's archive, box 12",
        account_outcome=Closure.AccountOutcome.CLOSED,
        steps_done={name for name, _label in Closure.STEPS},
    )


@pytest.fixture
def registry(active, owner, komm, admin_user):
    """Something in every list of Komm's overview and handover list."""
    # An evaluation that is overdue.
    Channel.objects.filter(pk=active.pk).update(
        next_evaluation_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    # A registration waiting for the head of department.
    channel_submit(channel=new_channel(owner), submitted_by=owner)
    # A handover under way.
    newcomer = UserFactory(
        username="nils", first_name="Nils", last_name="Nyman", email="nils@umu.se"
    )
    handover_start(
        channel=activate(new_channel(owner), owner=owner, komm=komm),
        started_by=owner,
        new_responsible=newcomer,
        new_responsible_phone="090-786 11 11",
        new_deputies=[],
        reason=Handover.Reason.LEAVING,
    )
    # A closure under way, half done.
    closure = start_closure(activate(new_channel(owner), owner=owner, komm=komm), owner)
    closure_record(
        closure=closure,
        user=owner,
        archive_location="",
        account_outcome="",
        steps_done={"followers_told_at"},
    )
    # A channel whose responsible person has left.
    leaver = UserFactory(username="lena", first_name="Lena", last_name="Lämnat")
    activate(new_channel(leaver), owner=leaver, komm=komm)
    staff_deactivate(user=leaver, by=admin_user)
    assert Handover.objects.filter(state__in=Handover.OPEN_STATES).exists()
    assert Channel.objects.filter(state=Channel.State.CLOSING).exists()


# --- The pages --------------------------------------------------------------------------------


def test_evaluation_form_and_its_errors(live_server, tab, lang, active):
    log_in_as(tab, live_server, "anna")
    check(tab, lang, live_server, reverse("channels:evaluate", args=[active.pk]))
    screenshot(tab, lang, "evaluation-form")

    # Submitted empty: the error summary and the fields' errors are shown.
    with tab.expect_navigation():
        tab.locator("form.evaluation-form [type=submit]").click()
    expect(tab.locator("form.evaluation-form .is-invalid").first).to_be_visible()
    assert not active.evaluations.exists()
    check_current(tab, lang)
    screenshot(tab, lang, "evaluation-form-error")


def test_active_channel_with_an_evaluation(live_server, tab, lang, active, owner):
    evaluate(active, owner)
    log_in_as(tab, live_server, "anna")
    check(tab, lang, live_server, reverse("channels:detail", args=[active.pk]))
    expect(tab.locator(".evaluation-history tbody tr")).to_have_count(1)
    expect(tab.locator("section[aria-labelledby=closure-title]")).to_be_visible()
    expect(tab.locator("section[aria-labelledby=evaluations-title]")).to_be_visible()


def test_closure_pages(live_server, tab, lang, active, owner):
    log_in_as(tab, live_server, "anna")
    check(tab, lang, live_server, reverse("approvals:closure_start", args=[active.pk]))

    closure = start_closure(active, owner)
    check(tab, lang, live_server, reverse("approvals:closure", args=[closure.pk]))
    expect(tab.locator("main form input[type=checkbox]").first).to_be_visible()
    screenshot(tab, lang, "closure")


def test_closure_ready_to_confirm_as_komm(live_server, tab, lang, active, owner, komm):
    closure = tick_every_step(start_closure(active, owner), owner)
    log_in_as(tab, live_server, "karin")
    path = reverse("approvals:closure", args=[closure.pk])
    confirm = reverse("approvals:closure_confirm", args=[closure.pk])
    check(tab, lang, live_server, path)
    expect(tab.locator(f"form[action='{confirm}'] [type=submit]")).to_be_visible()


def test_closed_channel(live_server, tab, lang, active, owner, komm):
    closure = tick_every_step(start_closure(active, owner), owner)
    closure_confirm(closure=closure, confirmed_by=komm)
    active.refresh_from_db()
    assert active.state == Channel.State.CLOSED
    log_in_as(tab, live_server, "anna")
    check(tab, lang, live_server, reverse("channels:detail", args=[active.pk]))
    expect(tab.locator("section[aria-labelledby=closure-title]")).to_be_visible()


def test_komm_overview(live_server, tab, lang, registry, komm):
    log_in_as(tab, live_server, "karin")
    check(tab, lang, live_server, reverse("approvals:overview"))
    screenshot(tab, lang, "overview")
    for section in ("overdue", "handovers", "signoffs", "flagged", "closures"):
        rows = tab.locator(f"section[aria-labelledby={section}] table tbody tr")
        expect(rows.first, f"the list {section!r} is empty").to_be_visible()


def test_komm_handover_list(live_server, tab, lang, registry, komm):
    log_in_as(tab, live_server, "karin")
    check(tab, lang, live_server, reverse("approvals:handovers"))
    expect(tab.locator(".pending-handovers tbody tr")).to_have_count(1)
    expect(tab.locator(".flagged-channels tbody tr")).to_have_count(1)


def test_komm_handover_list_with_both_lists_over_two_pages(live_server, tab, lang, owner, komm):
    """Past a page of open handovers and a page of flagged channels, each list has its own
    page links, and the two navigations have names of their own (axe: landmark-unique)."""
    from approvals.handover.views import FLAGGED_PAGE_SIZE, HANDOVERS_PAGE_SIZE
    from approvals.testing.factories import HandoverFactory

    def running(name: str) -> Channel:
        return ChannelFactory(
            name=name, created_by=owner, state=Channel.State.ACTIVE, address_is_planned=False
        )

    for i in range(HANDOVERS_PAGE_SIZE + 1):
        HandoverFactory(channel=running(f"Överlämnas {i:02}"))
    since = timezone.now() - datetime.timedelta(days=40)
    for i in range(FLAGGED_PAGE_SIZE + 1):
        Channel.objects.filter(pk=running(f"Flaggad {i:02}").pk).update(needs_handover_since=since)
    log_in_as(tab, live_server, "karin")

    check(tab, lang, live_server, reverse("approvals:handovers"))
    navigations = tab.locator("nav:has(.pagination)")
    expect(navigations).to_have_count(2)
    expect(tab.locator(".flagged-channels tbody tr")).to_have_count(FLAGGED_PAGE_SIZE)

    navigations.nth(1).get_by_role("link", name="Next" if lang == "en" else "Nästa").click()
    expect(tab.locator(".flagged-channels tbody tr")).to_have_count(1)
    expect(tab.locator(".pending-handovers tbody tr")).to_have_count(HANDOVERS_PAGE_SIZE)
    check_current(tab, lang)


def test_komm_queue_search_without_results(live_server, tab, lang, registry, komm):
    log_in_as(tab, live_server, "karin")
    check(tab, lang, live_server, reverse("approvals:queue") + "?q=no-such-channel-xyz")
    expect(tab.locator("main input[name=q]")).to_have_value("no-such-channel-xyz")
    expect(tab.locator(".komm-queue")).to_have_count(0)


def test_not_found_page(live_server, tab, lang, owner):
    log_in_as(tab, live_server, "anna")
    check(tab, lang, live_server, reverse("channels:detail", args=[999_999]), status=404)


# --- More pages: the owner's list, Komm's review and filters, handovers, links, dev mail -----


def screenshot(tab, lang: str, name: str) -> None:
    """Full-page screenshots to judge the layout, when A11Y_SCREENSHOTS names a folder."""
    folder = os.environ.get("A11Y_SCREENSHOTS")
    if folder:
        tab.screenshot(path=Path(folder) / f"a11y-{name}-{lang}.png", full_page=True)


def signoff_link_paths() -> list[str]:
    """The paths of the sign-off links e-mailed so far, oldest first."""
    emails = OutgoingEmail.objects.filter(template="signoff-request").order_by("pk")
    return [re.search(r"/approvals/signoff/\S+?/", delivered(e).body).group(0) for e in emails]


def awaiting_komm(owner) -> Channel:
    channel = new_channel(owner)
    channel_submit(channel=channel, submitted_by=owner)
    signoff_approve(signoff=channel.signoffs.get())
    channel.refresh_from_db()
    assert channel.state == Channel.State.AWAITING_KOMM
    return channel


def test_channel_being_closed(live_server, tab, lang, active, owner):
    evaluate(active, owner)
    start_closure(active, owner)
    active.refresh_from_db()
    assert active.state == Channel.State.CLOSING
    log_in_as(tab, live_server, "anna")
    check(tab, lang, live_server, reverse("channels:detail", args=[active.pk]))
    expect(tab.locator("section[aria-labelledby=closure-title]")).to_be_visible()


def test_closure_start_with_an_error(live_server, tab, lang, active):
    log_in_as(tab, live_server, "anna")
    tab.goto(live_server.url + reverse("approvals:closure_start", args=[active.pk]))
    with tab.expect_navigation():
        tab.locator("main form [type=submit]").click()
    expect(tab.locator("#error-summary")).to_be_visible()
    assert not Closure.objects.exists()
    check_current(tab, lang)


def test_my_channels_over_two_pages_with_coming_duties(live_server, tab, lang, owner, komm):
    # Named so that the channels with duties come first (the list is ordered by name).
    overdue = activate(new_channel(owner, name="A overdue evaluation"), owner=owner, komm=komm)
    Channel.objects.filter(pk=overdue.pk).update(
        next_evaluation_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    handing_over = activate(new_channel(owner, name="B handover"), owner=owner, komm=komm)
    handover_start(
        channel=handing_over,
        started_by=owner,
        new_responsible=UserFactory(username="nils", first_name="Nils", last_name="Nyman"),
        new_responsible_phone="090-786 11 11",
        new_deputies=[],
        reason=Handover.Reason.LEAVING,
    )
    closing = activate(new_channel(owner, name="C closing"), owner=owner, komm=komm)
    start_closure(closing, owner)
    channel_submit(channel=new_channel(owner, name="D submitted"), submitted_by=owner)
    for n in range(20):
        new_channel(owner, name=f"Z draft {n:02}")

    log_in_as(tab, live_server, "anna")
    check(tab, lang, live_server, reverse("channels:my_channels"))
    expect(tab.locator("table.my-channels tbody tr")).to_have_count(20)
    # Each duty once, in its channel's row (channels.next_step), the evaluation with its link.
    for code in ("closure_checklist", "handover_under_way", "evaluate_overdue"):
        expect(tab.locator(f"td.next-action [data-step='{code}']")).to_have_count(1)
    expect(
        tab.locator(f"a[href='{reverse('channels:evaluate', args=[overdue.pk])}']")
    ).to_be_visible()
    expect(tab.locator("main nav .pagination")).to_be_visible()

    check(tab, lang, live_server, reverse("channels:my_channels") + "?page=2")
    expect(tab.locator("table.my-channels tbody tr")).to_have_count(4)


def test_komm_queue_with_filters(live_server, tab, lang, owner, komm):
    channel = awaiting_komm(owner)
    channel_submit(channel=new_channel(owner), submitted_by=owner)
    log_in_as(tab, live_server, "karin")
    query = f"?state=all&platform={channel.platform.pk}&unit={channel.responsible_unit.pk}"
    check(tab, lang, live_server, reverse("approvals:queue") + query + "&sort=newest")
    expect(tab.locator("table.komm-queue tbody tr")).to_have_count(1)
    expect(tab.locator("main select[name=platform]")).to_have_value(str(channel.platform.pk))


def test_review_with_an_error(live_server, tab, lang, owner, komm):
    channel = awaiting_komm(owner)
    log_in_as(tab, live_server, "karin")
    check(tab, lang, live_server, reverse("approvals:review", args=[channel.pk]))

    # No decision chosen: the error summary links to the first radio button.
    with tab.expect_navigation():
        tab.locator(
            f"form[action='{reverse('approvals:review', args=[channel.pk])}'] [type=submit]"
        ).click()
    expect(tab.locator("#error-summary a[href='#id_decision_0']")).to_be_visible()
    channel.refresh_from_db()
    assert channel.state == Channel.State.AWAITING_KOMM
    check_current(tab, lang)


def test_handover_pages(live_server, tab, lang, active, owner):
    log_in_as(tab, live_server, "anna")
    check(tab, lang, live_server, reverse("approvals:handover_start", args=[active.pk]))

    handover = handover_start(
        channel=active,
        started_by=owner,
        new_responsible=UserFactory(username="nils", first_name="Nils", last_name="Nyman"),
        new_responsible_phone="090-786 11 11",
        new_deputies=[],
        reason=Handover.Reason.LEAVING,
    )
    check(tab, lang, live_server, reverse("approvals:handover", args=[handover.pk]))
    check(tab, lang, live_server, reverse("channels:detail", args=[active.pk]))


def test_dead_sign_off_links(live_server, tab, lang, draft, owner):
    channel_submit(channel=draft, submitted_by=owner)
    signoff_request(channel=draft, requested_by=owner)  # the first link is replaced
    replaced, current = signoff_link_paths()
    check(tab, lang, live_server, replaced, status=410)
    check(tab, lang, live_server, current)

    signoff_approve(signoff=draft.signoffs.get(decision=PrefectSignoff.Decision.PENDING))
    check(tab, lang, live_server, current, status=410)  # used
    check(tab, lang, live_server, reverse("approvals:signoff", args=["not-a-link"]), status=404)


def test_dev_mail_pages(live_server, tab, lang, settings, draft, owner):
    settings.DEBUG = True
    channel_submit(channel=draft, submitted_by=owner)
    email = OutgoingEmail.objects.filter(template="signoff-request").get()
    check(tab, lang, live_server, reverse("devmail:list"))
    expect(tab.locator("main table tbody tr").first).to_be_visible()
    check(tab, lang, live_server, reverse("devmail:detail", args=[email.pk]))
    expect(tab.locator("main iframe")).to_be_visible()


def test_forbidden_page(live_server, tab, lang, colleague):
    log_in_as(tab, live_server, "cecilia")
    check(tab, lang, live_server, reverse("approvals:overview"), status=403)
