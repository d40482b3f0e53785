"""Every factory of approvals.testing builds a row the model itself accepts."""

from __future__ import annotations

import pytest

from approvals.models import PrefectSignoff
from approvals.signoff.services import signoff_from_link, signoff_link_value
from approvals.testing.factories import (
    ClosureFactory,
    HandoverFactory,
    KommReviewFactory,
    PrefectSignoffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory", [PrefectSignoffFactory, KommReviewFactory, HandoverFactory, ClosureFactory]
)
def test_the_factory_builds_a_valid_row(factory):
    made = factory()

    made.full_clean()
    made.save()
    assert type(made).objects.filter(pk=made.pk).exists()


def test_a_signoff_made_with_a_token_opens_with_its_link():
    signoff = PrefectSignoffFactory(token="a-known-token")

    value = signoff_link_value(signoff=signoff, token="a-known-token")

    assert signoff_from_link(value) == signoff
    assert signoff.decision == PrefectSignoff.Decision.PENDING
