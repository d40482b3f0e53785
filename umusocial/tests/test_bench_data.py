"""umusocial.bench.data and `manage.py bench_data`: a registry with every state and what belongs
to it, in a throwaway database only."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from guardian.models import UserObjectPermission

from approvals.models import Closure, Handover, KommReview, PrefectSignoff
from channels.models import AuditEntry, Channel
from channels.selectors import channels_of_user, user_is_komm
from core.models import User
from umusocial.bench.data import OWNER_CHANNELS, STATE_SHARES, build


def test_the_command_refuses_a_database_not_named_for_benchmarks(db):
    with pytest.raises(CommandError, match="bench"):
        call_command("bench_data", "--channels", "10")
    assert Channel.objects.count() == 0


def test_a_registry_has_every_state_and_what_belongs_to_it(db):
    counts = build(1000)

    assert counts["channels"] == Channel.objects.count() == 1000
    states = set(Channel.objects.values_list("state", flat=True))
    assert states == {state for state, _share in STATE_SHARES}
    for model in (AuditEntry, PrefectSignoff, KommReview, Handover, Closure):
        assert model.objects.exists(), model
    assert UserObjectPermission.objects.count() == counts["object permissions"]
    owner = User.objects.get(username="bench-owner")
    assert channels_of_user(owner).count() == OWNER_CHANNELS
    assert user_is_komm(User.objects.get(username="bench-komm"))


def test_a_submitted_channel_names_the_head_of_department_its_sign_off_went_to(db):
    """The "send a new link" e-mail goes to the channel's head of department: with none named, the
    scale-out benchmark's e-mails went to nobody."""
    build(100)

    submitted = Channel.objects.exclude(state=Channel.State.DRAFT)
    assert submitted.exists()
    assert not submitted.filter(prefect_email="").exists()
    for signoff in PrefectSignoff.objects.select_related("channel")[:20]:
        assert signoff.prefect_email == signoff.channel.prefect_email
