"""axe-core on the campaign notice, ad order and policy template pages, in Swedish and English,
at a desktop width and at WCAG's 320 px reflow width; a form's error state too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals.testing.factories import AdAttachmentFactory, AdOrderFactory, CampaignNoticeFactory
from approvals.testing.lifecycle import activate
from umusocial.testing.browser import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def work(draft, owner, komm):
    """An active channel with a notice and an ad order with a creative."""
    channel = activate(draft, owner=owner, komm=komm)
    notice = CampaignNoticeFactory(channels=[channel], sent_by=owner)
    order = AdOrderFactory(channels=[channel], ordered_by=owner)
    AdAttachmentFactory(order=order)
    return {"channel": channel, "notice": notice, "order": order}


def check(tab, lang: str, live_server, path: str, status: int = 200) -> None:
    response = tab.goto(live_server.url + path)
    assert response.status == status, f"{path}: {response.status}"
    assert tab.locator("html").get_attribute("lang") == lang
    assert_no_axe_violations(tab)
    desktop = tab.viewport_size
    tab.set_viewport_size({"width": 320, "height": 640})
    try:
        assert_no_axe_violations(tab)
    finally:
        tab.set_viewport_size(desktop)


def test_the_owners_pages(live_server, tab, lang, work):
    log_in(tab, live_server, "anna", lang)
    channel = work["channel"]
    check(
        tab, lang, live_server, reverse("approvals:campaign_notice_new") + f"?channel={channel.pk}"
    )
    check(tab, lang, live_server, reverse("approvals:campaign_notice", args=[work["notice"].pk]))
    check(tab, lang, live_server, reverse("approvals:ad_order_new"))
    # The form's error state: nothing filled in.
    tab.locator("main form [type=submit]").click()
    tab.wait_for_load_state()
    assert_no_axe_violations(tab)
    check(tab, lang, live_server, reverse("approvals:ad_order", args=[work["order"].pk]))
    check(tab, lang, live_server, channel.get_absolute_url())
    check(tab, lang, live_server, reverse("channels:policy_publication", args=[channel.pk]))


def test_komms_pages(live_server, tab, lang, work):
    log_in(tab, live_server, "karin", lang)
    check(tab, lang, live_server, reverse("approvals:campaign_notices"))
    check(tab, lang, live_server, reverse("approvals:campaign_notices") + "?period=coming")
    check(tab, lang, live_server, reverse("approvals:campaign_notice", args=[work["notice"].pk]))
    check(tab, lang, live_server, reverse("approvals:ad_orders"))
    check(tab, lang, live_server, reverse("approvals:ad_order", args=[work["order"].pk]))


def test_the_policy_step(live_server, tab, lang, owner, deputy):
    from channels.services import channel_sync_permissions
    from channels.testing.factories import ChannelFactory

    channel = ChannelFactory(created_by=owner, deputies=[deputy])
    channel_sync_permissions(channel=channel)
    log_in(tab, live_server, "anna", lang)
    check(tab, lang, live_server, reverse("channels:step", args=[channel.pk, "policy"]))
