"""The policy's reminders: a new template version is told once to the people of each running
channel behind it, in each one's language; Komm's weekly digest lists the running channels that
have not recorded where their policy is published after POLICY_REMINDER_DAYS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.reminders.jobs import run_job
from approvals.testing.lifecycle import activate
from channels.models import Channel
from channels.policy.models import PolicyTemplate
from channels.policy.publication import policy_publication_record
from channels.policy.services import policy_adopt
from core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

NEW = "reminder-policy-template-new"


@pytest.fixture
def active(draft, owner, deputy, komm):
    owner.language, deputy.language = "sv", "en"
    owner.save()
    deputy.save()
    policy_adopt(channel=draft, user=owner, language="sv")
    return activate(draft, owner=owner, komm=komm)


def new_version(version: int = 2) -> PolicyTemplate:
    return PolicyTemplate.objects.create(
        version=version, body_sv="Ny policy för {name}", body_en="New policy for {name}"
    )


def test_no_new_version_nothing_is_sent(active):
    assert run_job("policy-template-new").sent == []


def test_a_new_version_is_told_once_in_each_ones_language(active, owner, deputy):
    new_version()
    assert len(run_job("policy-template-new").sent) == 2
    assert run_job("policy-template-new").sent == []  # a rerun sends nothing twice
    rows = {row.to[0]: row for row in OutgoingEmail.objects.filter(template=NEW)}
    assert set(rows) == {owner.email, deputy.email}
    assert "version 2" in rows[deputy.email].subject
    assert rows[owner.email].subject.startswith("En ny policymall (version 2)")
    assert f"/channels/{active.pk}/" in rows[owner.email].body_text
    new_version(3)
    assert len(run_job("policy-template-new").sent) == 2  # the next version is news again


def test_a_channel_already_on_the_newest_version_is_not_told(active, owner):
    from channels.policy.services import policy_update

    new_version()
    policy_update(channel=active, user=owner, language="sv")
    assert run_job("policy-template-new").sent == []


def test_a_channel_opened_after_the_version_was_published_is_not_told(draft, owner, komm):
    """No basis, but opened knowing the current template: nothing new to tell."""
    activate(draft, owner=owner, komm=komm)
    assert run_job("policy-template-new").sent == []


def test_drafts_are_not_told(draft, owner):
    policy_adopt(channel=draft, user=owner, language="sv")
    new_version()
    assert run_job("policy-template-new").sent == []


def test_the_digest_lists_running_channels_without_a_recorded_publication(active, owner, settings):
    settings.POLICY_REMINDER_DAYS = 14
    Channel.objects.filter(pk=active.pk).update(opened_at=timezone.now() - timedelta(days=13))
    assert run_job("komm-digest").sent == []  # not yet: the owners have 14 days
    Channel.objects.filter(pk=active.pk).update(opened_at=timezone.now() - timedelta(days=15))
    [digest] = run_job("komm-digest").sent
    assert digest.context["counts"]["policy_missing"] == 1
    email = OutgoingEmail.objects.get(template="reminder-komm-digest")
    assert active.name in email.body_text
    assert "not recorded where their policy is published" in email.body_text


def test_a_recorded_publication_leaves_the_digest(active, owner, settings):
    settings.POLICY_REMINDER_DAYS = 14
    Channel.objects.filter(pk=active.pk).update(opened_at=timezone.now() - timedelta(days=15))
    active.refresh_from_db()
    policy_publication_record(
        channel=active, user=owner, location="I profilen", responsibility_stated=True
    )
    assert run_job("komm-digest").sent == []
