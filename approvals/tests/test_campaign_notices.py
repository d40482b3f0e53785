"""Campaign notices: the owner tells Komm; Komm acknowledges or comments; the pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from approvals.campaigns.models import CampaignNotice
from approvals.campaigns.services import campaign_notice_answer, campaign_notice_send
from approvals.testing.factories import CampaignNoticeFactory
from channels.models import AuditEntry
from core.models import OutgoingEmail
from core.states import IllegalTransition

pytestmark = pytest.mark.django_db


def fields(**overrides):
    today = timezone.localdate()
    values = {
        "title": "Öppet hus",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=3),
        "goal": "Fler sökande",
        "audience": "Gymnasieelever",
        "content": "Tre inlägg",
        "contact": "Anna, anna@umu.se",
    }
    return {**values, **overrides}


def test_owner_sends_a_notice_komm_is_told_and_the_trail_says_so(active, owner, settings):
    notice = campaign_notice_send(sent_by=owner, channels=[active], **fields())

    assert notice.state == CampaignNotice.State.SENT
    assert list(notice.channels.all()) == [active]
    assert AuditEntry.objects.filter(channel=active, action="campaign_notice_sent").exists()
    sent = OutgoingEmail.objects.get(template="campaign-notice-sent")
    assert sent.to == [settings.KOMM_EMAIL]
    assert "Öppet hus" in sent.subject


def test_a_colleague_cannot_speak_for_the_channel(active, colleague):
    with pytest.raises(PermissionDenied):
        campaign_notice_send(sent_by=colleague, channels=[active], **fields())
    assert not CampaignNotice.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": timezone.localdate() - datetime.timedelta(days=1)}, "ends_on"),
        ({"title": "  "}, "title"),
        ({"starts_on": None}, "starts_on"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(active, owner, overrides, field):
    with pytest.raises(ValidationError) as error:
        campaign_notice_send(sent_by=owner, channels=[active], **fields(**overrides))
    assert field in error.value.error_dict
    assert not CampaignNotice.objects.exists()
    assert not OutgoingEmail.objects.filter(template="campaign-notice-sent").exists()


def test_a_draft_channel_is_not_running(draft, owner):
    with pytest.raises(ValidationError, match="not running"):
        campaign_notice_send(sent_by=owner, channels=[draft], **fields())


def test_komm_comments_then_acknowledges_and_the_sender_hears(active, owner, komm):
    notice = campaign_notice_send(sent_by=owner, channels=[active], **fields())

    campaign_notice_answer(notice=notice, answered_by=komm, acknowledge=False, comment="Tagga oss")
    campaign_notice_answer(notice=notice, answered_by=komm, acknowledge=True, comment="")

    notice.refresh_from_db()
    assert notice.state == CampaignNotice.State.ACKNOWLEDGED
    assert notice.komm_comment == "Tagga oss"
    answers = OutgoingEmail.objects.filter(template="campaign-notice-answered")
    assert [m.to for m in answers] == [[owner.email], [owner.email]]
    with pytest.raises(IllegalTransition):
        campaign_notice_answer(notice=notice, answered_by=komm, acknowledge=True, comment="")


def test_only_komm_answers_and_a_comment_needs_text(active, owner, komm):
    notice = CampaignNoticeFactory(channels=[active], sent_by=owner)
    with pytest.raises(PermissionDenied):
        campaign_notice_answer(notice=notice, answered_by=owner, acknowledge=True, comment="")
    with pytest.raises(ValidationError):
        campaign_notice_answer(notice=notice, answered_by=komm, acknowledge=False, comment=" ")
    notice.refresh_from_db()
    assert notice.state == CampaignNotice.State.SENT


def test_the_form_sends_and_shows_errors_without_storing(client, active, owner):
    client.force_login(owner)
    url = reverse("approvals:campaign_notice_new")
    data = {**fields(), "channels": [active.pk]}
    bad = {**data, "ends_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat()}

    response = client.post(url, bad)
    assert response.status_code == 400
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not CampaignNotice.objects.exists()

    response = client.post(url, data)
    notice = CampaignNotice.objects.get()
    assert response["Location"] == reverse("approvals:campaign_notice", args=[notice.pk])
    assert "Öppet hus" in client.get(active.get_absolute_url()).content.decode()


def test_komm_answers_on_the_page(client, active, owner, komm):
    notice = CampaignNoticeFactory(channels=[active], sent_by=owner)
    client.force_login(komm)
    url = reverse("approvals:campaign_notice_answer", args=[notice.pk])

    assert client.post(url, {"comment": ""}).status_code == 400
    client.post(url, {"comment": "", "acknowledge": "1"})

    notice.refresh_from_db()
    assert notice.state == CampaignNotice.State.ACKNOWLEDGED


def test_komms_list_by_period_in_a_fixed_number_of_queries(client, komm, django_assert_num_queries):
    today = timezone.localdate()
    for days in (0, 0, 0, 0, 0, 20, -20):
        CampaignNoticeFactory(
            starts_on=today + datetime.timedelta(days=days),
            ends_on=today + datetime.timedelta(days=days),
        )
    client.force_login(komm)
    url = reverse("approvals:campaign_notices")
    client.get(url)  # warm the session and permission caches

    # Session, user, permissions, the frame's; the counts per state and the filter's platforms;
    # count and page with the senders joined; the channels and their platforms prefetched once
    # for the page, not per row (the N+1 this prevents: five rows cost what two cost).
    with django_assert_num_queries(15):
        response = client.get(url)
    assert len(response.context["notices"]) == 5
    assert len(client.get(url, {"period": "past"}).context["notices"]) == 1
