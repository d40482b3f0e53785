"""The public registry in a browser, without logging in, in Swedish and English: the directory,
"is this account official?" (official, closed, unknown) and the report of a suspected fake,
each checked by axe-core at a desktop width and at WCAG's 320 px reflow width."""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals.models import SuspectedAccountReport
from approvals.testing.factories import SuspectedAccountReportFactory
from umusocial.testing.browser import assert_no_axe_violations

pytestmark = pytest.mark.browser


def check_current(tab, lang: str) -> None:
    assert tab.locator("html").get_attribute("lang") == lang
    assert_no_axe_violations(tab)
    desktop = tab.viewport_size
    tab.set_viewport_size({"width": 320, "height": 640})
    try:
        assert_no_axe_violations(tab)
    finally:
        tab.set_viewport_size(desktop)


def test_directory(live_server, tab, lang, active):
    tab.goto(live_server.url + reverse("public:directory"))
    assert tab.locator(f"#entry-{active.pk}").count() == 1
    check_current(tab, lang)


def test_verify_official_and_unknown_then_report(live_server, tab, lang, active):
    tab.goto(live_server.url + reverse("public:verify"))
    check_current(tab, lang)
    tab.locator("main form input[name=url]").fill(active.address.upper() + "/")
    with tab.expect_navigation():
        tab.locator("main form [type=submit]").click()
    assert tab.locator(".verdict-official").count() == 1
    check_current(tab, lang)
    tab.locator("main form input[name=url]").fill("https://www.instagram.com/umu_fake")
    with tab.expect_navigation():
        tab.locator("main form [type=submit]").click()
    assert tab.locator(".verdict-unknown").count() == 1
    check_current(tab, lang)
    with tab.expect_navigation():
        tab.locator(f"main a[href^='{reverse('reports:new')}']").click()
    check_current(tab, lang)
    # Sent empty: the error summary, then a real report.
    tab.locator("main form.report-form textarea[name=reason]").fill("")
    with tab.expect_navigation():
        tab.locator("main form.report-form [type=submit]").click()
    check_current(tab, lang)
    tab.locator("main form.report-form textarea[name=reason]").fill("Uses our logo.")
    with tab.expect_navigation():
        tab.locator("main form.report-form [type=submit]").click()
    assert tab.url.endswith(reverse("reports:thanks"))
    check_current(tab, lang)
    assert SuspectedAccountReport.objects.filter(address_key="instagram.com/umu_fake").exists()


def test_komms_report_queue_and_a_report(live_server, tab, lang, komm):
    report = SuspectedAccountReportFactory(address="https://x.com/umu_fake")
    tab.goto(live_server.url + reverse("login"))
    tab.locator("main form input[name=username]").fill(komm.username)
    tab.locator("main form input[name=password]").fill("pw-for-tests")
    with tab.expect_navigation():
        tab.locator("main form [type=submit]").click()
    tab.goto(live_server.url + reverse("reports:queue"))
    check_current(tab, lang)
    tab.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    check_current(tab, lang)
