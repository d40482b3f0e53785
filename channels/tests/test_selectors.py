"""Selectors (reads) of the registry. The older ones are tested in test_services.py."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from approvals.testing.lifecycle import activate
from channels.evaluations.selectors import evaluation_status, evaluations_overdue
from channels.models import Channel, Unit
from channels.selectors import unit_choices
from channels.testing.factories import ChannelFactory, UnitFactory

pytestmark = pytest.mark.django_db

D = datetime.date


# --- evaluations -------------------------------------------------------------------------------


@pytest.fixture
def active_channel(owner, komm, draft):
    return activate(draft, owner=owner, komm=komm)


def _set_next(channel, day):
    Channel.objects.filter(pk=channel.pk).update(next_evaluation_on=day)
    channel.refresh_from_db()
    return channel


def test_overdue_moves_with_time(active_channel):
    _set_next(active_channel, D(2025, 3, 1))
    # The day itself is due, not overdue; the day after it is.
    with time_machine.travel(datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        assert list(evaluations_overdue(today=datetime.date.today())) == []
    with time_machine.travel(datetime.datetime(2025, 3, 2, 12, tzinfo=datetime.UTC), tick=False):
        assert list(evaluations_overdue(today=datetime.date.today())) == [active_channel]


def test_overdue_only_running_channels_oldest_first(owner, komm, draft):
    later = _set_next(activate(draft, owner=owner, komm=komm), D(2025, 2, 1))
    earlier = _set_next(
        activate(ChannelFactory(created_by=owner), owner=owner, komm=komm), D(2025, 1, 1)
    )
    not_yet = _set_next(
        activate(ChannelFactory(created_by=owner), owner=owner, komm=komm), D(2025, 6, 1)
    )
    a_draft = ChannelFactory(created_by=owner, next_evaluation_on=D(2024, 1, 1))
    closed = ChannelFactory(
        created_by=owner, next_evaluation_on=D(2024, 1, 1), state=Channel.State.CLOSED
    )
    overdue = list(evaluations_overdue(today=D(2025, 3, 1)))
    assert overdue == [earlier, later]
    assert not {not_yet, a_draft, closed} & set(overdue)


def test_overdue_list_reads_its_relations_in_one_query(owner, komm, draft):
    for channel in [draft, ChannelFactory(created_by=owner), ChannelFactory(created_by=owner)]:
        _set_next(activate(channel, owner=owner, komm=komm), D(2025, 1, 1))
    # select_related: listing platform, responsible person and unit costs no query per channel.
    with CaptureQueriesContext(connection) as queries:
        rows = [
            (c.platform.name, c.responsible.email, str(c.responsible_unit))
            for c in evaluations_overdue(today=D(2025, 3, 1))
        ]
    assert len(rows) == 3
    assert len(queries) == 1


@pytest.mark.parametrize(
    ("days_until", "expected"),
    [
        (-1, "overdue"),
        (0, "due"),
        (20, "due"),  # within the window in which the owners are reminded
        (21, "upcoming"),
    ],
)
def test_evaluation_status(settings, active_channel, days_until, expected):
    settings.EVALUATION_UPCOMING_DAYS = 20
    today = D(2025, 3, 1)
    _set_next(active_channel, today + datetime.timedelta(days=days_until))
    assert evaluation_status(active_channel, today) == expected


def test_evaluation_status_none_without_date_or_when_not_running(owner, active_channel):
    a_draft = ChannelFactory(created_by=owner, next_evaluation_on=D(2025, 4, 1))
    assert evaluation_status(a_draft, D(2025, 3, 1)) is None
    _set_next(active_channel, None)
    assert evaluation_status(active_channel, D(2025, 3, 1)) is None
    Channel.objects.filter(pk=active_channel.pk).update(
        state=Channel.State.CLOSED, next_evaluation_on=D(2020, 1, 1)
    )
    active_channel.refresh_from_db()
    assert evaluation_status(active_channel, D(2025, 3, 1)) is None


# --- The list of units every unit filter shows ---------------------------------------------------


def test_the_units_list_is_read_once_per_language_and_renewed_when_a_unit_changes():
    Unit.objects.all().delete()
    physics = UnitFactory(name="Institutionen för fysik", name_en="Department of Physics")
    with translation.override("en"):
        assert unit_choices() == [(physics.pk, "Department of Physics")]
        with CaptureQueriesContext(connection) as again:
            unit_choices()
        assert len(again) == 0  # kept
    with translation.override("sv"):
        assert unit_choices() == [(physics.pk, "Institutionen för fysik")]

    physics.name_en = "Physics"
    physics.save()  # Komm renames it in the admin
    biology = UnitFactory(name="Biologi", name_en="Biology")

    with translation.override("en"):
        assert unit_choices() == [(biology.pk, "Biology"), (physics.pk, "Physics")]
    biology.delete()
    with translation.override("sv"):
        assert unit_choices() == [(physics.pk, "Institutionen för fysik")]
