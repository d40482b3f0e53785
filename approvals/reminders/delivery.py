"""Reminder jobs: the periodic e-mails that keep the registry true.

Each job has two halves:

1. **Selection** (`select_*`): what is due now, read with a fixed number of set-based queries
   (joins and one prefetch, streamed in chunks), whatever the number of channels. It yields
   `Reminder`s, one per recipient and occasion, and writes nothing.
2. **Delivery** (`deliver`): per batch of reminders, in ONE transaction, claim them by
   inserting `SentReminder(kind, key, recipient, run)` rows with ON CONFLICT DO NOTHING, read
   back the rows of this run (those are the reminders this run owns) and write one e-mail per
   owned row into the outbox (one INSERT; the e-mails of the sweep's big jobs are rendered
   once per shape and filled in, core.stencils). The e-mails go out by
   `core.tasks.send_email` once the transaction commits, with retries.

So the unique constraint (kind, key, recipient) decides who sends what:
- a rerun, or a retried task, inserts nothing new and sends nothing;
- a second worker at the same moment waits (PostgreSQL) on the first one's uncommitted unique
  index entries, then skips them; on SQLite writers are serialised anyway;
- a crash halfway rolls back the reminder rows and the outbox rows of its batch together
  (the batches before it are claimed and queued): nothing lost, nothing twice;
- a failing SMTP server only delays delivery of the outbox row (sent once, after a retry).

The key names the occasion, so a new occasion gets new reminders: a new evaluation date, a new
sign-off link, another period of a handover that is still open, another week for the digest.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from channels.models import Channel, Deputyship
from core.mail import Outbox, absolute_url, queue_email, queue_email_to_user
from core.models import SentReminder
from core.stencils import Stencil

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
    # The same e-mail as a stencil (core.stencils), for the recipient (a user, or None): the
    # sweep then renders each shape once instead of every e-mail in full.
    stencil: Callable[[Any], Stencil] | None = field(
        default=None, compare=False, hash=False, repr=False
    )

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.kind, self.key, self.recipient)


@dataclass
class JobResult:
    job: str
    sent: list[Reminder] = field(default_factory=list)
    note: str = ""


# --- Delivery ---------------------------------------------------------------------------------

# Reminders claimed and written per transaction: the sweep streams, so its memory does not grow
# with the number of reminders due.
BATCH_SIZE = 500
# The outbox of the batch being delivered (so that `_queue(reminder)` keeps its one argument).
_outbox: ContextVar[Outbox | None] = ContextVar("reminder_outbox", default=None)


def deliver(reminders: Iterable[Reminder]) -> list[Reminder]:
    """Claim and queue the reminders; return those this run sent (never one sent before).

    In batches of BATCH_SIZE, each in ONE transaction: insert its `SentReminder` rows (ON
    CONFLICT DO NOTHING) under a run id of its own, read back the rows of that run (those are
    the reminders this batch owns) and write one outbox e-mail per owned row, with one INSERT.
    A crash halfway keeps the batches before it (claimed and queued together) and takes back
    the rest whole; a rerun or a second worker finds them claimed."""
    seen: set[tuple[str, str, str]] = set()
    outbox = Outbox()
    sent: list[Reminder] = []
    batch: list[Reminder] = []
    for reminder in reminders:
        if reminder.identity in seen:
            continue
        seen.add(reminder.identity)
        batch.append(reminder)
        if len(batch) >= BATCH_SIZE:
            sent += _deliver_batch(batch, outbox)
            batch = []
    if batch:
        sent += _deliver_batch(batch, outbox)
    return sent


def _deliver_batch(batch: list[Reminder], outbox: Outbox) -> list[Reminder]:
    # What was sent before is skipped before the claim (a rerun then inserts nothing); the
    # claim alone decides about the rest, so this read changes nothing about "once".
    claimed = set(
        SentReminder.objects.filter(
            kind__in={r.kind for r in batch}, key__in={r.key for r in batch}
        ).values_list("kind", "key", "recipient")
    )
    batch = [reminder for reminder in batch if reminder.identity not in claimed]
    if not batch:
        return []
    run = uuid.uuid4()
    with transaction.atomic():
        SentReminder.objects.bulk_create(
            [SentReminder(kind=r.kind, key=r.key, recipient=r.recipient, run=run) for r in batch],
            ignore_conflicts=True,
        )
        owned = set(SentReminder.objects.filter(run=run).values_list("kind", "key", "recipient"))
        mine = [reminder for reminder in batch if reminder.identity in owned]
        token = _outbox.set(outbox)
        try:
            for reminder in mine:
                _queue(reminder)
        finally:
            _outbox.reset(token)
        outbox.write()
    # A streamed reminder (one with a stencil) comes back as a record of what was sent, without
    # its e-mail's context and recipient object: the sweep's memory must not grow with it.
    return [
        replace(reminder, context={}, user=None, stencil=None) if reminder.stencil else reminder
        for reminder in mine
    ]


def _queue(reminder: Reminder) -> None:
    outbox = _outbox.get()
    stencil = reminder.stencil(reminder.user) if reminder.stencil is not None else None
    if reminder.user is not None:
        queue_email_to_user(
            template=reminder.template,
            user=reminder.user,
            context=reminder.context,
            stencil=stencil,
            outbox=outbox,
        )
    else:
        queue_email(
            template=reminder.template,
            to=[reminder.recipient],
            context=reminder.context,
            languages=reminder.languages or (settings.LANGUAGE_CODE,),
            stencil=stencil,
            outbox=outbox,
        )


# --- Shared pieces of selection ----------------------------------------------------------------


# What an e-mail to a person reads of them: the address, the language, the name, whether they
# still work here.
PERSON_FIELDS = ("username", "first_name", "last_name", "email", "language", "is_active")


def with_people(channels: QuerySet, prefix: str = "") -> QuerySet:
    """Join and prefetch everything an e-mail to the owners needs: two queries in all. The
    deputies are a plain list, `deputyship_list` (channel_owners reads it: no queryset to build
    per channel)."""
    return channels.select_related(f"{prefix}platform", f"{prefix}responsible").prefetch_related(
        Prefetch(
            f"{prefix}deputyships",
            queryset=Deputyship.objects.select_related("user")
            .only("channel", *(f"user__{name}" for name in PERSON_FIELDS))
            .order_by("pk"),
            to_attr="deputyship_list",
        )
    )


def user_reachable(user) -> bool:
    """A person we can still write to: an active account with an address."""
    return user is not None and user.is_active and bool(user.email)


def channel_owners(channel: Channel) -> list:
    """The responsible person and the deputies who still work here (from the prefetch)."""
    people: list = [channel.responsible] if channel.responsible_id else []
    deputyships = getattr(channel, "deputyship_list", None)
    if deputyships is None:  # not selected with with_people
        deputyships = channel.deputyships.all()
    people += [d.user for d in deputyships]
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


def channel_links() -> Callable[[Channel], str]:
    """channel_link for many channels, resolving the URL pattern once."""
    sample = 987654321
    head, tail = channel_link(Channel(pk=sample)).split(str(sample))
    return lambda channel: f"{head}{channel.pk}{tail}"
