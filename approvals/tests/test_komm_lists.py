"""Komm's lists of campaign notices and ad orders, siblings of the channel queue: filtered by
state, platform, a search in titles and channel names, and the period; counted per state; their
waiting times shown; paginated; and as cheap for 30 rows as for 10."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.adorders.models import AdOrder
from approvals.campaigns.models import CampaignNotice
from approvals.testing.factories import AdOrderFactory, CampaignNoticeFactory
from channels.models import Platform
from channels.testing.factories import ChannelFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def queries_for(client, url: str, params: dict | None = None) -> int:
    client.get(url, params)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("view", "factory"),
    [
        ("approvals:campaign_notices", CampaignNoticeFactory),
        ("approvals:ad_orders", AdOrderFactory),
    ],
)
def test_a_page_of_30_costs_what_a_page_of_10_costs(client, komm, view, factory):
    """The N+1 this prevents: each row's channels, platforms and sender read one by one."""
    client.force_login(komm)
    url = reverse(view)
    dated = {"starts_on": TODAY, "ends_on": TODAY}  # this week: on the notices' default page
    factory.create_batch(10, channels=[ChannelFactory(), ChannelFactory()], **dated)
    ten = queries_for(client, url)
    factory.create_batch(20, channels=[ChannelFactory()], **dated)
    assert queries_for(client, url) == ten
    assert queries_for(client, url, {"page": 2}) == ten


def test_the_notices_filter_by_state_platform_search_and_period(client, komm):
    instagram, youtube = Platform.objects.all()[:2]
    kemi = ChannelFactory(name="Kemi", platform=instagram)
    fysik = ChannelFactory(name="Fysik", platform=youtube)
    week = {"starts_on": TODAY, "ends_on": TODAY}
    acked = CampaignNoticeFactory(
        channels=[kemi], title="Öppet hus", state=CampaignNotice.State.ACKNOWLEDGED, **week
    )
    sent = CampaignNoticeFactory(channels=[fysik], title="Vårkampanj", **week)
    coming = CampaignNoticeFactory(
        channels=[kemi],
        title="Höstkampanj",
        starts_on=TODAY + datetime.timedelta(days=30),
        ends_on=TODAY + datetime.timedelta(days=40),
    )
    client.force_login(komm)
    url = reverse("approvals:campaign_notices")

    def listed(**params) -> list:
        return list(client.get(url, params).context["notices"])

    assert listed() == [acked, sent]  # this week by default
    assert listed(state="sent") == [sent]
    assert listed(platform=instagram.pk) == [acked]
    assert listed(q="kemi") == [acked] and listed(q="vårkamp") == [sent]
    assert listed(period="coming") == [coming]
    tabs = {tab["value"]: tab["count"] for tab in client.get(url).context["state_tabs"]}
    assert tabs == {"sent": 1, "commented": 0, "acknowledged": 1, "": 2}
    page = client.get(url).content.decode()
    assert reverse("approvals:queue") in page and reverse("approvals:ad_orders") in page
    assert 'aria-current="page"' in page


def test_the_orders_filter_by_state_kind_platform_and_period_and_show_the_wait(client, komm):
    instagram, youtube = Platform.objects.all()[:2]
    kemi = ChannelFactory(name="Kemi", platform=instagram)
    waiting = AdOrderFactory(channels=[kemi], title="Annons Kemi")
    AdOrder.objects.filter(pk=waiting.pk).update(
        state_changed_at=timezone.now() - datetime.timedelta(days=3)
    )
    done = AdOrderFactory(
        channels=[ChannelFactory(platform=youtube)], title="Klar", state=AdOrder.State.DONE
    )
    client.force_login(komm)
    url = reverse("approvals:ad_orders")

    def listed(**params) -> list:
        return list(client.get(url, params).context["orders"])

    assert listed() == [waiting]  # the open ones by default
    assert listed(state="done") == [done]
    assert listed(platform=youtube.pk) == [] and listed(platform=youtube.pk, state="done") == [done]
    assert listed(q="kemi") == [waiting]
    assert listed(kind="search") == []
    assert listed(period="past") == []
    page = client.get(url).content.decode()
    assert "3\xa0days ago" in page or "3 days ago" in page


def test_an_edited_url_falls_back_to_the_defaults(client, komm):
    this_week = CampaignNoticeFactory(starts_on=TODAY, ends_on=TODAY)
    CampaignNoticeFactory(
        starts_on=TODAY + datetime.timedelta(days=30), ends_on=TODAY + datetime.timedelta(days=30)
    )
    client.force_login(komm)
    response = client.get(reverse("approvals:campaign_notices"), {"platform": "x", "period": "y"})
    assert response.status_code == 200
    assert list(response.context["notices"]) == [this_week]
    assert response.context["form"].errors
