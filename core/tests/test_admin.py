"""core.admin: the outbox as Komm's administrators read it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import SWEEP_ATTEMPTS, OutgoingEmail

pytestmark = pytest.mark.django_db


def outbox_row(subject: str, **fields) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        to=["x@umu.se"], subject=subject, body_text="-", template="t", language="sv", **fields
    )


def test_the_outbox_lists_the_emails_given_up_on(client, admin_user):
    outbox_row("Given up", attempts=SWEEP_ATTEMPTS, last_error="SMTPRecipientsRefused: 550")
    outbox_row("Still trying", attempts=2)
    outbox_row("Sent", attempts=SWEEP_ATTEMPTS, sent_at="2026-01-01T00:00:00Z")
    client.force_login(admin_user)

    page = client.get(reverse("admin:core_outgoingemail_changelist"), {"sent": "given-up"})

    assert [email.subject for email in page.context["cl"].result_list] == ["Given up"]
    assert "Given up: no more automatic attempts" in page.content.decode()
