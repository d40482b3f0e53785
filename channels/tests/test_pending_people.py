"""Naming a deputy or the responsible person in the wizard by a university address that no
account has yet: a pending person gets the rights at once and is told by e-mail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from channels.selectors import channels_of_user
from channels.services import channel_sync_permissions
from channels.testing.factories import ChannelFactory
from core.models import OutgoingEmail, User
from core.people import person_is_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def people_draft(owner, deputy):
    channel = ChannelFactory(created_by=owner, deputies=[deputy])
    channel_sync_permissions(channel=channel)
    return channel


def _people(**overrides):
    data = {
        "responsible_email": "anna@umu.se",
        "responsible_phone": "090-111",
        "deputy_1_email": "ny.person@umu.se",
        "deputy_1_phone": "090-222",
        "resources": "Two hours a week",
        "update_frequency": "weekly",
        "action": "next",
    }
    return {**data, **overrides}


def _post(client, channel, **overrides):
    return client.post(reverse("channels:step", args=[channel.pk, "people"]), _people(**overrides))


def test_naming_a_new_address_as_deputy_makes_a_pending_person(client, owner, people_draft):
    client.force_login(owner)
    response = _post(client, people_draft)
    assert response.status_code == 302
    person = User.objects.get(email="ny.person@umu.se")
    assert person_is_pending(person)
    assert [d.user for d in people_draft.deputyships.all()] == [person]
    assert people_draft in channels_of_user(person)  # the rights are already there
    email = OutgoingEmail.objects.get(template="person-named")
    assert email.to == ["ny.person@umu.se"]
    assert "Anna Ägare has named you a deputy of" in email.body_text
    assert "har angett dig som ersättare" in email.body_text  # both languages: unknown yet


def test_saving_the_step_again_does_not_tell_them_twice(client, owner, people_draft):
    client.force_login(owner)
    _post(client, people_draft)
    _post(client, people_draft)
    assert OutgoingEmail.objects.filter(template="person-named").count() == 1
    assert User.objects.filter(email="ny.person@umu.se").count() == 1


def test_a_refused_form_makes_no_one(client, owner, people_draft):
    client.force_login(owner)
    response = _post(client, people_draft, deputy_1_phone="")
    assert response.status_code == 200
    assert not User.objects.filter(email="ny.person@umu.se").exists()
    assert not OutgoingEmail.objects.filter(template="person-named").exists()


def test_people_with_an_account_get_no_naming_email(client, owner, people_draft, colleague):
    client.force_login(owner)
    _post(client, people_draft, deputy_1_email="cecilia@umu.se")
    assert not OutgoingEmail.objects.filter(template="person-named").exists()


def test_an_address_outside_the_university_is_still_refused(client, owner, people_draft):
    client.force_login(owner)
    response = _post(client, people_draft, deputy_1_email="ny.person@gmail.com")
    assert "Use a university e-mail address" in response.content.decode()
    assert not User.objects.filter(email="ny.person@gmail.com").exists()
