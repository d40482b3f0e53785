"""approvals.reminders: each job sends what is due exactly once, to the right people, in their
language; what is not due is not sent; a rerun, a crash, a failing SMTP server or a second
worker never sends a reminder twice or loses one."""

from __future__ import annotations

import smtplib
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import Handover, PrefectSignoff
from approvals.reminders import delivery, jobs
from approvals.reminders.jobs import SELECTORS, run_job
from approvals.signoff.services import channel_submit, signoff_request
from channels.models import Channel, Deputyship, Unit
from channels.testing.factories import ChannelFactory, platform
from core.models import OutgoingEmail, SentReminder
from core.tasks import send_email
from core.testing.environment import need

STHLM = ZoneInfo("Europe/Stockholm")
MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=STHLM)
TODAY = MONDAY.date()


@pytest.fixture(autouse=True)
def _swedish_default(settings):
    """These tests are about the language of each recipient: keep the site's default, Swedish."""
    settings.LANGUAGE_CODE = "sv"


def at(day: date, hour: int = 7):
    """Travel to `day` at `hour` o'clock in Stockholm, with the clock standing still."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=STHLM), tick=False
    )


def sent(template: str | None = None) -> list[tuple[str, str, str]]:
    """(template, recipient, language) of every outbox row, oldest first."""
    rows = OutgoingEmail.objects.order_by("pk")
    if template:
        rows = rows.filter(template=template)
    return [(row.template, ",".join(row.to), row.language) for row in rows]


@pytest.fixture
def english_deputy(deputy):
    deputy.language = "en"
    deputy.save()
    return deputy


@pytest.fixture
def running(owner, english_deputy):
    """An active channel whose evaluation is due on TODAY + 30 days."""
    with at(TODAY):
        return ChannelFactory(
            name="Fysik för alla",
            created_by=owner,
            deputies=[english_deputy],
            state=Channel.State.ACTIVE,
            address_is_planned=False,
            next_evaluation_on=TODAY + timedelta(days=30),
        )


# --- Evaluations -----------------------------------------------------------------------------


def test_an_evaluation_is_reminded_upcoming_due_and_overdue_once_each(running, settings):
    settings.KOMM_EMAIL = "komm@umu.se"
    due = running.next_evaluation_on
    timeline = [
        (due - timedelta(days=31), []),
        (due - timedelta(days=30), ["reminder-evaluation-upcoming"] * 2),
        (due - timedelta(days=29), []),
        (due - timedelta(days=1), []),
        (due, ["reminder-evaluation-due"] * 2),
        (due + timedelta(days=13), []),
        (due + timedelta(days=14), ["reminder-evaluation-overdue"] * 3),
        (due + timedelta(days=100), []),
    ]
    for day, expected in timeline:
        before = OutgoingEmail.objects.count()
        with at(day):
            for name in jobs.DAILY_JOBS:
                run_job(name)
            for name in jobs.DAILY_JOBS:  # a second run the same day sends nothing
                run_job(name)
        new = OutgoingEmail.objects.order_by("pk")[before:]
        assert [row.template for row in new] == expected, day

    assert sent("reminder-evaluation-overdue") == [
        ("reminder-evaluation-overdue", "anna@umu.se", "sv"),
        ("reminder-evaluation-overdue", "david@umu.se", "en"),
        ("reminder-evaluation-overdue", "komm@umu.se", "sv"),
    ]
    assert SentReminder.objects.filter(kind="evaluation-overdue").count() == 3


def test_each_owner_gets_the_reminder_in_their_own_language(running):
    with at(running.next_evaluation_on):
        result = run_job("evaluation-due")

    assert [(r.recipient, r.kind) for r in result.sent] == [
        ("anna@umu.se", "evaluation-due"),
        ("david@umu.se", "evaluation-due"),
    ]
    anna = OutgoingEmail.objects.get(to=["anna@umu.se"])
    david = OutgoingEmail.objects.get(to=["david@umu.se"])
    assert (anna.language, david.language) == ("sv", "en")
    assert '<div lang="sv"' in anna.body_html
    assert '<div lang="en"' in david.body_html
    assert david.subject == "Time to evaluate: Fysik för alla"
    assert f"http://testserver/channels/{running.pk}/" in david.body_text
    assert "Hello David," in david.body_text
    assert "Komm" not in david.subject


def test_komm_hears_of_an_overdue_evaluation_with_who_was_reminded(running, settings):
    settings.KOMM_EMAIL = "komm@umu.se"
    with at(running.next_evaluation_on + timedelta(days=20)):
        run_job("evaluation-overdue")

    komm = OutgoingEmail.objects.get(to=["komm@umu.se"])
    assert komm.language == "sv"
    assert "Fysik för alla" in komm.subject
    assert "anna@umu.se" in komm.body_text
    assert "david@umu.se" in komm.body_text
    anna = OutgoingEmail.objects.get(to=["anna@umu.se"])
    assert "david@umu.se" not in anna.body_text


def test_a_new_evaluation_date_gets_new_reminders(running):
    with at(running.next_evaluation_on):
        run_job("evaluation-due")
        Channel.objects.filter(pk=running.pk).update(next_evaluation_on=TODAY + timedelta(days=400))
    later = TODAY + timedelta(days=400)
    with at(later):
        run_job("evaluation-due")
        run_job("evaluation-due")

    assert len(sent("reminder-evaluation-due")) == 4
    assert set(SentReminder.objects.values_list("key", flat=True)) == {
        f"{running.pk}:{running.next_evaluation_on.isoformat()}",
        f"{running.pk}:{later.isoformat()}",
    }


@pytest.mark.parametrize("state", [Channel.State.CLOSING, Channel.State.CLOSED])
def test_channels_that_are_not_running_get_no_evaluation_reminders(running, state):
    Channel.objects.filter(pk=running.pk).update(state=state)
    with at(running.next_evaluation_on + timedelta(days=30)):
        for name in ("evaluation-upcoming", "evaluation-due", "evaluation-overdue"):
            assert run_job(name).sent == []
    assert OutgoingEmail.objects.count() == 0


def test_people_who_left_are_not_written_to(running, english_deputy):
    english_deputy.is_active = False
    english_deputy.save()
    with at(running.next_evaluation_on):
        run_job("evaluation-due")
    assert sent() == [("reminder-evaluation-due", "anna@umu.se", "sv")]


# --- Sign-off --------------------------------------------------------------------------------


@pytest.fixture
def awaiting_prefect(draft, owner, english_deputy):
    with at(TODAY):
        channel_submit(channel=draft, submitted_by=owner)
    draft.refresh_from_db()
    OutgoingEmail.objects.all().delete()
    return draft


def test_the_head_of_department_is_reminded_once_after_a_few_days(awaiting_prefect, settings):
    settings.SIGNOFF_REMINDER_DAYS = 3
    with at(TODAY + timedelta(days=2), hour=23):
        assert run_job("signoff-reminder").sent == []
    with at(TODAY + timedelta(days=3), hour=8):
        [reminder] = run_job("signoff-reminder").sent
        assert run_job("signoff-reminder").sent == []
    with at(TODAY + timedelta(days=10)):
        assert run_job("signoff-reminder").sent == []

    assert reminder.recipient == "petra.prefekt@umu.se"
    email = OutgoingEmail.objects.get()
    assert email.to == ["petra.prefekt@umu.se"]
    assert email.language == "sv+en"  # no account, so both languages
    assert "Reminder: approve new channel" in email.subject
    # Only the link's hash is stored: the reminder says where the link is, and never invents one.
    assert "/approvals/signoff/" not in email.body_text
    assert "anna@umu.se" in email.body_text  # whom to ask for a new link
    assert "keeps no copy" in email.body_text


def test_an_expired_link_is_told_to_the_owners_once_with_the_way_to_a_new_one(awaiting_prefect):
    expires = PrefectSignoff.objects.get().expires_at
    with time_machine.travel(expires - timedelta(minutes=1), tick=False):
        assert run_job("signoff-expired").sent == []
    with time_machine.travel(expires + timedelta(hours=1), tick=False):
        assert len(run_job("signoff-expired").sent) == 2
        assert run_job("signoff-expired").sent == []
        assert run_job("signoff-reminder").sent == []  # an expired link is not reminded of

    assert sent() == [
        ("reminder-signoff-expired", "anna@umu.se", "sv"),
        ("reminder-signoff-expired", "david@umu.se", "en"),
    ]
    david = OutgoingEmail.objects.get(to=["david@umu.se"])
    assert f"http://testserver/channels/{awaiting_prefect.pk}/" in david.body_text
    assert "Send a new link to the head of department" in david.body_text
    assert "/new-signoff-link/" not in david.body_text  # a link in an e-mail never acts


def test_a_new_link_gets_its_own_reminders(awaiting_prefect, owner, settings):
    settings.SIGNOFF_REMINDER_DAYS = 3
    with at(TODAY + timedelta(days=3)):
        run_job("signoff-reminder")
    with at(TODAY + timedelta(days=5)):
        signoff_request(channel=awaiting_prefect, requested_by=owner)
    with at(TODAY + timedelta(days=7)):
        assert run_job("signoff-reminder").sent == []
    with at(TODAY + timedelta(days=8)):
        assert len(run_job("signoff-reminder").sent) == 1
    assert len(sent("reminder-signoff")) == 2


# --- Handovers -------------------------------------------------------------------------------


@pytest.fixture
def handover(running, owner, colleague, komm):
    with at(TODAY):
        return Handover.objects.create(
            channel=running,
            state=Handover.State.AWAITING_ACCEPTANCE,
            previous_responsible=owner,
            new_responsible=colleague,
            reason=Handover.Reason.NEW_ROLE,
            started_by=komm,
        )


def test_a_pending_handover_is_reminded_once_per_period(handover, colleague, settings):
    colleague.language = "en"
    colleague.save()
    settings.HANDOVER_REMINDER_DAYS = 7
    settings.KOMM_EMAIL = "komm@umu.se"
    counts = {}
    for days in (6, 7, 8, 13, 14, 15, 21):
        with at(TODAY + timedelta(days=days)):
            counts[days] = len(run_job("handover-pending").sent)
            assert run_job("handover-pending").sent == []
    assert counts == {6: 0, 7: 4, 8: 0, 13: 0, 14: 4, 15: 0, 21: 4}
    first_four = sent("reminder-handover-pending")[:4]
    assert [to for _t, to, _l in first_four] == [
        "anna@umu.se",
        "cecilia@umu.se",
        "karin@umu.se",
        "komm@umu.se",
    ]
    cecilia = OutgoingEmail.objects.filter(to=["cecilia@umu.se"]).order_by("pk").first()
    assert "has been open for 7 days" in cecilia.body_text
    assert "accept the responsibility" in cecilia.body_text


def test_a_finished_handover_is_not_reminded(handover):
    Handover.objects.filter(pk=handover.pk).update(
        state=Handover.State.COMPLETED, completed_at=timezone.now()
    )
    with at(TODAY + timedelta(days=30)):
        assert run_job("handover-pending").sent == []


# --- Komm's digest and the departed-staff flag ----------------------------------------------------


def test_the_digest_is_not_sent_when_there_is_nothing_to_report(db):
    with at(TODAY):
        assert run_job("komm-digest").sent == []
    assert OutgoingEmail.objects.count() == 0


def test_the_digest_goes_to_komm_once_a_week(running, handover, owner, settings):
    settings.KOMM_EMAIL = "komm@umu.se"
    waiting = ChannelFactory(name="Kemi i kö", state=Channel.State.AWAITING_KOMM)
    flagged = ChannelFactory(
        name="Flaggad kanal",
        state=Channel.State.ACTIVE,
        address_is_planned=False,
        needs_handover_since=timezone.now(),
    )
    Channel.objects.filter(pk=running.pk).update(next_evaluation_on=TODAY - timedelta(days=20))
    with at(MONDAY.date()):
        [digest] = run_job("komm-digest").sent
    with at(MONDAY.date() + timedelta(days=6)):
        assert run_job("komm-digest").sent == []
    with at(MONDAY.date() + timedelta(days=7)):
        assert len(run_job("komm-digest").sent) == 1

    assert digest.key == "2026-W10"
    first = OutgoingEmail.objects.filter(template="reminder-komm-digest").order_by("pk").first()
    assert first.to == ["komm@umu.se"]
    for name, channel in [("Kemi i kö", waiting), ("Fysik för alla", running)]:
        assert name in first.body_text
        assert f"http://testserver/channels/{channel.pk}/" in first.body_text
    assert "Flaggad kanal" in first.body_text
    assert f"http://testserver/channels/{flagged.pk}/" in first.body_text
    assert digest.context["counts"] == {
        "queue": 1,
        "overdue": 1,
        "handovers": 1,
        "flagged": 1,
        "campaigns": 0,
        "ad_orders": 0,
        "policy_missing": 0,  # the factory opens no channel (opened_at empty)
    }


def test_the_digest_lists_evaluations_past_their_date_as_the_overview_does(running):
    Channel.objects.filter(pk=running.pk).update(next_evaluation_on=TODAY - timedelta(days=1))
    with at(TODAY):
        [digest] = run_job("komm-digest").sent
    assert [c.pk for c in digest.context["overdue"]] == [running.pk]
    Channel.objects.filter(pk=running.pk).update(next_evaluation_on=TODAY + timedelta(days=7))
    with at(TODAY + timedelta(days=7)):  # next week, due that day: not yet past
        assert run_job("komm-digest").sent == []


def test_the_daily_flagging_job_flags_a_departed_persons_channel_once(db):
    channel = ChannelFactory()
    Channel.objects.filter(pk=channel.pk).update(state="active", address_is_planned=False)
    channel.responsible.is_active = False
    channel.responsible.save()

    assert run_job("flag-departed").note == "1 flagged"
    assert run_job("flag-departed").note == "0 flagged"
    channel.refresh_from_db()
    assert channel.needs_handover_since is not None


# --- Crash, SMTP failure ---------------------------------------------------------------------


def test_a_crash_halfway_loses_nothing_and_sends_nothing_twice(running, monkeypatch):
    real_queue = delivery.queue_email_to_user
    calls = []

    def crash_on_the_second(**kwargs):
        calls.append(kwargs["user"].email)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_queue(**kwargs)

    monkeypatch.setattr(delivery, "queue_email_to_user", crash_on_the_second)
    with at(running.next_evaluation_on), pytest.raises(RuntimeError):
        run_job("evaluation-due")
    # The first e-mail was queued before the crash; the transaction took it back with the rows.
    assert (OutgoingEmail.objects.count(), SentReminder.objects.count()) == (0, 0)

    monkeypatch.setattr(delivery, "queue_email_to_user", real_queue)
    with at(running.next_evaluation_on):
        run_job("evaluation-due")
        run_job("evaluation-due")
    assert [to for _t, to, _l in sent()] == ["anna@umu.se", "david@umu.se"]


def test_a_failing_smtp_server_delays_the_reminder_which_is_then_sent_once(running, monkeypatch):
    with at(running.next_evaluation_on):
        run_job("evaluation-due")
    email = OutgoingEmail.objects.get(to=["anna@umu.se"])
    real_send = EmailMultiAlternatives.send

    def down(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMultiAlternatives, "send", down)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_email(email.pk)  # the first attempt; Celery would retry it
    email.refresh_from_db()
    assert (email.sent_at, email.attempts) == (None, 1)

    with at(running.next_evaluation_on + timedelta(days=1)):
        run_job("evaluation-due")  # the next day's run does not queue it again
    assert OutgoingEmail.objects.filter(to=["anna@umu.se"]).count() == 1

    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    send_email(email.pk)  # the retry
    send_email(email.pk)  # a duplicate delivery of the task

    [message] = [m for m in mail.outbox if m.to == ["anna@umu.se"]]
    assert "Fysik för alla" in message.subject
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 2


# --- A bounded number of queries -----------------------------------------------------------------


def _bulk_running_channels(n: int, due_on: date) -> None:
    """n active channels, each with its own owner and a deputy, made with a handful of queries."""
    User = get_user_model()
    unit = Unit.objects.create(name=f"Enhet {n}", kind=Unit.Kind.DEPARTMENT)
    users = User.objects.bulk_create(
        User(username=f"bulk{n}-{i}", email=f"bulk{n}-{i}@umu.se", password="!")
        for i in range(2 * n)
    )
    channels = Channel.objects.bulk_create(
        Channel(
            name=f"Kanal {n}-{i}",
            platform=platform("instagram"),
            address=f"https://www.instagram.com/bulk_{n}_{i}",
            address_is_planned=False,
            sender=Channel.Sender.UNIT,
            sender_unit=unit,
            responsible_unit=unit,
            created_by=users[2 * i],
            responsible=users[2 * i],
            state=Channel.State.ACTIVE,
            next_evaluation_on=due_on,
        )
        for i in range(n)
    )
    Deputyship.objects.bulk_create(
        Deputyship(channel=channel, user=users[2 * i + 1]) for i, channel in enumerate(channels)
    )


@pytest.mark.parametrize(
    ("job", "offset_days"),
    [("evaluation-upcoming", 10), ("evaluation-due", 0), ("evaluation-overdue", -20)],
)
def test_the_selection_costs_the_same_queries_for_10_and_1000_due_channels(
    db, job, offset_days, settings
):
    settings.KOMM_EMAIL = "komm@umu.se"
    per_channel = 3 if job == "evaluation-overdue" else 2  # owner, deputy (and Komm)
    queries = {}
    with at(TODAY):
        for n in (10, 1000):
            Channel.objects.all().delete()
            _bulk_running_channels(n, TODAY + timedelta(days=offset_days))
            with CaptureQueriesContext(connection) as captured:
                due = list(SELECTORS[job](timezone.now()))
            assert len(due) == per_channel * n
            queries[n] = len(captured)
    # One query for the channels with their platform and people, one for the deputies.
    assert queries == {10: 2, 1000: 2}


def test_the_digest_selection_costs_the_same_queries_for_10_and_1000_channels(db):
    queries = {}
    with at(TODAY):
        for n in (10, 1000):
            Channel.objects.all().delete()
            _bulk_running_channels(n, TODAY - timedelta(days=30))
            with CaptureQueriesContext(connection) as captured:
                [digest] = SELECTORS["komm-digest"](timezone.now())
            assert digest.context["counts"]["overdue"] == n
            queries[n] = len(captured)
    # A count and a page of each of the seven sections, and the moderation log's week.
    assert queries[10] == queries[1000] == 15


# --- Two workers at once (PostgreSQL) ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(monkeypatch, settings):
    need("PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://...")
    settings.KOMM_EMAIL = "komm@umu.se"
    due_on = timezone.localdate() - timedelta(days=20)
    _bulk_running_channels(30, due_on)  # 30 channels × (owner, deputy, Komm) = 90 reminders
    # Hold the first transaction open after it has claimed its rows, so that the second worker's
    # INSERT really meets the first one's uncommitted rows.
    real_queue = delivery._queue
    first_claim = threading.Event()

    def slow_queue(reminder):
        if not first_claim.is_set():
            first_claim.set()
            threading.Event().wait(0.5)
        real_queue(reminder)

    monkeypatch.setattr(delivery, "_queue", slow_queue)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(len(run_job("evaluation-overdue").sent))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == [0, 90]
    assert OutgoingEmail.objects.count() == 90
    assert SentReminder.objects.count() == 90
    recipients = [tuple(row.to) for row in OutgoingEmail.objects.exclude(to=["komm@umu.se"])]
    assert len(recipients) == len(set(recipients)) == 60


def test_the_digest_lists_this_weeks_campaigns_and_ad_orders_waiting(db):
    from approvals.testing.factories import AdOrderFactory, CampaignNoticeFactory

    with at(TODAY):
        notice = CampaignNoticeFactory(starts_on=TODAY, ends_on=TODAY)
        order = AdOrderFactory()
        [digest] = SELECTORS["komm-digest"](timezone.now())
    assert digest.context["counts"]["campaigns"] == 1
    assert digest.context["campaigns"] == [notice]
    assert digest.context["ad_orders"] == [order]
