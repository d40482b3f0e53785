"""Driving the portal's pages in a real browser (Playwright's sync API): reading what the user
reads, in the page's language, finding controls by role and label, and checking every page
with axe-core. The fixtures `browser` and `page` are in conftest.py.

Text is looked up through Django's own gettext in the page's language, so the assertions hold
whether or not the Swedish catalogue translates a string yet.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page, expect

# Every persona's password (core.testing.factories.UserFactory).
PASSWORD = "pw-for-tests"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # Best practice beyond WCAG's rules: two landmarks of one kind need different names, or a
    # screen reader's list of landmarks offers the same entry twice.
    "rules": {"landmark-unique": {"enabled": True}},
}
_axe: Any = None


def assert_no_axe_violations(page: Page) -> None:
    """Fail with a readable list when axe-core finds WCAG 2.1 A/AA violations on the page."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    violations = _axe.run(page, options=AXE_OPTIONS).response["violations"]
    lines = []
    for violation in violations:
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
        lines.append(f"- {violation['id']}: {violation['help']} → {'; '.join(targets)}")
    assert not violations, f"axe found WCAG violations on {page.url}:\n" + "\n".join(lines)


def assert_no_sideways_scroll(page: Page) -> None:
    """WCAG 1.4.10 (reflow): the page is no wider than the window; a wide table scrolls inside
    its own box instead."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide in a {widths[1]} px window"


def watch_csp(context: BrowserContext) -> list[str]:
    """A list that fills with what Chromium refused under the Content-Security-Policy (an
    inline script or style left in a template, a file from elsewhere) in this context's pages."""
    refused: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{message.location.get('url', '')}: {message.text}")

    context.on("console", note)
    return refused


def t(msgid: str, lang: str = "sv", **values: Any) -> str:
    """A UI string as the portal shows it in `lang` (English while it is not translated yet)."""
    with translation.override(lang):
        text = gettext(msgid)
    return text % values if values else text


def label_of(form_class: Any, name: str, lang: str = "sv", **form_kwargs: Any) -> str:
    """A field's label as the form renders it in `lang`."""
    with translation.override(lang):
        return str(form_class(**form_kwargs).fields[name].label)


def field(page: Page, form_class: Any, name: str, lang: str = "sv", **form_kwargs: Any) -> Locator:
    """The control labelled like the form's field (crispy marks required ones with "*")."""
    text = label_of(form_class, name, lang, **form_kwargs)
    return page.get_by_label(re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$"))


def h1(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def click_and_wait(locator: Locator) -> None:
    with locator.page.expect_navigation():
        locator.click()


def button(page: Page, msgid: str, lang: str = "sv") -> Locator:
    return page.get_by_role("button", name=t(msgid, lang), exact=True)


def switch_language(page: Page, to: str) -> None:
    """Press the header's language button (labelled in its own language) and wait for reload."""
    label = {"en": "English", "sv": "Svenska"}[to]
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()
    assert page.locator("html").get_attribute("lang") == to


def log_in(page: Page, live_server: Any, username: str, lang: str = "sv") -> None:
    """Go to a page that needs a login, log in on the login page, land back on that page."""
    page.goto(live_server.url + "/channels/")
    assert "/accounts/login/" in page.url
    expect(h1(page)).to_have_text(t("Log in", lang))
    assert_no_axe_violations(page)
    field(page, AuthenticationForm, "username", lang).fill(username)
    field(page, AuthenticationForm, "password", lang).fill(PASSWORD)
    click_and_wait(page.locator("main form").get_by_role("button", name=t("Log in", lang)))
    assert page.url == live_server.url + "/channels/"
    assert page.get_by_role("button", name=t("Log out", lang)).is_visible()


def log_in_as(tab: Page, live_server: Any, username: str) -> None:
    """Sign out, then log in as `username` by the fields' names (no text of the page needed):
    for tests that switch people and languages."""
    tab.context.clear_cookies()
    tab.goto(live_server.url + reverse("login"))
    tab.locator("main form input[name=username]").fill(username)
    tab.locator("main form input[name=password]").fill(PASSWORD)
    with tab.expect_navigation():
        tab.locator("main form [type=submit]").click()
    assert reverse("login") not in tab.url, "the login failed"
