"""The policy pages: the filled-in template on the wizard's policy step with its copy button,
downloads as text and as a web page (for the channel's people and Komm only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_policy_step_offers_copy_and_both_downloads(client, draft, owner):
    client.force_login(owner)
    page = client.get(reverse("channels:step", args=[draft.pk, "policy"])).content.decode()
    # The copy button is hidden until the script (a file: the CSP forbids inline scripts) shows it.
    assert 'data-copy-target="policy-template-text"' in page
    assert "js/copy.js" in page and "<script>" not in page
    assert reverse("channels:policy_download", args=[draft.pk]) in page
    assert reverse("channels:policy_download_html", args=[draft.pk]) in page


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_html_download_is_a_whole_page_in_the_language(client, draft, owner, lang):
    client.force_login(owner)
    response = client.get(
        reverse("channels:policy_download_html", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Disposition"].endswith('.html"')
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    heading = "Policy för" if lang == "sv" else "Policy for"
    assert f"<h1>{heading} {draft.name}" in page
    assert "1998:112" in page


def test_the_downloads_are_hidden_from_other_staff(client, draft, colleague, komm):
    for name in ("channels:policy_download", "channels:policy_download_html"):
        client.force_login(colleague)
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
        client.force_login(komm)
        assert client.get(reverse(name, args=[draft.pk])).status_code == 200
