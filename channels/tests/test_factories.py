"""Every factory of channels.testing builds a row the model itself accepts; a channel's people
get their rights, as the services would give them."""

from __future__ import annotations

import pytest

from channels.models import Channel
from channels.services import channel_missing_fields
from channels.testing.factories import (
    AuditEntryFactory,
    ChannelFactory,
    DeputyshipFactory,
    EvaluationFactory,
    PlatformFactory,
    UnitFactory,
    platform,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory",
    [
        PlatformFactory,
        UnitFactory,
        ChannelFactory,
        DeputyshipFactory,
        AuditEntryFactory,
        EvaluationFactory,
    ],
)
def test_the_factory_builds_a_valid_row(factory):
    made = factory()

    made.full_clean()
    made.save()
    assert type(made).objects.filter(pk=made.pk).exists()


def test_the_platform_factory_fetches_the_migrations_platform():
    assert PlatformFactory() == platform("instagram")
    assert PlatformFactory(slug="facebook") == platform("facebook")


def test_a_channel_is_a_complete_draft_whose_people_have_their_rights():
    channel = ChannelFactory()

    assert channel.state == Channel.State.DRAFT
    assert channel_missing_fields(channel) == {}
    [deputy] = channel.deputies.all()
    for person in (channel.responsible, deputy):
        assert person.has_perm("channels.change_channel", channel)
