"""A handover to someone who has never signed in: named by their university address, they become
a pending person, are told by e-mail, and the head of department is asked as usual."""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals.models import Handover
from core.models import OutgoingEmail, User
from core.people import person_is_pending

pytestmark = pytest.mark.django_db


def test_a_handover_to_a_new_address_names_a_pending_person(client, active, owner):
    client.force_login(owner)
    response = client.post(
        reverse("approvals:handover_start", args=[active.pk]),
        {
            "new_responsible_email": "ny.person@umu.se",
            "new_responsible_phone": "090-786 11 11",
            "reason": Handover.Reason.LEAVING,
        },
    )
    assert response.status_code == 302
    person = User.objects.get(email="ny.person@umu.se")
    assert person_is_pending(person)
    assert Handover.objects.get().new_responsible == person
    named = OutgoingEmail.objects.get(template="person-named")
    assert named.to == ["ny.person@umu.se"]
    assert "proposes that you take over" in named.body_text
    assert OutgoingEmail.objects.filter(template="handover-signoff-request").exists()
