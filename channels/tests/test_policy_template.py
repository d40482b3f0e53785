"""Komm's policy template: the default version, filled in with a channel's answers, adopted by
the owner in the wizard (keeping the version), downloaded as text; a new version changes nothing
already adopted."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from channels.policy.models import ChannelPolicyBasis, PolicyTemplate
from channels.policy.services import policy_adopt, policy_fill, policy_template_current

pytestmark = pytest.mark.django_db


def test_the_default_template_names_the_law_in_both_languages():
    template = policy_template_current()
    assert template.version == 1
    assert "1998:112" in template.body_sv and "1998:112" in template.body_en
    assert "{name}" in template.body_sv and "{response_time}" in template.body_en


def test_filled_in_with_the_channels_answers(draft):
    draft.response_time_hours = 24
    text = policy_fill(channel=draft, template=policy_template_current(), language="sv")
    assert f"Policy för {draft.name}" in text
    assert "inom 24 timmar" in text
    assert draft.responsible.display_name in text


def test_the_owner_adopts_it_and_the_channel_keeps_the_version(draft, owner):
    policy_adopt(channel=draft, user=owner, language="en")
    draft.refresh_from_db()
    assert draft.policy_text.startswith(f"Policy for {draft.name}")
    PolicyTemplate.objects.create(version=2, body_sv="Ny {name}", body_en="New {name}")

    assert draft.policy_basis.template.version == 1
    draft.refresh_from_db()
    assert draft.policy_text.startswith("Policy for")  # a new version rewrites nothing


def test_a_colleague_cannot_adopt_it(draft, colleague):
    with pytest.raises(PermissionDenied):
        policy_adopt(channel=draft, user=colleague, language="sv")
    assert not ChannelPolicyBasis.objects.exists()


def test_the_policy_step_shows_it_and_the_download_is_text(client, draft, owner, colleague):
    client.force_login(owner)
    page = client.get(reverse("channels:step", args=[draft.pk, "policy"])).content.decode()
    assert "SFS 1998:112" in page or "1998:112" in page
    response = client.get(reverse("channels:policy_download", args=[draft.pk]))
    assert response["Content-Type"].startswith("text/plain")
    assert draft.name in response.content.decode()
    client.force_login(colleague)
    assert client.get(reverse("channels:policy_download", args=[draft.pk])).status_code == 404


# --- Publication, and the reminder after POLICY_REMINDER_DAYS ------------------------------------


def test_the_owner_records_the_publication(active, owner, colleague):
    from django.core.exceptions import ValidationError

    from channels.policy.publication import policy_publication_record

    with pytest.raises(ValidationError) as error:
        policy_publication_record(
            channel=active, user=owner, location=" ", responsibility_stated=False
        )
    assert set(error.value.message_dict) == {"location", "responsibility_stated"}
    with pytest.raises(PermissionDenied):
        policy_publication_record(
            channel=active, user=colleague, location="I profilen", responsibility_stated=True
        )
    assert not hasattr(active, "policy_publication")
    policy_publication_record(
        channel=active, user=owner, location="I profilen", responsibility_stated=True
    )
    active.refresh_from_db()
    assert active.policy_publication.location == "I profilen"


def test_the_channel_page_shows_it_as_the_next_step(client, active, owner):
    client.force_login(owner)
    page = client.get(active.get_absolute_url()).content.decode()
    assert reverse("channels:policy_publication", args=[active.pk]) in page
    response = client.post(
        reverse("channels:policy_publication", args=[active.pk]),
        {"location": "https://www.umu.se/policy", "responsibility_stated": "on"},
    )
    assert response.status_code == 302
    assert "https://www.umu.se/policy" in client.get(active.get_absolute_url()).content.decode()


def test_the_reminder_goes_once_after_policy_reminder_days(active, owner, deputy, settings):
    import datetime

    from django.utils import timezone

    from approvals.reminders.jobs import run_job
    from channels.models import Channel
    from core.models import OutgoingEmail

    settings.POLICY_REMINDER_DAYS = 14
    Channel.objects.filter(pk=active.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=15)
    )
    run_job("policy-unpublished")
    run_job("policy-unpublished")  # a rerun sends nothing twice
    sent = OutgoingEmail.objects.filter(template="reminder-policy-unpublished")
    assert sorted(m.to[0] for m in sent) == sorted([owner.email, deputy.email])


def test_komms_resources_are_shown_on_the_ad_form_in_the_pages_language(client, owner):
    from channels.resources.models import KommResource

    KommResource.objects.create(
        place="ad_form",
        title_sv="Guide för beställning",
        title_en="Guide to ordering",
        url="https://www.umu.se/guide",
    )
    client.force_login(owner)
    page = client.get(reverse("approvals:ad_order_new")).content.decode()
    title = "Guide to ordering" if '<html lang="en">' in page else "Guide för beställning"
    assert title in page
    assert "malin.sunna@umu.se" in page  # the default contact from the data migration
