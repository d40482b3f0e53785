"""approvals.reminders.stencils: a reminder (evaluation, handover, sign-off) rendered once and
filled in is the very e-mail that rendering it in full gives, whatever the names, languages,
dates and counts; and the sweep really renders each shape once."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from approvals.models import Handover
from approvals.reminders.jobs import SELECTORS
from approvals.testing.factories import HandoverFactory, PrefectSignoffFactory
from channels.models import Channel
from channels.testing.factories import ChannelFactory
from core.mail import Outbox, queue_email, queue_email_to_user
from core.testing.factories import UserFactory

STHLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 3, 2)
# Everything a template or its escaping could treat specially.
AWKWARD = 'Tom & "Jerry" <b>it\'s</b> \ue000channel\ue001 100 %'


@pytest.fixture(autouse=True)
def _komm_mailbox(settings):
    settings.KOMM_EMAIL = "komm@umu.se"


def emails_both_ways(kind: str) -> list[tuple[tuple[str, str, str], tuple[str, str, str]]]:
    """For every reminder of the job: (subject, text, html) rendered in full and by stencil."""
    outbox = Outbox()
    pairs = []
    with time_machine.travel(datetime(2026, 3, 2, 7, tzinfo=STHLM), tick=False):
        reminders = list(SELECTORS[kind](timezone.now()))
    assert reminders, kind
    for reminder in reminders:
        assert reminder.stencil is not None
        stencil = reminder.stencil(reminder.user)
        made = []
        ways: list[dict[str, Any]] = [{}, {"stencil": stencil, "outbox": outbox}]
        for extra in ways:
            if reminder.user is not None:
                email = queue_email_to_user(
                    template=reminder.template,
                    user=reminder.user,
                    context=reminder.context,
                    **extra,
                )
            else:
                email = queue_email(
                    template=reminder.template,
                    to=[reminder.recipient],
                    context=reminder.context,
                    languages=reminder.languages or ("sv",),
                    **extra,
                )
            assert email is not None
            made.append((email.subject, email.body_text, email.body_html))
        pairs.append((made[0], made[1]))
    rendered = outbox.stencils._rendered
    assert rendered and all(parts is not None for parts in rendered.values()), "not stencilled"
    return pairs


@pytest.mark.parametrize(
    ("kind", "offset_days"),
    [
        ("evaluation-upcoming", 1),  # "in 1 day": the singular
        ("evaluation-upcoming", 12),
        ("evaluation-due", 0),
        ("evaluation-overdue", -14),
        ("evaluation-overdue", -40),
    ],
)
@pytest.mark.parametrize("method", ["", AWKWARD])
def test_a_stencilled_reminder_is_the_email_rendered_in_full(db, kind, offset_days, method):
    english = UserFactory(username="nofirstname", first_name="", email="x@umu.se", language="en")
    swedish = UserFactory(first_name=AWKWARD, last_name="Å", email="y@umu.se", language="sv")
    leaver = UserFactory(first_name="Gone", email="z@umu.se", is_active=False)
    for responsible, deputies in [(english, [swedish]), (swedish, [leaver]), (leaver, [])]:
        ChannelFactory(
            name=AWKWARD,
            created_by=responsible,
            deputies=deputies,
            state=Channel.State.ACTIVE,
            address_is_planned=False,
            evaluation_method=method,
            next_evaluation_on=TODAY + timedelta(days=offset_days),
        )

    pairs = emails_both_ways(kind)

    for full, stencilled in pairs:
        assert stencilled == full
    assert any(AWKWARD in text for (_subject, text, _html), _ in pairs)


def test_the_sweep_renders_each_shape_once(db, monkeypatch):
    """Twenty channels due the same day (with their deputies, forty e-mails), in two languages,
    with and without an evaluation method: four renderings, not forty."""
    from core import mail

    calls = []
    real_render = mail._render
    monkeypatch.setattr(mail, "_render", lambda *args: calls.append(args) or real_render(*args))
    for i in range(20):
        person = UserFactory(language="sv" if i % 2 else "en")
        ChannelFactory(
            created_by=person,
            state=Channel.State.ACTIVE,
            address_is_planned=False,
            evaluation_method="Enkät" if i % 4 < 2 else "",
            next_evaluation_on=TODAY + timedelta(days=5),
        )

    pairs = emails_both_ways("evaluation-upcoming")

    assert len(pairs) == 40
    stencilled_renders = len(calls) - 40  # the others are the full renderings to compare with
    assert stencilled_renders == 4


@pytest.mark.parametrize("state", sorted(Handover.OPEN_STATES))
@pytest.mark.parametrize("days_ago", [8, 15])
def test_a_stencilled_handover_reminder_is_the_email_rendered_in_full(db, state, days_ago):
    english = UserFactory(username="nofirstname", first_name="", email="x@umu.se", language="en")
    swedish = UserFactory(first_name=AWKWARD, last_name="Å", email="y@umu.se", language="sv")
    newcomer = UserFactory(first_name="Nora", last_name=AWKWARD, email="n@umu.se", language="sv")
    for responsible in (english, swedish):
        channel = ChannelFactory(
            name=AWKWARD,
            created_by=responsible,
            state=Channel.State.ACTIVE,
            address_is_planned=False,
        )
        with time_machine.travel(datetime(2026, 3, 2, 7, tzinfo=STHLM) - timedelta(days=days_ago)):
            HandoverFactory(channel=channel, new_responsible=newcomer, state=state)

    pairs = emails_both_ways("handover-pending")

    assert len(pairs) == 2 * 3  # the responsible person, the newcomer and Komm, for each
    for full, stencilled in pairs:
        assert stencilled == full
    assert any(AWKWARD in text for (_subject, text, _html), _ in pairs)


@pytest.mark.parametrize("in_handover", [False, True])
@pytest.mark.parametrize("days_ago", [4, 10])
def test_a_stencilled_signoff_reminder_is_the_email_rendered_in_full(db, in_handover, days_ago):
    """To the head of department, in both languages: the applicant's name or username, the
    new person's in a handover, and the dates of the request and the link's expiry."""
    applicant = UserFactory(first_name=AWKWARD, last_name="Å", email="y@umu.se")
    nameless = UserFactory(username="nofirstname", first_name="", email="x@umu.se")
    newcomer = UserFactory(first_name="Nora", last_name=AWKWARD, email="n@umu.se")
    for who in (applicant, nameless):
        channel = ChannelFactory(
            name=AWKWARD,
            created_by=who,
            state=Channel.State.ACTIVE if in_handover else Channel.State.AWAITING_PREFECT,
            address_is_planned=not in_handover,
            prefect_name=AWKWARD,
        )
        with time_machine.travel(datetime(2026, 3, 2, 7, tzinfo=STHLM) - timedelta(days=days_ago)):
            handover = HandoverFactory(channel=channel, new_responsible=newcomer)
            PrefectSignoffFactory(
                channel=channel,
                handover=handover if in_handover else None,
                expires_at=timezone.now() + timedelta(days=14),
            )

    pairs = emails_both_ways("signoff-reminder")

    assert len(pairs) == 2
    for full, stencilled in pairs:
        assert stencilled == full
    assert any(AWKWARD in text for (_subject, text, _html), _ in pairs)


def test_a_stencilled_expired_signoff_email_is_the_email_rendered_in_full(db):
    english = UserFactory(username="nofirstname", first_name="", email="x@umu.se", language="en")
    swedish = UserFactory(first_name=AWKWARD, last_name="Å", email="y@umu.se", language="sv")
    channel = ChannelFactory(
        name=AWKWARD,
        created_by=english,
        deputies=[swedish],
        state=Channel.State.AWAITING_PREFECT,
        prefect_name=AWKWARD,
        prefect_email="petra@umu.se",
    )
    with time_machine.travel(datetime(2026, 3, 2, 7, tzinfo=STHLM) - timedelta(days=20)):
        PrefectSignoffFactory(channel=channel, expires_at=timezone.now() + timedelta(days=14))

    pairs = emails_both_ways("signoff-expired")

    assert len(pairs) == 2  # the responsible person and the deputy, each in their language
    for full, stencilled in pairs:
        assert stencilled == full
    assert any(AWKWARD in text for (_subject, text, _html), _ in pairs)
