"""The moderation log in a real browser, in Swedish and English, with axe-core on every page:
a deputy records a removal with a screenshot; Komm filters across channels and exports."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.models import ModerationEntry
from approvals.testing.factories import PNG
from approvals.testing.lifecycle import activate
from umusocial.testing.browser import assert_no_axe_violations, log_in_as

pytestmark = pytest.mark.browser


def check(tab, lang: str, live_server=None, path: str = "") -> None:
    if path:
        response = tab.goto(live_server.url + path)
        assert response.status == 200, f"{path}: {response.status}"
    assert tab.locator("html").get_attribute("lang") == lang
    assert_no_axe_violations(tab)
    desktop = tab.viewport_size
    tab.set_viewport_size({"width": 320, "height": 640})
    try:
        assert_no_axe_violations(tab)
    finally:
        tab.set_viewport_size(desktop)


def test_a_deputy_records_a_removal_and_komm_filters_and_exports(
    live_server, tab, lang, draft, owner, komm
):
    channel = activate(draft, owner=owner, komm=komm)
    log_in_as(tab, live_server, "david")
    record = reverse("approvals:moderation_record", args=[channel.pk, "removal"])
    check(tab, lang, live_server, record)

    when = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))
    tab.locator("input[name=happened_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
    tab.locator("textarea[name=what]").fill("Rasistisk kommentar.")
    tab.locator("input[name=handle]").fill("@hatare")
    tab.locator("select[name=ground]").select_option("agitation")
    tab.locator("input[name=attachments]").set_input_files(
        files=[{"name": "skarmbild.png", "mimeType": "image/png", "buffer": PNG}]
    )
    with tab.expect_navigation():
        tab.locator("main form [type=submit]").click()
    entry = ModerationEntry.objects.get()
    assert entry.attachments.count() == 1
    check(tab, lang)  # the log, with the entry and its attachment
    check(tab, lang, live_server, channel.get_absolute_url())

    log_in_as(tab, live_server, "karin")
    komm_page = reverse("approvals:moderation_komm")
    check(tab, lang, live_server, f"{komm_page}?kind=removal&channel={channel.pk}")
    assert tab.locator("table.moderation-entries tbody tr").count() == 1
    with tab.expect_download() as download:
        tab.locator("a[href*='/export/csv/']").click()
    assert download.value.suggested_filename == "moderation.csv"
    with tab.expect_navigation():
        tab.locator("a[href*='/export/print/']").click()
    check(tab, lang)
