"""Komm sees how a channel's policy differs from the template, word by word, marked so that
screen readers and people who do not see colour can tell what was added and removed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from channels.policy.diff import diff_pieces, policy_diff
from channels.policy.services import policy_adopt, policy_fill, policy_template_current

pytestmark = pytest.mark.django_db


def test_pieces_give_back_both_texts():
    pieces = diff_pieces("We answer within 24 hours.", "We answer within 48 hours on weekdays.")
    kinds = [(piece.kind, piece.text.strip()) for piece in pieces]
    assert ("removed", "24") in kinds
    assert ("inserted", "48") in kinds
    assert "".join(p.text for p in pieces if p.kind != "removed") == (
        "We answer within 48 hours on weekdays."
    )
    assert "".join(p.text for p in pieces if p.kind != "inserted") == "We answer within 24 hours."


def test_the_adopted_template_unchanged_has_no_differences(draft, owner):
    policy_adopt(channel=draft, user=owner, language="en")
    draft.refresh_from_db()
    diff = policy_diff(draft)
    assert diff.language == "en" and diff.unchanged


def test_an_edited_policy_is_compared_in_the_closer_language(draft):
    text = policy_fill(channel=draft, template=policy_template_current(), language="sv")
    draft.policy_text = text.replace("Alla är välkomna att kommentera.", "Kommentera gärna!")
    diff = policy_diff(draft)
    assert diff.language == "sv" and not diff.unchanged
    assert any(p.kind == "inserted" and "gärna!" in p.text for p in diff.pieces)
    assert any(p.kind == "removed" and "välkomna" in p.text for p in diff.pieces)


def test_no_text_no_diff(draft):
    draft.policy_text = "  "
    assert policy_diff(draft) is None


def test_komm_sees_the_differences_on_the_review_page(client, draft, owner, komm):
    from approvals.signoff.services import channel_submit

    text = policy_fill(channel=draft, template=policy_template_current(), language="en")
    draft.policy_text = text + "\nWe never delete criticism."
    draft.save()
    channel_submit(channel=draft, submitted_by=owner)
    client.force_login(komm)
    page = client.get(reverse("approvals:review", args=[draft.pk])).content.decode()
    assert "The policy compared with Komm" in page or "Policyn jämförd" in page
    assert "<ins>" in page and "We never delete criticism." in page
    assert 'class="visually-hidden"' in page.split("<ins>", 1)[1].split("</ins>", 1)[0]
