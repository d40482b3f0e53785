"""People named by their university address before they ever signed in (core.people)."""

from __future__ import annotations

import pytest

from core.people import person_for_email, person_is_pending
from core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_address_makes_a_pending_person_named_after_it():
    person, created = person_for_email(email=" Ny.Person@UMU.se ")
    assert created
    assert (person.username, person.email) == ("ny.person@umu.se", "ny.person@umu.se")
    assert (person.first_name, person.last_name) == ("Ny", "Person")
    assert person.eppn is None
    assert not person.has_usable_password()
    assert person_is_pending(person)


def test_a_known_address_gives_its_account(owner):
    person, created = person_for_email(email="ANNA@umu.se")
    assert (person, created) == (owner, False)
    assert not person_is_pending(owner)  # has a password: a local account in use


def test_asking_twice_makes_one_person():
    first, _ = person_for_email(email="ny.person@umu.se")
    second, created = person_for_email(email="ny.person@umu.se")
    assert second == first and not created


def test_someone_who_signed_in_is_not_pending():
    person = UserFactory(username="np", eppn="np1234@umu.se", password=None)
    person.set_unusable_password()
    assert not person_is_pending(person)
