"""Reminder jobs: the periodic e-mails that keep the registry true.

Each job has two halves:

1. **Selection** (`select_*`): what is due now, read with a fixed number of set-based queries
   (joins and one prefetch), whatever the number of channels. It returns `Reminder`s, one per
   recipient and occasion, and writes nothing.
2. **Delivery** (`deliver`): in ONE transaction, claim the reminders by inserting
   `SentReminder(kind, key, recipient, run)` rows with ON CONFLICT DO NOTHING, read back the
   rows of this run (those are the reminders this run owns) and queue one e-mail per owned row
   into the outbox. The e-mails go out by `core.tasks.send_email` once the transaction
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
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from channels.models import Channel, Deputyship
from core.mail import absolute_url, queue_email, queue_email_to_user
from core.models import SentReminder

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


def with_people(channels: QuerySet[Channel], prefix: str = "") -> QuerySet:
    """Join and prefetch everything an e-mail to the owners needs: two queries in all."""
    return channels.select_related(f"{prefix}platform", f"{prefix}responsible").prefetch_related(
        Prefetch(
            f"{prefix}deputyships",
            queryset=Deputyship.objects.select_related("user").order_by("pk"),
        )
    )


def user_reachable(user) -> bool:
    """A person we can still write to: an active account with an address."""
    return user is not None and user.is_active and bool(user.email)


def channel_owners(channel: Channel) -> list:
    """The responsible person and the deputies who still work here (from the prefetch)."""
    people = [channel.responsible] if channel.responsible_id else []
    people += [d.user for d in channel.deputyships.all()]
    seen: set[int] = set()
    owners = []
    for person in people:
        if user_reachable(person) and person.pk not in seen:
            seen.add(person.pk)
            owners.append(person)
    return owners


def to_users(users, **reminder) -> list[Reminder]:
    return [Reminder(recipient=user.email, user=user, **reminder) for user in users]


def to_komm(**reminder) -> list[Reminder]:
    if not settings.KOMM_EMAIL:
        return []
    return [Reminder(recipient=settings.KOMM_EMAIL, **reminder)]


def channel_link(channel: Channel) -> str:
    return absolute_url(reverse("channels:detail", args=[channel.pk]))
