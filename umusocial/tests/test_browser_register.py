"""Komm's register in a browser, in Swedish and English, each page checked by axe-core: the
import of the sample spreadsheet (upload, dry run, confirm); and the open API's docs page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from channels.models import AuditEntry, Channel
from channels.testing.factories import UnitFactory
from umusocial.testing.browser import assert_no_axe_violations, log_in_as

pytestmark = pytest.mark.browser
SAMPLE = settings.BASE_DIR / "docs" / "registry-import-sample.csv"


@pytest.fixture
def sample_units(db):
    for name, name_en in [
        ("Kommunikationsenheten", "Communications Office"),
        ("Institutionen för fysik", "Department of Physics"),
        ("Institutionen för språkstudier", "Department of Language Studies"),
        ("Umeå centrum för genusstudier", "Umeå Centre for Gender Studies"),
    ]:
        UnitFactory(name=name, name_en=name_en)


def test_komm_imports_the_sample_spreadsheet(live_server, tab, lang, komm, owner, sample_units):
    log_in_as(tab, live_server, komm.username)
    tab.goto(live_server.url + reverse("channels:register"))
    with tab.expect_navigation():
        tab.locator(f"main a[href='{reverse('channels:register_import')}']").click()
    assert_no_axe_violations(tab)
    tab.locator("main input[type=file]").set_input_files(str(SAMPLE))
    with tab.expect_navigation():
        tab.locator("main form[enctype] [type=submit]").click()
    assert tab.locator("tr.import-create").count() == 5
    assert tab.locator("tr.import-error").count() == 0
    assert_no_axe_violations(tab)
    assert not Channel.objects.exists()
    confirm = f"main form[action='{reverse('channels:register_import_confirm')}'] [type=submit]"
    with tab.expect_navigation():
        tab.locator(confirm).click()
    assert tab.url == live_server.url + reverse("channels:register")
    assert tab.locator(".alert-success, [role=status]").count() >= 1
    assert_no_axe_violations(tab)
    assert Channel.objects.count() == 5
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTED).count() == 5


def test_the_api_docs_page(live_server, tab, lang):
    tab.goto(live_server.url + reverse("public:api_docs"))
    assert tab.locator("html").get_attribute("lang") == lang
    assert tab.locator("section.api-endpoint").count() == 5
    assert_no_axe_violations(tab)
    tab.set_viewport_size({"width": 320, "height": 640})
    assert_no_axe_violations(tab)
