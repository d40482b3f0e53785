"""The channel page and the sign-off page as a person sees them, at a desktop width and at
WCAG's reflow width (320 CSS pixels): what to do comes first, the rest can be jumped to or
unfolded, nothing scrolls sideways, and axe-core finds nothing (issue 12, items 8 and 16)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from approvals.handover.flagging import staff_deactivate
from approvals.signoff.services import channel_submit
from approvals.testing.lifecycle import activate
from approvals.testing.links import latest_link
from umusocial.testing.browser import assert_no_axe_violations, log_in_as, t

pytestmark = pytest.mark.browser

WIDTHS = (1280, 320)


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def _no_sideways_scroll(tab) -> None:
    assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"]


def test_the_channel_page_puts_the_next_step_first_and_its_sections_in_reach(
    live_server, tab, lang, owner, deputy, komm, draft, admin_user
):
    channel = activate(draft, owner=owner, komm=komm)
    staff_deactivate(user=deputy, by=admin_user)
    log_in_as(tab, live_server, "anna")
    tab.goto(live_server.url + channel.get_absolute_url())
    contents = tab.get_by_role("navigation", name=t("On this page", lang))
    next_step = tab.locator(".next-step")
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        # The one next step, with its action, above everything else.
        expect(next_step.locator("[data-step='handover_needed']")).to_be_visible()
        expect(next_step.get_by_role("link", name=t("Start a handover", lang))).to_be_visible()
        assert _box(next_step)["y"] < _box(contents)["y"]
        assert _box(next_step)["y"] < 700  # in the first screen
        _no_sideways_scroll(tab)
        assert_no_axe_violations(tab)
    # Wide: the contents beside the sections; narrow: above them.
    registration = tab.locator("#registration-title")
    tab.set_viewport_size({"width": 1280, "height": 900})
    assert _box(contents)["x"] + _box(contents)["width"] <= _box(registration)["x"]
    tab.set_viewport_size({"width": 320, "height": 640})
    assert _box(contents)["y"] + _box(contents)["height"] <= _box(registration)["y"]
    # Every link of the contents leads to a heading of the page.
    contents.get_by_role("link", name=t("History", lang)).click()
    assert tab.url.endswith("#audit-title")
    expect(tab.locator("#audit-title")).to_be_in_viewport()


def test_the_sign_off_page_asks_for_the_decision_before_the_full_application(
    live_server, tab, lang, owner, draft
):
    channel_submit(channel=draft, submitted_by=owner)
    tab.goto(live_server.url + reverse("approvals:signoff", args=[latest_link(draft)]))
    approve = tab.get_by_role("button", name=t("Approve", lang), exact=True)
    application = tab.locator("details.full-application")
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        expect(tab.locator(".signoff-summary")).to_contain_text(draft.purpose)
        assert _box(approve)["y"] < _box(application)["y"]
        expect(tab.locator(".full-application .registration-sections")).to_be_hidden()
        _no_sideways_scroll(tab)
        assert_no_axe_violations(tab)
    application.locator("summary").click()
    expect(tab.locator(".full-application .registration-sections")).to_be_visible()
    expect(application).to_contain_text(draft.handover_routine)
    assert_no_axe_violations(tab)
