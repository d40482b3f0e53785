"""channels.audit: the trail keeps codes and params, and is worded in the reader's language at
view time, whoever acted and in whichever language they used the portal."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from approvals.signoff.services import channel_submit
from channels.audit import action_label, change_rows, entry_text
from channels.models import AuditEntry
from channels.services import channel_update

pytestmark = pytest.mark.django_db


def test_an_entry_stores_codes_and_params_not_sentences(draft, owner):
    with translation.override("sv"):  # the applicant uses the portal in Swedish
        channel_submit(channel=draft, submitted_by=owner)
    entry = draft.audit_entries.get(action="signoff_requested")
    assert entry.reason == ""
    assert entry.params == {"name": "Petra Prefekt", "email": "petra.prefekt@umu.se"}


def test_the_same_entry_reads_in_each_readers_language(draft, owner):
    with translation.override("sv"):
        channel_submit(channel=draft, submitted_by=owner)
    entry = draft.audit_entries.get(action="signoff_requested")
    with translation.override("en"):
        assert action_label(entry.action) == "Sign-off link sent to head of department"
        assert entry_text(entry) == "Sent to Petra Prefekt <petra.prefekt@umu.se>"
    with translation.override("sv"):
        assert entry_text(entry) == "Skickad till Petra Prefekt <petra.prefekt@umu.se>"


def test_changes_keep_field_names_and_codes_and_are_labelled_when_read(draft, owner):
    channel_submit(channel=draft, submitted_by=owner)
    draft.refresh_from_db()
    AuditEntry.objects.create(
        channel=draft,
        action=AuditEntry.Action.EDITED,
        actor_name="x",
        changes={
            "update_frequency": ["weekly", "daily"],
            "graphic_profile_confirmed": [False, True],
        },
    )
    entry = draft.audit_entries.get(action="edited")
    with translation.override("en"):
        rows = change_rows(entry)
    assert rows == [
        {"label": "planned update frequency", "before": "Weekly", "after": "Daily"},
        {
            "label": "the channel follows the university's graphic profile",
            "before": "no",
            "after": "yes",
        },
    ]
    with translation.override("sv"):
        assert change_rows(entry)[0]["before"] != "Weekly"


def test_an_edit_after_submission_is_stored_by_field_name(draft, owner):
    channel_update(channel=draft, edited_by=owner, data={"purpose": "Nytt syfte."})
    draft.submitted_at = draft.created_at
    draft.save()
    channel_update(channel=draft, edited_by=owner, data={"purpose": "Ännu ett syfte."})
    entry = draft.audit_entries.get(action="edited")
    assert entry.changes == {"purpose": ["Nytt syfte.", "Ännu ett syfte."]}


def test_the_channel_page_shows_the_trail_in_the_readers_language(client, draft, owner):
    with translation.override("sv"):
        channel_submit(channel=draft, submitted_by=owner)
    client.force_login(owner)
    page = client.get(reverse("channels:detail", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Sent to Petra Prefekt" in text
    assert "Skickad till" not in text
