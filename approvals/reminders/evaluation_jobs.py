"""The evaluation reminders: most of a sweep's e-mails (34,000 of 37,000 on the first day at
100,000 channels), so they are streamed, rendered once per shape (approvals.reminders.stencils)
and read only for channels where someone is still to be told (`_not_yet_told`): a rerun reads
no channel at all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from approvals import emails
from approvals.reminders.delivery import (
    PERSON_FIELDS,
    Reminder,
    channel_links,
    channel_owners,
    to_komm,
    to_users,
    with_people,
)
from approvals.reminders.stencils import evaluation_stencil
from channels.models import Channel, Deputyship
from core.models import SentReminder

# Channels read per round trip while streaming a selection: the sweep's memory stays flat.
CHUNK_SIZE = 1000


def _running_with_evaluation() -> QuerySet[Channel]:
    return Channel.objects.filter(
        state__in=Channel.RUNNING_STATES, next_evaluation_on__isnull=False
    )


def channels_evaluation_overdue(today: date) -> QuerySet[Channel]:
    """Running channels whose evaluation is EVALUATION_OVERDUE_DAYS or more past its date."""
    return _running_with_evaluation().filter(
        next_evaluation_on__lte=today - timedelta(days=settings.EVALUATION_OVERDUE_DAYS)
    )


def reminder_key(channel: Channel, due_on: date) -> str:
    """The occasion: the channel and its evaluation date (a new date is a new occasion)."""
    return f"{channel.pk}:{due_on.isoformat()}"


def _not_yet_told(kind: str, channels: QuerySet[Channel]) -> QuerySet[Channel]:
    """The channels where one of the people `channel_owners` names (or, for an overdue
    evaluation, Komm's mailbox) has no `SentReminder` of this kind and occasion yet: the
    `reminder_key` built in SQL, one index lookup per person. Only a filter before reading;
    the claim in `deliver` still decides who is sent what."""

    def told(recipient) -> Exists:
        return Exists(
            SentReminder.objects.filter(
                kind=kind, key=OuterRef("reminder_key"), recipient=recipient
            )
        )

    deputies_not_told = Deputyship.objects.filter(
        channel=OuterRef("pk"), user__is_active=True
    ).exclude(user__email="")
    deputies_not_told = deputies_not_told.filter(
        ~Exists(
            SentReminder.objects.filter(
                kind=kind, key=OuterRef(OuterRef("reminder_key")), recipient=OuterRef("user__email")
            )
        )
    )
    someone: Q | Combinable = (
        Q(responsible__is_active=True)
        & ~Q(responsible__email="")
        & ~told(OuterRef("responsible__email"))
    ) | Exists(deputies_not_told)
    if kind == "evaluation-overdue" and settings.KOMM_EMAIL:
        someone |= ~told(Value(settings.KOMM_EMAIL))
    key = Concat(Cast("pk", CharField()), Value(":"), Cast("next_evaluation_on", CharField()))
    return channels.annotate(reminder_key=key).filter(someone)


def _evaluation_reminders(
    kind: str, channels: QuerySet[Channel], today: date
) -> Iterator[Reminder]:
    """The owners' (and for an overdue one Komm's) reminders, streamed: two queries per
    CHUNK_SIZE channels."""
    # Only what the e-mails read (approvals.reminders.stencils): the sweep makes many of them.
    rows = with_people(_not_yet_told(kind, channels).order_by("next_evaluation_on", "pk")).only(
        "name",
        "platform__name",
        "evaluation_method",
        "next_evaluation_on",
        *(f"responsible__{name}" for name in PERSON_FIELDS),
    )
    link_of = channel_links()
    for channel in rows.iterator(chunk_size=CHUNK_SIZE):
        due_on = channel.next_evaluation_on
        link = link_of(channel)
        common = {
            "kind": kind,
            "key": reminder_key(channel, due_on),
            "template": emails.reminder_template(kind),
            "about": f"{channel.name}: evaluation on {due_on.isoformat()}",
        }
        context = {
            "channel": channel,
            "due_on": due_on,
            "days_left": (due_on - today).days,
            "days_late": (today - due_on).days,
            "link": link,
        }
        owners = channel_owners(channel)
        stencil = evaluation_stencil(channel=channel, due_on=due_on, today=today, link=link)
        yield from to_users(owners, context=context, stencil=stencil, **common)
        if kind == "evaluation-overdue":
            yield from to_komm(
                context={**context, "for_komm": True, "owners": owners},
                stencil=evaluation_stencil(
                    channel=channel, due_on=due_on, today=today, link=link, owners=owners
                ),
                **common,
            )


def select_evaluation_upcoming(now: datetime) -> Iterator[Reminder]:
    """Evaluations within the next EVALUATION_UPCOMING_DAYS (two queries per chunk)."""
    today = timezone.localdate(now)
    channels = _running_with_evaluation().filter(
        next_evaluation_on__gt=today,
        next_evaluation_on__lte=today + timedelta(days=settings.EVALUATION_UPCOMING_DAYS),
    )
    return _evaluation_reminders("evaluation-upcoming", channels, today)


def select_evaluation_due(now: datetime) -> Iterator[Reminder]:
    """Evaluations whose date has come, until they count as overdue (two queries per chunk)."""
    today = timezone.localdate(now)
    channels = _running_with_evaluation().filter(
        next_evaluation_on__lte=today,
        next_evaluation_on__gt=today - timedelta(days=settings.EVALUATION_OVERDUE_DAYS),
    )
    return _evaluation_reminders("evaluation-due", channels, today)


def select_evaluation_overdue(now: datetime) -> Iterator[Reminder]:
    """Evaluations EVALUATION_OVERDUE_DAYS past their date: the owners and Komm (two queries
    per chunk)."""
    today = timezone.localdate(now)
    return _evaluation_reminders("evaluation-overdue", channels_evaluation_overdue(today), today)
