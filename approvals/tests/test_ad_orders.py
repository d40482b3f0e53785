"""Ad orders: ordering with creatives, Komm's handling, the orderer's withdrawal, the pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from approvals.adorders import validation
from approvals.adorders.models import AdAttachment, AdOrder
from approvals.adorders.services import ad_order_move, ad_order_submit
from approvals.testing.factories import AdOrderFactory
from channels.models import AuditEntry
from core.models import OutgoingEmail
from core.states import IllegalTransition

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
State = AdOrder.State


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return tmp_path


def png(name="banner.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def fields(**overrides):
    today = timezone.localdate()
    values = {
        "kind": AdOrder.Kind.SOCIAL,
        "title": "Sök till hösten",
        "starts_on": today + datetime.timedelta(days=7),
        "ends_on": today + datetime.timedelta(days=21),
        "budget": 15000,
        "target_group": "Gymnasieelever 17–19 år",
        "landing_page": "https://www.umu.se/utbildning/",
        "cost_centre": "KS 1234",
        "notes": "",
    }
    return {**values, **overrides}


def test_owner_orders_with_a_creative_kept_privately(active, owner, settings, private_dir):
    order = ad_order_submit(ordered_by=owner, channels=[active], attachments=[png()], **fields())

    assert order.state == State.SUBMITTED
    attachment = order.attachments.get()
    assert attachment.content_type == "image/png"
    assert str(private_dir) in attachment.file.path
    assert OutgoingEmail.objects.get(template="ad-order-submitted").to == [settings.KOMM_EMAIL]
    assert AuditEntry.objects.filter(channel=active, action="ad_ordered").exists()


def test_a_colleague_cannot_order_for_the_channel(active, colleague):
    with pytest.raises(PermissionDenied):
        ad_order_submit(ordered_by=colleague, channels=[active], **fields())
    assert not AdOrder.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"budget": 0}, "budget", "more than 0"),
        ({"budget": "abc"}, "budget", "more than 0"),
        ({"ends_on": timezone.localdate()}, "ends_on", "cannot be before"),
        ({"landing_page": "https://example.com/umu.se"}, "landing_page", "on umu.se"),
        ({"landing_page": "https://umu.se.example.com/"}, "landing_page", "on umu.se"),
        ({"landing_page": "javascript:alert(1)//umu.se"}, "landing_page", "on umu.se"),
    ],
    ids=["budget-0", "budget-text", "end-before-start", "off-umu", "lookalike", "scheme"],
)
def test_bad_input_is_refused_and_nothing_stored(active, owner, overrides, field, message):
    with pytest.raises(ValidationError) as error:
        ad_order_submit(
            ordered_by=owner, channels=[active], attachments=[png()], **fields(**overrides)
        )
    assert message in " ".join(error.value.message_dict[field])
    assert not AdOrder.objects.exists()
    assert not AdAttachment.objects.exists()
    assert not OutgoingEmail.objects.filter(template="ad-order-submitted").exists()


def test_a_creative_of_the_wrong_type_or_too_big_is_refused(
    active, owner, monkeypatch, private_dir
):
    fake = SimpleUploadedFile("banner.png", b"MZ not an image", content_type="image/png")
    with pytest.raises(ValidationError, match="is not a PNG"):
        ad_order_submit(ordered_by=owner, channels=[active], attachments=[fake], **fields())
    monkeypatch.setattr(validation, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationError, match="at most"):
        ad_order_submit(ordered_by=owner, channels=[active], attachments=[png()], **fields())
    assert not AdOrder.objects.exists()
    assert not private_dir.exists() or not any(private_dir.rglob("*.*"))


def test_komm_moves_the_order_through_and_the_orderer_hears_each_step(active, owner, komm):
    order = ad_order_submit(ordered_by=owner, channels=[active], **fields())
    for to in (State.IN_PROGRESS, State.RUNNING, State.DONE):
        ad_order_move(order=order, to=to, user=komm)
    order.refresh_from_db()
    assert order.state == State.DONE
    changed = OutgoingEmail.objects.filter(template="ad-order-changed")
    assert {tuple(m.to) for m in changed} >= {(owner.email,)}
    assert AuditEntry.objects.filter(channel=active, action="ad_order_moved").count() == 3
    with pytest.raises(IllegalTransition):
        ad_order_move(order=order, to=State.RUNNING, user=komm)


def test_illegal_moves_and_wrong_people(active, owner, deputy, komm):
    order = AdOrderFactory(channels=[active], ordered_by=owner)
    with pytest.raises(IllegalTransition):
        ad_order_move(order=order, to=State.DONE, user=komm)
    with pytest.raises(PermissionDenied):
        ad_order_move(order=order, to=State.IN_PROGRESS, user=owner)
    with pytest.raises(PermissionDenied):
        ad_order_move(order=order, to=State.WITHDRAWN, user=deputy)
    with pytest.raises(ValidationError, match="Say why"):
        ad_order_move(order=order, to=State.DECLINED, user=komm, reason=" ")
    order.refresh_from_db()
    assert order.state == State.SUBMITTED


def test_decline_keeps_the_reason_and_withdrawal_tells_komm(active, owner, komm, settings):
    declined = AdOrderFactory(channels=[active], ordered_by=owner)
    ad_order_move(order=declined, to=State.DECLINED, user=komm, reason="Budgeten räcker inte.")
    declined.refresh_from_db()
    assert declined.decline_reason == "Budgeten räcker inte."
    withdrawn = AdOrderFactory(channels=[active], ordered_by=owner)
    ad_order_move(order=withdrawn, to=State.WITHDRAWN, user=owner)
    tos = [m.to for m in OutgoingEmail.objects.filter(template="ad-order-changed")]
    assert [settings.KOMM_EMAIL] in tos


def test_creatives_are_served_only_to_the_channels_people_and_komm(
    client, active, owner, colleague, komm
):
    order = ad_order_submit(ordered_by=owner, channels=[active], attachments=[png()], **fields())
    url = reverse("approvals:ad_order_attachment", args=[order.attachments.get().pk])
    for user, status in ((owner, 200), (komm, 200), (colleague, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert response.content == PNG
            assert response["X-Content-Type-Options"] == "nosniff"


def test_the_form_says_what_is_wrong_and_stores_nothing(client, active, owner):
    client.force_login(owner)
    data = {**fields(budget="tusen"), "channels": [active.pk], "attachments": [png()]}
    response = client.post(reverse("approvals:ad_order_new"), data)
    assert response.status_code == 400
    assert "Give the budget in whole kronor, more than 0." in response.content.decode()
    assert not AdOrder.objects.exists()

    data = {**fields(), "channels": [active.pk], "attachments": [png()]}
    response = client.post(reverse("approvals:ad_order_new"), data)
    order = AdOrder.objects.get()
    assert response["Location"] == reverse("approvals:ad_order", args=[order.pk])
    assert "Sök till hösten" in client.get(active.get_absolute_url()).content.decode()


def test_komm_moves_it_on_the_page(client, active, owner, komm):
    order = AdOrderFactory(channels=[active], ordered_by=owner)
    client.force_login(komm)
    url = reverse("approvals:ad_order_move", args=[order.pk])
    assert client.post(url, {"to": State.DECLINED, "reason": ""}).status_code == 400
    client.post(url, {"to": State.IN_PROGRESS})
    order.refresh_from_db()
    assert order.state == State.IN_PROGRESS


def test_komms_list_filters_and_counts_in_a_fixed_number_of_queries(
    client, komm, django_assert_num_queries
):
    AdOrderFactory.create_batch(5)
    AdOrderFactory(state=State.DONE, kind=AdOrder.Kind.SEARCH)
    client.force_login(komm)
    url = reverse("approvals:ad_orders")
    client.get(url)

    # The frame's queries, the counts (one), the platforms of the filter (one), count and page
    # with the orderers joined, the channels and platforms prefetched once: six rows cost what
    # one costs (no N+1).
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert len(response.context["orders"]) == 5
    assert {tab["value"]: tab["count"] for tab in response.context["state_tabs"]}["done"] == 1
    assert len(client.get(url, {"state": "done", "kind": "search"}).context["orders"]) == 1


QUERIES = 15
