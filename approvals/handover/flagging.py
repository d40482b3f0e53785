"""Ownership follows employment (issue 3, handovers).

When a member of staff is deactivated, every running channel where they are responsible or a
deputy is flagged as needing a handover; Komm is told once, and so is each of the channels'
people who still works here. Set-based and idempotent: a
flagged channel is not flagged again, so the daily beat job may run it as often as it likes.
Kept apart from the handover's services: it starts no handover, it only says one is needed.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import emails
from approvals.audit import Event
from channels.models import AuditEntry, Channel
from core.mail import absolute_url

User = get_user_model()


def _departed_people(channel: Channel) -> list[tuple[str, str]]:
    """Who of the channel's people has left, as (name, "responsible" or "deputy"), for the audit
    trail and Komm's e-mail (each words the role in its reader's language)."""
    people = []
    responsible = channel.responsible
    if responsible is not None and not responsible.is_active:
        people.append((responsible.display_name, "responsible"))
    for deputyship in channel.deputyships.all():
        if not deputyship.user.is_active:
            people.append((deputyship.user.display_name, "deputy"))
    return people


def _remaining_people(channel: Channel) -> list:
    """Who of the channel's people still works here: they are told their channel is flagged."""
    people = [channel.responsible] if channel.responsible else []
    people += [d.user for d in channel.deputyships.all() if d.user_id != channel.responsible_id]
    return [person for person in people if person.is_active]


def channels_with_departed_people() -> QuerySet:
    """The primary keys of running, not yet flagged channels whose responsible person or a
    deputy has left. Driven from the few people who have left, through the indexes on the
    responsible person and the deputies (an OR across the join read every channel's people)."""
    running = Channel.objects.filter(
        state__in=Channel.RUNNING_STATES, needs_handover_since__isnull=True
    ).order_by()
    return (
        running.filter(responsible__is_active=False)
        .values_list("pk", flat=True)
        .union(running.filter(deputyships__user__is_active=False).values_list("pk", flat=True))
    )


def _lock_channels_to_flag() -> list[int]:
    """The channels to flag, locked and re-checked, so that two sweeps at once flag (and tell
    Komm about) each once."""
    candidates = channels_with_departed_people()
    return list(
        Channel.objects.select_for_update()
        .filter(pk__in=list(candidates), needs_handover_since__isnull=True)
        .values_list("pk", flat=True)
    )


def _flag_entry(channel: Channel, people: list[tuple[str, str]], actor) -> AuditEntry:
    return AuditEntry(
        channel=channel,
        action=Event.FLAGGED_FOR_HANDOVER,
        actor=actor,
        actor_name=actor.display_name if actor else "umusocial",
        params={"people": people},
    )


@transaction.atomic
def channels_flag_departed_staff(*, actor=None) -> list[Channel]:
    """Flag running channels whose responsible person or a deputy is no longer active.

    A bounded number of reads however many channels: select, lock, update, one bulk insert of
    audit rows, one read of what the e-mails list; then one e-mail to Komm (none if nothing
    new) and one to each remaining responsible person or deputy of a flagged channel.
    """
    ids = _lock_channels_to_flag()
    if not ids:
        return []
    Channel.objects.filter(pk__in=ids).update(needs_handover_since=timezone.now())
    channels = list(
        Channel.objects.filter(pk__in=ids)
        .select_related("platform", "responsible")
        .prefetch_related("deputyships__user")
        .order_by("name", "pk")
    )
    rows = []
    entries = []
    for channel in channels:
        people = _departed_people(channel)
        link = absolute_url(channel.get_absolute_url())
        rows.append(
            {
                "channel": channel,
                "people": people,
                "link": link,
                "remaining": _remaining_people(channel),
            }
        )
        entries.append(_flag_entry(channel, people, actor))
    AuditEntry.objects.bulk_create(entries)
    emails.channels_flagged(rows=rows)
    emails.channels_flagged_to_people(rows=rows)
    return channels


@transaction.atomic
def staff_deactivate(*, user, by) -> list[Channel]:
    """Deactivate a member of staff and flag the channels they leave behind."""
    return staff_deactivate_many(users=[user], by=by)


@transaction.atomic
def staff_deactivate_many(*, users, by) -> list[Channel]:
    """Deactivate several members of staff at once; Komm gets one e-mail listing every channel."""
    pks = [user.pk for user in users]
    if by is not None and by.pk in pks:
        raise ValidationError(_("You cannot deactivate your own account."))
    User.objects.filter(pk__in=pks).update(is_active=False)
    return channels_flag_departed_staff(actor=by)
