"""The public pages in a real browser: home and login, in Swedish and English, with axe-core.

Playwright's sync API drives Debian's Chromium (fixtures `browser` and `page` in conftest.py).
"""

from __future__ import annotations

import pytest

from umusocial.testing.browser import assert_no_axe_violations, switch_language

pytestmark = pytest.mark.browser


def test_home_page_in_swedish_and_english(live_server, page):
    page.goto(live_server.url + "/")

    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").count() == 1
    assert (
        page.get_by_role("link", name="Logga in")
        .or_(page.get_by_role("link", name="Log in"))
        .first.is_visible()
    )
    assert_no_axe_violations(page)

    switch_language(page, "en")

    assert page.url == live_server.url + "/"
    assert page.get_by_role("button", name="Svenska").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Register an official social media channel"
    )
    assert_no_axe_violations(page)


def test_login_page_in_swedish_and_english(live_server, page):
    page.goto(live_server.url + "/accounts/login/")

    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("#id_username").get_attribute("autocomplete") == "username"
    assert page.locator("#id_password").get_attribute("autocomplete") == "current-password"
    assert_no_axe_violations(page)

    switch_language(page, "en")

    assert page.get_by_label("Username").is_visible()
    assert page.get_by_label("Password").is_visible()
    assert "Demo logins" not in page.content()  # only with DEBUG on
    assert_no_axe_violations(page)


def test_wrong_password_shows_an_accessible_error_summary(live_server, page, owner):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill("anna")
    page.locator("#id_password").fill("not-the-password")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    summary = page.get_by_role("alert")
    assert summary.is_visible()
    assert summary.locator("a").first.get_attribute("href") == "#id_username"
    assert page.locator("#id_username").input_value() == "anna"
    assert_no_axe_violations(page)


def test_login_lands_on_my_channels(live_server, page, owner):
    page.goto(live_server.url + "/")
    switch_language(page, "en")
    with page.expect_navigation():
        page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("pw-for-tests")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    assert page.url == live_server.url + "/channels/"
    assert page.get_by_role("heading", level=1).inner_text() == "My channels"
    assert page.get_by_role("button", name="Log out").is_visible()
    assert_no_axe_violations(page)


def test_not_found_page_is_accessible(live_server, page):
    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    assert page.get_by_role("heading", level=1).count() == 1
    assert page.locator("main a[href='/']").is_visible()
    assert_no_axe_violations(page)
