"""The Content-Security-Policy and the other headers every page carries, and no template that
would need an exception from them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.testing.factories import OutgoingEmailFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# E-mails are not pages: mail clients ignore style sheets, so they keep their inline styles.
SERVED = [p for p in TEMPLATES.rglob("*.html") if "emails" not in p.relative_to(TEMPLATES).parts]
INLINE = {
    "a <script> element without src": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "an event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {d[0]: d[1:] for d in directives}


def test_pages_allow_only_their_own_scripts_and_styles(client):
    rules = policy(client.get(reverse("login")))

    assert rules["script-src"] == ["'self'"]
    assert rules["style-src"] == ["'self'"]
    assert rules["default-src"] == ["'self'"]
    assert rules["object-src"] == ["'none'"]
    assert rules["form-action"] == ["'self'"]


def test_no_page_may_be_framed(client, owner):
    client.force_login(owner)
    response = client.get(reverse("channels:my_channels"))

    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_error_pages_carry_the_policy_too(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_only_the_development_mailbox_preview_allows_the_emails_inline_styles(client, settings):
    settings.DEBUG = True
    email = OutgoingEmailFactory(body_html='<p style="color: red">Hej</p>')

    detail = policy(client.get(reverse("devmail:detail", args=[email.pk])))
    listing = policy(client.get(reverse("devmail:list")))

    assert "'unsafe-inline'" in detail["style-src"]
    assert "'unsafe-inline'" not in detail["script-src"]
    assert listing["style-src"] == ["'self'"]


@pytest.mark.parametrize("template", SERVED, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_served_templates_have_no_inline_script_or_style(template):
    text = template.read_text()

    found = [what for what, pattern in INLINE.items() if pattern.search(text)]

    assert found == [], f"{template.name} has {', '.join(found)}: move it to static/"
