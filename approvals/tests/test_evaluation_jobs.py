"""approvals.reminders.evaluation_jobs: a channel is read only while someone of it is still to be
told of this evaluation, so a rerun reads nothing, yet a person who joins later is told."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from approvals.reminders.evaluation_jobs import (
    select_evaluation_due,
    select_evaluation_overdue,
)
from approvals.reminders.jobs import run_job
from channels.models import Channel, Deputyship
from channels.testing.factories import ChannelFactory

STHLM = ZoneInfo("Europe/Stockholm")
DUE = datetime(2026, 3, 2, 7, 0, tzinfo=STHLM)


@pytest.fixture
def channel(owner, deputy):
    return ChannelFactory(
        created_by=owner,
        deputies=[deputy],
        state=Channel.State.ACTIVE,
        address_is_planned=False,
        next_evaluation_on=DUE.date(),
    )


def recipients(reminders) -> list[str]:
    return sorted(reminder.recipient for reminder in reminders)


@time_machine.travel(DUE, tick=False)
def test_once_everyone_is_told_the_channel_is_not_read_again(channel, owner, deputy):
    assert recipients(select_evaluation_due(DUE)) == sorted([owner.email, deputy.email])
    run_job("evaluation-due")

    assert list(select_evaluation_due(DUE)) == []


@time_machine.travel(DUE, tick=False)
def test_a_deputy_who_joins_after_the_reminder_is_told_and_nobody_twice(channel, owner):
    run_job("evaluation-due")
    newcomer = get_user_model().objects.create_user("nora", email="nora@umu.se")
    Deputyship.objects.create(channel=channel, user=newcomer)

    [reminder] = run_job("evaluation-due").sent

    assert reminder.recipient == "nora@umu.se"
    assert list(select_evaluation_due(DUE)) == []


@time_machine.travel(DUE, tick=False)
def test_people_who_left_or_have_no_address_keep_nobody_waiting(channel, owner, deputy):
    run_job("evaluation-due")
    leaver = get_user_model().objects.create_user("leif", email="leif@umu.se", is_active=False)
    silent = get_user_model().objects.create_user("sam", email="")
    Deputyship.objects.create(channel=channel, user=leaver)
    Deputyship.objects.create(channel=channel, user=silent)

    assert list(select_evaluation_due(DUE)) == []


@time_machine.travel(DUE + timedelta(days=14), tick=False)
def test_komm_not_yet_told_of_an_overdue_evaluation_keeps_the_channel_in(channel, settings):
    settings.KOMM_EMAIL = "komm@umu.se"
    run_job("evaluation-overdue")
    settings.KOMM_EMAIL = "sociala-medier@umu.se"  # Komm's mailbox moved

    [reminder] = run_job("evaluation-overdue").sent

    assert reminder.recipient == "sociala-medier@umu.se"
    assert list(select_evaluation_overdue(DUE + timedelta(days=14))) == []


@time_machine.travel(DUE, tick=False)
def test_a_new_evaluation_date_is_a_new_occasion(channel, owner, deputy):
    run_job("evaluation-due")
    Channel.objects.filter(pk=channel.pk).update(next_evaluation_on=DUE.date() - timedelta(days=1))

    assert recipients(select_evaluation_due(DUE)) == sorted([owner.email, deputy.email])
