"""axe-core on the sign-in pages, in Swedish and English: the login page (with and without the
university's sign-in, and with an error), the password reset's pages and the page shown when
the university's sign-in is refused."""

from __future__ import annotations

import shutil

import pytest
from django.urls import reverse

from core.testing.environment import need
from core.testing.saml import FakeIdP
from umusocial.testing.browser import assert_no_axe_violations

pytestmark = pytest.mark.browser


def check(tab, lang: str) -> None:
    assert tab.locator("html").get_attribute("lang") == lang
    assert_no_axe_violations(tab)
    tab.set_viewport_size({"width": 320, "height": 640})
    assert_no_axe_violations(tab)
    tab.set_viewport_size({"width": 1280, "height": 800})


def test_login_page_with_an_error(live_server, tab, lang, owner):
    tab.goto(live_server.url + reverse("login"))
    check(tab, lang)
    tab.locator("main form input[name=username]").fill("anna")
    tab.locator("main form input[name=password]").fill("wrong")
    with tab.expect_navigation():
        tab.locator("main form [type=submit]").click()
    assert tab.locator("#error-summary").count() == 1
    check(tab, lang)


def test_password_reset_pages(live_server, tab, lang, owner):
    tab.goto(live_server.url + reverse("password_reset"))
    check(tab, lang)
    with tab.expect_navigation():
        tab.locator("main form [type=submit]").click()  # no address: an error
    assert tab.locator("#error-summary").count() == 1
    check(tab, lang)
    tab.locator("main form input[name=email]").fill("anna@umu.se")
    with tab.expect_navigation():
        tab.locator("main form [type=submit]").click()
    assert tab.url.endswith(reverse("password_reset_done"))
    check(tab, lang)
    tab.goto(live_server.url + "/accounts/reset/MQ/set-password/")  # a link that does not work
    check(tab, lang)


def test_saml_pages(live_server, tab, lang, settings, tmp_path):
    need("xmlsec1", shutil.which("xmlsec1") is not None, "apt-get install xmlsec1")
    settings.SAML_ENABLED = True
    settings.SAML_CONFIG = FakeIdP(tmp_path).sp_config
    tab.goto(live_server.url + reverse("login"))
    assert tab.locator(f"main a[href^='{reverse('saml2_login')}']").count() == 1
    check(tab, lang)
    # An answer that is not SAML at all, posted to the ACS as a browser would.
    tab.set_content(
        f'<form method="post" action="{live_server.url}{reverse("saml2_acs")}">'
        '<input name="SAMLResponse" value="bm90IFNBTUw="><button>Go</button></form>'
    )
    with tab.expect_navigation():
        tab.locator("button").click()
    assert tab.locator("h1").count() == 1
    check(tab, lang)
