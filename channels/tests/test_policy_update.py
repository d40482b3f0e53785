"""A running channel's policy and a new template version: the channel page offers the update to
its people, showing the new text filled in; a POST takes it, keeps the version and the old text
in the trail; nothing else changes it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from approvals.testing.lifecycle import activate
from channels.audit import entry_text
from channels.policy.events import PolicyEvent
from channels.policy.models import PolicyTemplate
from channels.policy.services import policy_adopt, policy_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(draft, owner, komm):
    policy_adopt(channel=draft, user=owner, language="en")
    return activate(draft, owner=owner, komm=komm)


@pytest.fixture
def version_2(db):
    return PolicyTemplate.objects.create(
        version=2, body_sv="Policy v2 för {name}", body_en="Policy v2 for {name}"
    )


def test_the_update_takes_the_new_version_and_keeps_the_old_text_in_the_trail(
    active, owner, version_2
):
    before = active.policy_text
    policy_update(channel=active, user=owner, language="en")
    active.refresh_from_db()
    assert active.policy_text == f"Policy v2 for {active.name}"
    assert active.policy_basis.template == version_2
    entry = active.audit_entries.get(action=PolicyEvent.UPDATED)
    assert entry.changes["policy_text"] == [before, active.policy_text]
    assert entry_text(entry) == "From version 1 to version 2 of the template."


def test_no_update_without_a_newer_version(active, owner):
    with pytest.raises(ValidationError):
        policy_update(channel=active, user=owner, language="en")
    assert not active.audit_entries.filter(action=PolicyEvent.UPDATED).exists()


def test_only_the_channels_people_update(active, colleague, komm, version_2):
    for user in (colleague, komm):
        with pytest.raises(PermissionDenied):
            policy_update(channel=active, user=user, language="en")
    active.refresh_from_db()
    assert active.policy_basis.template.version == 1


def test_the_channel_page_offers_it_and_the_post_takes_it(client, active, owner, komm, version_2):
    client.force_login(owner)
    page = client.get(active.get_absolute_url()).content.decode()
    assert reverse("channels:policy_update", args=[active.pk]) in page
    assert f"Policy v2 for {active.name}" in page
    response = client.post(reverse("channels:policy_update", args=[active.pk]), follow=True)
    assert "is now the newest template" in response.text
    assert reverse("channels:policy_update", args=[active.pk]) not in response.text
    active.refresh_from_db()
    assert active.policy_basis.template == version_2
    client.force_login(komm)  # Komm sees the page but is not offered the channel's update
    page = client.get(active.get_absolute_url()).content.decode()
    assert reverse("channels:policy_update", args=[active.pk]) not in page


def test_a_second_post_changes_nothing_and_says_why(client, active, owner, version_2):
    client.force_login(owner)
    client.post(reverse("channels:policy_update", args=[active.pk]))
    response = client.post(reverse("channels:policy_update", args=[active.pk]), follow=True)
    assert "already based on the newest template" in response.text
    assert active.audit_entries.filter(action=PolicyEvent.UPDATED).count() == 1
