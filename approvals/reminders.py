"""Reminder jobs: the periodic e-mails that keep the registry true.

Each job has two halves:

1. **Selection** (`select_*`): what is due now, read with a fixed number of set-based queries
   (joins and one prefetch), whatever the number of channels. It returns `Reminder`s, one per
   recipient and occasion, and writes nothing.
2. **Delivery** (`deliver`): in ONE transaction, claim the reminders by inserting
   `SentReminder(kind, key, recipient, run)` rows with ON CONFLICT DO NOTHING, read back the
   rows of this run (those are the reminders this run owns) and queue one e-mail per owned row
   into the outbox. The e-mails go out by `umusocial.tasks.send_email` once the transaction
   commits, with retries.

So the unique constraint (kind, key, recipient) decides who sends what:
- a rerun, or a retried task, inserts nothing new and sends nothing;
- a second worker at the same moment waits (PostgreSQL) on the first one's uncommitted unique
  index entries, then skips them; on SQLite writers are serialised anyway;
- a crash halfway rolls back the reminder rows and the outbox rows together: nothing lost,
  nothing twice;
- a failing SMTP server only delays delivery of the outbox row (sent once, after a retry).

The key names the occasion, so a new occasion gets new reminders: a new evaluation date, a new
sign-off link, another period of a handover that is still open, another week for the digest.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from approvals.models import Handover, PrefectSignoff
from channels.models import Channel, Deputyship
from channels.selectors import evaluations_overdue
from umusocial.mail import BOTH_LANGUAGES, absolute_url, queue_email, queue_email_to_user
from umusocial.models import SentReminder

log = logging.getLogger(__name__)

# How many rows each section of Komm's weekly digest lists; the rest is counted.
DIGEST_LIST_LIMIT = 50


@dataclass(frozen=True)
class Reminder:
    """One e-mail to one recipient about one occasion."""

    kind: str
    key: str
    recipient: str  # the e-mail address (SentReminder.recipient)
    template: str
    context: dict = field(compare=False, hash=False, repr=False)
    # A portal user gets the e-mail in the language they chose; an address without an account
    # (the head of department, Komm's mailbox) gets `languages`.
    user: Any = field(default=None, compare=False, hash=False, repr=False)
    languages: tuple[str, ...] = field(default=(), compare=False, hash=False)
    about: str = field(default="", compare=False, hash=False)

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.kind, self.key, self.recipient)


@dataclass
class JobResult:
    job: str
    sent: list[Reminder] = field(default_factory=list)
    note: str = ""


# --- Delivery ---------------------------------------------------------------------------------


def deliver(reminders: list[Reminder]) -> list[Reminder]:
    """Claim and queue the reminders; return those this run sent (never one sent before)."""
    candidates: dict[tuple[str, str, str], Reminder] = {}
    for reminder in reminders:
        candidates.setdefault(reminder.identity, reminder)
    if not candidates:
        return []
    run = uuid.uuid4()
    with transaction.atomic():
        SentReminder.objects.bulk_create(
            [
                SentReminder(kind=kind, key=key, recipient=recipient, run=run)
                for kind, key, recipient in candidates
            ],
            ignore_conflicts=True,
        )
        owned = set(SentReminder.objects.filter(run=run).values_list("kind", "key", "recipient"))
        sent = [reminder for identity, reminder in candidates.items() if identity in owned]
        for reminder in sent:
            _queue(reminder)
    return sent


def _queue(reminder: Reminder) -> None:
    if reminder.user is not None:
        queue_email_to_user(
            template=reminder.template, user=reminder.user, context=reminder.context
        )
    else:
        queue_email(
            template=reminder.template,
            to=[reminder.recipient],
            context=reminder.context,
            languages=reminder.languages or (settings.LANGUAGE_CODE,),
        )


# --- Shared pieces of selection ----------------------------------------------------------------


def _with_people(channels: QuerySet[Channel], prefix: str = "") -> QuerySet:
    """Join and prefetch everything an e-mail to the owners needs: two queries in all."""
    return channels.select_related(
        f"{prefix}platform", f"{prefix}responsible", f"{prefix}responsible__profile"
    ).prefetch_related(
        Prefetch(
            f"{prefix}deputyships",
            queryset=Deputyship.objects.select_related("user", "user__profile").order_by("pk"),
        )
    )


def _reachable(user) -> bool:
    """A person we can still write to: an active account with an address."""
    return user is not None and user.is_active and bool(user.email)


def channel_owners(channel: Channel) -> list:
    """The responsible person and the deputies who still work here (from the prefetch)."""
    people = [channel.responsible] if channel.responsible_id else []
    people += [d.user for d in channel.deputyships.all()]
    seen: set[int] = set()
    owners = []
    for person in people:
        if _reachable(person) and person.pk not in seen:
            seen.add(person.pk)
            owners.append(person)
    return owners


def _to_users(users, **reminder) -> list[Reminder]:
    return [Reminder(recipient=user.email, user=user, **reminder) for user in users]


def _to_komm(**reminder) -> list[Reminder]:
    if not settings.KOMM_EMAIL:
        return []
    return [Reminder(recipient=settings.KOMM_EMAIL, **reminder)]


def _channel_link(channel: Channel) -> str:
    return absolute_url(reverse("channels:detail", args=[channel.pk]))


# --- Sign-off --------------------------------------------------------------------------------


def select_signoff_reminders(now: datetime) -> list[Reminder]:
    """Links a head of department has not answered for SIGNOFF_REMINDER_DAYS and that still work.

    The reminder cannot carry the link: only a hash of its token is stored. It points to the
    earlier e-mail and says the applicant can send a new link. One query.
    """
    signoffs = PrefectSignoff.objects.filter(
        decision=PrefectSignoff.Decision.PENDING,
        requested_at__lte=now - timedelta(days=settings.SIGNOFF_REMINDER_DAYS),
        expires_at__gt=now,
    ).select_related("channel", "channel__platform", "requested_by", "handover__new_responsible")
    reminders = []
    for signoff in signoffs:
        reminders.append(
            Reminder(
                kind="signoff-reminder",
                key=str(signoff.pk),
                recipient=signoff.prefect_email,
                template="reminder-signoff",
                context={"channel": signoff.channel, "signoff": signoff},
                languages=BOTH_LANGUAGES,  # no account, no known language: both
                about=f"{signoff.channel.name}: sign-off requested {signoff.requested_at:%Y-%m-%d}",
            )
        )
    return reminders


def select_signoff_expired(now: datetime) -> list[Reminder]:
    """A registration's link that expired unanswered: the owners can send a new one (two queries).

    Handover sign-offs are left to the handover-pending reminder, which reaches everyone involved.
    """
    signoffs = _with_people(
        PrefectSignoff.objects.filter(
            decision=PrefectSignoff.Decision.PENDING,
            expires_at__lte=now,
            handover__isnull=True,
            channel__state=Channel.State.AWAITING_PREFECT,
        ).order_by("expires_at", "pk"),
        prefix="channel__",
    )
    reminders = []
    for signoff in signoffs:
        channel = signoff.channel
        reminders += _to_users(
            channel_owners(channel),
            kind="signoff-expired",
            key=str(signoff.pk),
            template="reminder-signoff-expired",
            context={"channel": channel, "signoff": signoff, "link": _channel_link(channel)},
            about=f"{channel.name}: link to {signoff.prefect_email} expired",
        )
    return reminders


# --- Evaluations -----------------------------------------------------------------------------


def _running_with_evaluation() -> QuerySet[Channel]:
    return Channel.objects.filter(
        state__in=Channel.RUNNING_STATES, next_evaluation_on__isnull=False
    )


def channels_evaluation_overdue(today: date) -> QuerySet[Channel]:
    """Running channels whose evaluation is EVALUATION_OVERDUE_DAYS or more past its date."""
    return _running_with_evaluation().filter(
        next_evaluation_on__lte=today - timedelta(days=settings.EVALUATION_OVERDUE_DAYS)
    )


def _evaluation_reminders(kind: str, channels: QuerySet[Channel], today: date) -> list[Reminder]:
    reminders = []
    for channel in _with_people(channels.order_by("next_evaluation_on", "pk")):
        due_on = channel.next_evaluation_on
        common = {
            "kind": kind,
            "key": f"{channel.pk}:{due_on.isoformat()}",
            "template": f"reminder-{kind}",
            "about": f"{channel.name}: evaluation on {due_on.isoformat()}",
        }
        context = {
            "channel": channel,
            "due_on": due_on,
            "days_left": (due_on - today).days,
            "days_late": (today - due_on).days,
            "link": _channel_link(channel),
        }
        owners = channel_owners(channel)
        reminders += _to_users(owners, context=context, **common)
        if kind == "evaluation-overdue":
            reminders += _to_komm(context={**context, "for_komm": True, "owners": owners}, **common)
    return reminders


def select_evaluation_upcoming(now: datetime) -> list[Reminder]:
    """Evaluations within the next EVALUATION_UPCOMING_DAYS (two queries)."""
    today = timezone.localdate(now)
    channels = _running_with_evaluation().filter(
        next_evaluation_on__gt=today,
        next_evaluation_on__lte=today + timedelta(days=settings.EVALUATION_UPCOMING_DAYS),
    )
    return _evaluation_reminders("evaluation-upcoming", channels, today)


def select_evaluation_due(now: datetime) -> list[Reminder]:
    """Evaluations whose date has come, until they count as overdue (two queries)."""
    today = timezone.localdate(now)
    channels = _running_with_evaluation().filter(
        next_evaluation_on__lte=today,
        next_evaluation_on__gt=today - timedelta(days=settings.EVALUATION_OVERDUE_DAYS),
    )
    return _evaluation_reminders("evaluation-due", channels, today)


def select_evaluation_overdue(now: datetime) -> list[Reminder]:
    """Evaluations EVALUATION_OVERDUE_DAYS past their date: the owners and Komm (two queries)."""
    today = timezone.localdate(now)
    return _evaluation_reminders("evaluation-overdue", channels_evaluation_overdue(today), today)


# --- Handovers -------------------------------------------------------------------------------


def select_handover_pending(now: datetime) -> list[Reminder]:
    """Handovers open for HANDOVER_REMINDER_DAYS or longer: everyone involved and Komm.

    The key carries the number of the period, so an open handover is reminded of at most once
    per HANDOVER_REMINDER_DAYS. One query.
    """
    period_length = timedelta(days=settings.HANDOVER_REMINDER_DAYS)
    handovers = Handover.objects.filter(
        state__in=Handover.OPEN_STATES, started_at__lte=now - period_length
    ).select_related(
        "channel",
        "channel__platform",
        "previous_responsible",
        "previous_responsible__profile",
        "new_responsible",
        "new_responsible__profile",
        "started_by",
        "started_by__profile",
    )
    reminders = []
    for handover in handovers.order_by("started_at", "pk"):
        period = (now - handover.started_at) // period_length
        people = []
        for person in (
            handover.previous_responsible,
            handover.new_responsible,
            handover.started_by,
        ):
            if _reachable(person) and person not in people:
                people.append(person)
        common = {
            "kind": "handover-pending",
            "key": f"{handover.pk}:{period}",
            "template": "reminder-handover-pending",
            "about": f"{handover.channel.name}: handover open since "
            f"{timezone.localdate(handover.started_at).isoformat()}",
        }
        context = {
            "channel": handover.channel,
            "handover": handover,
            "days_open": (now - handover.started_at).days,
            "link": _channel_link(handover.channel),
        }
        reminders += _to_users(people, context=context, **common)
        reminders += _to_komm(context={**context, "for_komm": True}, **common)
    return reminders


# --- Komm's weekly digest ----------------------------------------------------------------------


def select_komm_digest(now: datetime) -> list[Reminder]:
    """One e-mail a week to KOMM_EMAIL with what needs Komm's eye; nothing to report, no e-mail.

    Eight queries: a count and the first DIGEST_LIST_LIMIT rows of each section.
    """
    today = timezone.localdate(now)
    year, week, _weekday = today.isocalendar()
    sections = {
        "queue": Channel.objects.filter(state=Channel.State.AWAITING_KOMM)
        .select_related("platform")
        .order_by("state_changed_at", "pk"),
        # As on Komm's overview page: every evaluation past its date (the owners' overdue
        # reminder waits EVALUATION_OVERDUE_DAYS; Komm's weekly picture does not).
        "overdue": evaluations_overdue(today=today),
        "handovers": Handover.objects.filter(state__in=Handover.OPEN_STATES)
        .select_related("channel", "channel__platform", "new_responsible")
        .order_by("started_at", "pk"),
        "flagged": Channel.objects.filter(needs_handover_since__isnull=False)
        .exclude(state__in=[Channel.State.CLOSED, Channel.State.REJECTED])
        .select_related("platform")
        .order_by("needs_handover_since", "pk"),
    }
    counts = {name: rows.count() for name, rows in sections.items()}
    if not any(counts.values()):
        return []
    lists = {name: list(rows[:DIGEST_LIST_LIMIT]) for name, rows in sections.items()}
    for channel in [*lists["queue"], *lists["overdue"], *lists["flagged"]]:
        channel.link = _channel_link(channel)
    for handover in lists["handovers"]:
        handover.link = _channel_link(handover.channel)
    context = {
        "week": f"{year}-W{week:02d}",
        "counts": counts,
        "more": {name: counts[name] - len(lists[name]) for name in sections},
        "today": today,
        "queue_link": absolute_url(reverse("approvals:queue")),
        **lists,
    }
    return _to_komm(
        kind="komm-digest",
        key=f"{year}-W{week:02d}",
        template="reminder-komm-digest",
        context=context,
        about=", ".join(f"{counts[name]} {name}" for name in sections),
    )


# --- Flagging departed staff ------------------------------------------------------------------


def flag_departed_staff() -> JobResult:
    """Flag channels whose responsible person or deputy has left (the handover feature's job).

    `channels.services.channels_flag_departed_staff` belongs to the handover feature; until it
    exists this job logs that and does nothing.
    """
    from channels import services

    flag = getattr(services, "channels_flag_departed_staff", None)
    if flag is None:
        note = "skipped: channels.services.channels_flag_departed_staff() does not exist"
        log.warning("Reminder job flag-departed %s", note)
        return JobResult("flag-departed", note=note)
    result = flag()
    if isinstance(result, int):
        count = result
    elif hasattr(result, "__len__"):
        count = len(result)
    else:
        return JobResult("flag-departed", note="done")
    return JobResult("flag-departed", note=f"{count} flagged")


# --- Running the jobs ------------------------------------------------------------------------

SELECTORS: dict[str, Callable[[datetime], list[Reminder]]] = {
    "signoff-reminder": select_signoff_reminders,
    "signoff-expired": select_signoff_expired,
    "evaluation-upcoming": select_evaluation_upcoming,
    "evaluation-due": select_evaluation_due,
    "evaluation-overdue": select_evaluation_overdue,
    "handover-pending": select_handover_pending,
    "komm-digest": select_komm_digest,
}
# Run every day by beat. Flagging comes first so that today's flags are in today's reminders.
DAILY_JOBS: tuple[str, ...] = (
    "flag-departed",
    "signoff-reminder",
    "signoff-expired",
    "evaluation-upcoming",
    "evaluation-due",
    "evaluation-overdue",
    "handover-pending",
)
WEEKLY_JOBS: tuple[str, ...] = ("komm-digest",)
# `manage.py send_reminders` runs them all: the digest's key is the ISO week, so a daily cron
# run sends it on the first run of each week and never twice.
ALL_JOBS: tuple[str, ...] = DAILY_JOBS + WEEKLY_JOBS


def run_job(name: str, *, now: datetime | None = None) -> JobResult:
    """Run one job once: select what is due, then claim and queue it in one transaction."""
    if name == "flag-departed":
        return flag_departed_staff()
    if name not in SELECTORS:
        raise ValueError(f"Unknown reminder job {name!r}; the jobs are {', '.join(ALL_JOBS)}.")
    sent = deliver(SELECTORS[name](now or timezone.now()))
    if sent:
        log.info("Reminder job %s sent %d reminder(s)", name, len(sent))
    return JobResult(name, sent=sent)
