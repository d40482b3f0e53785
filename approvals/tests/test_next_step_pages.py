"""The next step on the channel page and on "My channels" (channels.next_step, with the
workflows' facts through channels.hooks): the pages agree with each other and with the facts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals.handover.flagging import staff_deactivate
from approvals.testing.handover import start
from approvals.testing.lifecycle import activate, approve
from channels.models import Channel

pytestmark = pytest.mark.django_db


def next_step_of(html: str) -> str:
    """The text of the channel page's next-step panel."""
    start_at = html.index('id="next-title"')
    return html[start_at : html.index("</section>", start_at)]


def test_a_flagged_channel_says_it_needs_a_handover_and_not_that_nothing_is_to_do(
    client, owner, deputy, komm, draft, admin_user
):
    channel = activate(draft, owner=owner, komm=komm)
    staff_deactivate(user=deputy, by=admin_user)
    client.force_login(owner)
    panel = next_step_of(client.get(channel.get_absolute_url()).text)
    assert "Needs a handover" in panel
    assert reverse("approvals:handover_start", args=[channel.pk]) in panel
    assert "Nothing to do" not in panel
    mine = client.get(reverse("channels:my_channels")).text
    assert "Needs a handover" in mine and "Nothing to do" not in mine


def test_a_pending_handover_is_the_next_step_on_both_pages(client, owner, komm, draft, newcomer):
    channel = activate(draft, owner=owner, komm=komm)
    handover = start(channel, owner, newcomer)
    client.force_login(owner)
    link = reverse("approvals:handover", args=[handover.pk])
    for page in (
        client.get(channel.get_absolute_url()).text,
        client.get(reverse("channels:my_channels")).text,
    ):
        assert "A handover to Nils Nyman is under way" in page
        assert link in page
        assert "Nothing to do" not in page


def test_an_approved_channel_not_yet_opened_is_not_evaluated(client, owner, komm, draft):
    channel = approve(draft, owner=owner, komm=komm)
    # Even with a date in the plan that has passed (e.g. after a closure was called off).
    Channel.objects.filter(pk=channel.pk).update(
        next_evaluation_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    client.force_login(owner)
    evaluate = reverse("channels:evaluate", args=[channel.pk])
    page = client.get(channel.get_absolute_url()).text
    assert "Approved: open the channel" in next_step_of(page)
    assert evaluate not in page
    assert evaluate not in client.get(reverse("channels:my_channels")).text
    response = client.get(evaluate, follow=True)
    assert "is not evaluated" in response.text


def test_komm_is_offered_the_review_of_a_channel_waiting_for_komm(client, owner, komm, draft):
    from approvals.signoff.services import channel_submit, signoff_approve

    channel_submit(channel=draft, submitted_by=owner)
    signoff_approve(signoff=draft.signoffs.get())
    review = reverse("approvals:review", args=[draft.pk])
    client.force_login(komm)
    assert review in next_step_of(client.get(draft.get_absolute_url()).text)
    client.force_login(owner)
    panel = next_step_of(client.get(draft.get_absolute_url()).text)
    assert "Waiting for Komm since" in panel and review not in panel
