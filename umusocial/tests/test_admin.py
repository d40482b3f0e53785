"""The portal's own admin: deactivating staff flags the channels they leave behind."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from approvals.audit import Event
from channels.models import Channel
from core.models import OutgoingEmail

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_the_action_deactivates_and_flags(client, admin_user, active, deputy, colleague):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:core_user_changelist"),
        {"action": "deactivate_and_flag", "_selected_action": [deputy.pk, colleague.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "2 accounts deactivated. 1 channel flagged as needing a handover" in (
        response.content.decode()
    )
    assert not User.objects.filter(pk__in=[deputy.pk, colleague.pk], is_active=True).exists()
    active.refresh_from_db()
    assert active.needs_handover_since is not None
    entry = active.audit_entries.get(action=Event.FLAGGED_FOR_HANDOVER)
    assert entry.actor == admin_user
    assert OutgoingEmail.objects.filter(template="channels-flagged").count() == 1


def test_the_action_is_offered_on_the_user_list(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("admin:core_user_changelist")).content.decode()
    assert "Deactivate and flag their channels" in page


def test_nobody_deactivates_themselves_with_the_action(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:core_user_changelist"),
        {"action": "deactivate_and_flag", "_selected_action": [admin_user.pk]},
        follow=True,
    )
    assert "You cannot deactivate your own account." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_unticking_active_on_the_form_flags_too(client, admin_user, active, owner):
    client.force_login(admin_user)
    url = reverse("admin:core_user_change", args=[owner.pk])
    data = {
        "username": owner.username,
        "first_name": owner.first_name,
        "last_name": owner.last_name,
        "email": owner.email,
        "is_staff": "",
        "is_superuser": "",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2025-01-01",
        "initial-date_joined_1": "10:00:00",
    }
    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    owner.refresh_from_db()
    assert owner.is_active is False
    assert Channel.objects.get(pk=active.pk).needs_handover_since is not None
