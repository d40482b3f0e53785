"""Adding creatives to an ad order after ordering: while it is submitted or in progress, by who
ordered it or the channels' people, with the same type and size checks as when ordering; the
channels' trails say so and Komm is told (in the site's language, as every e-mail to Komm)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from approvals.adorders import validation
from approvals.adorders.models import AdAttachment, AdOrder
from approvals.adorders.services import ad_order_add_creatives, ad_order_move, ad_order_submit
from approvals.testing.lifecycle import activate
from channels.audit import entry_text
from channels.models import AuditEntry
from core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
ADDED = "ad-order-creatives-added"


@pytest.fixture
def order(draft, owner, komm):
    channel = activate(draft, owner=owner, komm=komm)
    today = timezone.localdate()
    return ad_order_submit(
        ordered_by=owner,
        channels=[channel],
        kind=AdOrder.Kind.SOCIAL,
        title="Sök till hösten",
        starts_on=today,
        ends_on=today,
        budget=5000,
        target_group="Studenter",
        landing_page="https://www.umu.se/utbildning/",
        cost_centre="KS 1",
    )


def png(name="banner.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_the_deputy_adds_a_creative_komm_is_told_and_the_trail_says_so(order, deputy, settings):
    [added] = ad_order_add_creatives(order=order, user=deputy, attachments=[png("story.png")])
    assert added.order == order and added.content_type == "image/png"
    email = OutgoingEmail.objects.get(template=ADDED)
    assert email.to == [settings.KOMM_EMAIL]
    assert "story.png" in email.body_text and "Sök till hösten" in email.body_text
    entry = AuditEntry.objects.get(action="ad_creatives_added")
    assert entry.actor == deputy
    assert entry_text(entry) == "“Sök till hösten”: story.png"


def test_while_in_progress_too_but_not_once_running(order, owner, komm):
    ad_order_move(order=order, to=AdOrder.State.IN_PROGRESS, user=komm)
    ad_order_add_creatives(order=order, user=owner, attachments=[png()])
    ad_order_move(order=order, to=AdOrder.State.RUNNING, user=komm)
    with pytest.raises(ValidationError, match="until the ads are running"):
        ad_order_add_creatives(order=order, user=owner, attachments=[png("late.png")])
    assert list(order.attachments.values_list("name", flat=True)) == ["banner.png"]


def test_a_colleague_cannot_add(order, colleague):
    with pytest.raises(PermissionDenied):
        ad_order_add_creatives(order=order, user=colleague, attachments=[png()])
    assert not AdAttachment.objects.exists()


@pytest.mark.parametrize(
    ("uploads", "message"),
    [
        (lambda: [], "Choose one or more files"),
        (lambda: [png("x.png", b"MZ not an image")], "is not a PNG"),
        (lambda: [png(f"{n}.png") for n in range(11)], "At most 10"),
    ],
    ids=["none", "wrong-type", "too-many"],
)
def test_bad_creatives_are_refused_and_nothing_stored(order, owner, uploads, message):
    with pytest.raises(ValidationError, match=message):
        ad_order_add_creatives(order=order, user=owner, attachments=uploads())
    assert not AdAttachment.objects.exists()
    assert not OutgoingEmail.objects.filter(template=ADDED).exists()
    assert not AuditEntry.objects.filter(action="ad_creatives_added").exists()


def test_too_big_is_refused(order, owner, monkeypatch):
    monkeypatch.setattr(validation, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationError, match="at most"):
        ad_order_add_creatives(order=order, user=owner, attachments=[png()])
    assert not AdAttachment.objects.exists()


def test_the_order_page_offers_the_upload_and_says_what_is_wrong(client, order, owner, komm):
    url = reverse("approvals:ad_order_creatives", args=[order.pk])
    client.force_login(owner)
    assert url in client.get(reverse("approvals:ad_order", args=[order.pk])).content.decode()
    bad = png("bad.png", b"MZ not an image")
    response = client.post(url, {"attachments": [bad]})
    assert response.status_code == 400
    assert "is not a PNG" in response.content.decode()
    assert not AdAttachment.objects.exists()
    response = client.post(url, {"attachments": [png("a.png"), png("b.png")]}, follow=True)
    assert "2 creatives are added" in response.text
    assert order.attachments.count() == 2
    client.force_login(komm)  # Komm receives creatives; it is not offered the upload
    assert url not in client.get(reverse("approvals:ad_order", args=[order.pk])).content.decode()


@pytest.mark.parametrize(("language", "words"), [("en", "added creatives"), ("sv", "lade till")])
def test_the_email_to_komm_is_in_the_sites_language(order, owner, settings, language, words):
    settings.LANGUAGE_CODE = language
    ad_order_add_creatives(order=order, user=owner, attachments=[png()])
    email = OutgoingEmail.objects.get(template=ADDED)
    assert words in email.body_text and words in email.body_html
