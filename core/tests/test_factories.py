"""Every factory of core.testing builds a row the model itself accepts."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from core.models import User
from core.testing.factories import OutgoingEmailFactory, SentReminderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory", [UserFactory, OutgoingEmailFactory, SentReminderFactory])
def test_the_factory_builds_a_valid_row(factory):
    made = factory()

    made.full_clean()
    made.save()
    assert type(made).objects.filter(pk=made.pk).exists()


def test_a_user_logs_in_with_the_tests_password(client):
    user = UserFactory()

    # Login throttling (django-axes) needs the request that signs in, as a real login has.
    request = RequestFactory().post("/accounts/login/")
    assert client.login(request=request, username=user.username, password="pw-for-tests")
    assert User.objects.get(pk=user.pk).email == f"{user.username}@umu.se"
