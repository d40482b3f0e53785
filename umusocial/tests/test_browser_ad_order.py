"""An ad order in a real browser, in Swedish and in English, with axe-core on every page on the
way: the owner orders ads with a creative from the channel's page; Komm finds the order in its
queue's "Ad orders" tab, takes it up (in progress) and sets it running; the owner sees it run."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from approvals.adorders.models import AdOrder
from approvals.testing.lifecycle import activate
from umusocial.testing.browser import (
    assert_no_axe_violations,
    button,
    click_and_wait,
    h1,
    log_in,
    log_in_as,
    t,
)

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def fill_the_order(tab: Page, creative) -> None:
    """The order form by its fields' names (their labels are axe's to check)."""
    form = tab.locator("main form")
    start = timezone.localdate() + datetime.timedelta(days=7)
    form.locator("[name=kind][value=social]").check()
    form.locator("[name=title]").fill("Sök till hösten")
    form.locator("[name=starts_on]").fill(start.isoformat())
    form.locator("[name=ends_on]").fill((start + datetime.timedelta(days=14)).isoformat())
    form.locator("[name=budget]").fill("15000")
    form.locator("[name=target_group]").fill("Gymnasieelever i Norrland")
    form.locator("[name=landing_page]").fill("https://www.umu.se/utbildning/")
    form.locator("[name=cost_centre]").fill("KS 4711")
    form.locator("[name=attachments]").set_input_files(str(creative))


def state_label(state: str, lang: str) -> str:
    from django.utils import translation

    with translation.override(lang):
        return str(AdOrder.State(state).label)


def test_an_owner_orders_ads_and_komm_sets_them_running(
    live_server, tab, lang, settings, tmp_path, draft, owner, komm
):
    settings.SITE_URL = live_server.url
    channel = activate(draft, owner=owner, komm=komm)
    creative = tmp_path / "banner.png"
    creative.write_bytes(PNG)

    # 1. The owner orders ads from the channel's page, with a creative.
    log_in(tab, live_server, "anna", lang)
    tab.goto(live_server.url + channel.get_absolute_url())
    assert_no_axe_violations(tab)
    click_and_wait(tab.get_by_role("link", name=t("Order ads", lang)))
    expect(tab.locator("main form [name=channels]:checked")).to_have_count(1)
    assert_no_axe_violations(tab)
    fill_the_order(tab, creative)
    click_and_wait(button(tab, "Send the order", lang))

    order = AdOrder.objects.get()
    assert tab.url == live_server.url + reverse("approvals:ad_order", args=[order.pk])
    expect(h1(tab)).to_have_text("Sök till hösten")
    expect(tab.get_by_role("link", name="banner.png")).to_be_visible()
    assert_no_axe_violations(tab)

    # 2. Komm finds it in the queue's "Ad orders" tab, takes it up and sets it running.
    log_in_as(tab, live_server, "karin")
    tab.goto(live_server.url + reverse("approvals:queue"))
    assert_no_axe_violations(tab)
    click_and_wait(tab.get_by_role("link", name=t("Ad orders", lang), exact=True))
    expect(tab.get_by_role("link", name="Sök till hösten")).to_be_visible()
    assert_no_axe_violations(tab)
    click_and_wait(tab.get_by_role("link", name="Sök till hösten"))
    assert_no_axe_violations(tab)
    for state in (AdOrder.State.IN_PROGRESS, AdOrder.State.RUNNING):
        label = state_label(state, lang)
        click_and_wait(tab.get_by_role("button", name=label, exact=True))
        expect(tab.locator("main .badge").first).to_have_text(label)
        assert_no_axe_violations(tab)
    order.refresh_from_db()
    assert order.state == AdOrder.State.RUNNING

    # 3. The owner sees it running on the channel's page.
    log_in_as(tab, live_server, "anna")
    tab.goto(live_server.url + channel.get_absolute_url())
    expect(tab.locator("#ad-orders-title + ul")).to_contain_text(
        state_label(AdOrder.State.RUNNING, lang)
    )
    assert_no_axe_violations(tab)


def test_the_policy_steps_copy_button_works_under_the_csp(live_server, tab, lang, owner, deputy):
    """The button is hidden without JavaScript; the local script (no inline script: the CSP)
    shows it, and a click copies the filled-in template or says to copy by hand."""
    from channels.policy.models import PolicyTemplate
    from channels.services import channel_sync_permissions
    from channels.testing.factories import ChannelFactory

    # live_server's tests empty the tables after each test, the data migration's template too.
    if not PolicyTemplate.objects.exists():
        PolicyTemplate.objects.create(
            version=1, body_sv="Policy för {name}", body_en="Policy for {name}"
        )
    channel = ChannelFactory(created_by=owner, deputies=[deputy])
    channel_sync_permissions(channel=channel)
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(tab, live_server, "anna", lang)
    tab.goto(live_server.url + reverse("channels:step", args=[channel.pk, "policy"]))
    copy = button(tab, "Copy the text", lang)
    expect(copy).to_be_visible()
    copy.click()
    expect(tab.locator("#policy-template-text-status")).to_have_text(t("The text is copied.", lang))
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert channel.name in copied
    # The pointer still rests on the button: move it away and let Bootstrap's colour transition
    # end, or axe may measure the contrast of a colour halfway between two states.
    tab.mouse.move(0, 0)
    for _ in range(50):  # page.wait_for_function evaluates a string, which the CSP forbids
        if tab.evaluate("document.getAnimations().length") == 0:
            break
        tab.wait_for_timeout(20)
    assert_no_axe_violations(tab)


def test_the_policy_differences_and_the_update_offer_pass_axe(
    live_server, tab, lang, owner, deputy, komm
):
    """Komm's review with an edited policy (<ins>/<del>), and a running channel's page offering
    a new template version, in both languages."""
    from approvals.signoff.services import channel_submit, signoff_approve
    from approvals.testing.lifecycle import activate
    from channels.policy.models import PolicyTemplate
    from channels.policy.services import policy_adopt
    from channels.services import channel_sync_permissions
    from channels.testing.factories import ChannelFactory

    if not PolicyTemplate.objects.exists():
        PolicyTemplate.objects.create(
            version=1,
            body_sv="Policy för {name}. Vi svarar.",
            body_en="Policy for {name}. We answer.",
        )
    reviewed = ChannelFactory(created_by=owner, deputies=[deputy], name="Granskad kanal")
    channel_sync_permissions(channel=reviewed)
    policy_adopt(channel=reviewed, user=owner, language=lang)
    reviewed.refresh_from_db()
    reviewed.policy_text = reviewed.policy_text.replace(".", ", on weekdays and weekends.", 1)
    reviewed.save()
    channel_submit(channel=reviewed, submitted_by=owner)
    signoff_approve(signoff=reviewed.signoffs.get())
    running = ChannelFactory(created_by=owner, deputies=[deputy], name="Kanal i drift")
    channel_sync_permissions(channel=running)
    policy_adopt(channel=running, user=owner, language=lang)
    activate(running, owner=owner, komm=komm)
    latest = PolicyTemplate.objects.order_by("-version").first()
    PolicyTemplate.objects.create(
        version=latest.version + 1, body_sv="Ny policy för {name}", body_en="New policy for {name}"
    )

    log_in(tab, live_server, "karin", lang)
    tab.goto(live_server.url + reverse("approvals:review", args=[reviewed.pk]))
    expect(tab.locator(".policy-diff ins").first).to_be_visible()
    assert_no_axe_violations(tab)
    log_in_as(tab, live_server, "anna")
    tab.goto(live_server.url + running.get_absolute_url())
    expect(tab.locator("#policy-update-title")).to_be_visible()
    assert_no_axe_violations(tab)
