"""Recording where a running channel's policy is published writes an entry in its trail, worded
in the reader's language."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from channels.audit import action_label, entry_text
from channels.policy.events import PolicyEvent
from channels.policy.publication import policy_publication_record

pytestmark = pytest.mark.django_db


def test_recording_the_publication_is_audited_in_both_languages(active, owner):
    policy_publication_record(
        channel=active, user=owner, location="https://www.umu.se/policy", responsibility_stated=True
    )
    entry = active.audit_entries.get(action=PolicyEvent.PUBLISHED)
    assert entry.actor == owner and entry.params == {"location": "https://www.umu.se/policy"}
    assert action_label(entry.action) == "Policy publication recorded"
    assert entry_text(entry).startswith("Published: https://www.umu.se/policy.")
    with translation.override("sv"):
        assert action_label(entry.action) != "Policy publication recorded"
        assert "https://www.umu.se/policy" in entry_text(entry)
        assert not entry_text(entry).startswith("Published")


def test_a_refused_record_writes_no_entry(active, owner):
    with pytest.raises(ValidationError):
        policy_publication_record(
            channel=active, user=owner, location="I profilen", responsibility_stated=False
        )
    assert not active.audit_entries.filter(action=PolicyEvent.PUBLISHED).exists()


def test_the_channel_page_shows_the_entry(client, active, owner):
    policy_publication_record(
        channel=active, user=owner, location="I profilen", responsibility_stated=True
    )
    client.force_login(owner)
    page = client.get(active.get_absolute_url()).content.decode()
    assert "Policy publication recorded" in page
