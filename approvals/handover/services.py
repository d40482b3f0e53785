"""Handing a channel to a new responsible person."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import emails
from approvals.audit import Event
from approvals.handover.selectors import (
    user_may_cancel_handover,
    user_may_start_handover,
    user_may_tick_handover_step,
)
from approvals.handover.transitions import (
    handover_lock,
    handover_require_state,
    handover_transition,
)
from approvals.models import Handover, PrefectSignoff
from approvals.signoff.services import signoff_request
from channels.models import Channel, Deputyship
from channels.services import (
    audit_record,
    channel_sync_permissions,
    staff_email_allowed,
)
from core.models import User
from core.people import person_is_pending
from core.states import IllegalTransition

# --- Handovers -------------------------------------------------------------------------------
# The head of department appoints the responsible person, so a new one is signed off through
# the same e-mailed link as a registration (a PrefectSignoff with `handover` set). Then the new
# person accepts and works through the checklist; when every step is ticked the channel, its
# object permissions and its audit trail move to them. The channel's own state never changes.
# The portal records that a step was done, never a password or a recovery code.


def _check_new_staff(user, field: str) -> None:
    if user is None or not user.is_active or not staff_email_allowed(user.email or ""):
        raise ValidationError(
            {field: _("Name an active member of staff with a university e-mail address.")}
        )


def _check_who_starts(user, channel: Channel) -> None:
    if not user_may_start_handover(user, channel):
        raise PermissionDenied(
            _("Only the responsible person, a deputy or Komm can start a handover.")
        )


def _lock_running_channel(channel: Channel) -> Channel:
    """Lock the channel (two people starting a handover at once start one) and refuse unless it
    runs: only a registered channel has a responsibility to hand over."""
    locked = Channel.objects.select_for_update().get(pk=channel.pk)
    if locked.state not in Channel.RUNNING_STATES:
        raise IllegalTransition(_("Only an approved or active channel can be handed over."))
    return locked


def _check_no_open_handover(channel: Channel) -> None:
    open_handover = (
        Handover.objects.filter(channel=channel, state__in=Handover.OPEN_STATES)
        .select_related("new_responsible")
        .first()
    )
    if open_handover is not None:
        raise ValidationError(
            _(
                "A handover of this channel to %(name)s is already open (“%(state)s”, started "
                "%(date)s). Finish or cancel it before starting another."
            )
            % {
                "name": open_handover.new_responsible.display_name,
                "state": open_handover.get_state_display(),
                "date": timezone.localtime(open_handover.started_at).strftime("%Y-%m-%d"),
            }
        )


def _check_new_responsible(channel: Channel, new_responsible, phone: str) -> str:
    """Refuse anyone but active staff other than today's responsible person; the phone, cleaned."""
    _check_new_staff(new_responsible, "new_responsible")
    if new_responsible.pk == channel.responsible_id:
        raise ValidationError(
            {"new_responsible": _("The new responsible person must be someone else.")}
        )
    phone = (phone or "").strip()
    if not phone:
        raise ValidationError(
            {"new_responsible_phone": _("Give the phone of the new responsible person.")}
        )
    return phone


def _check_new_deputies(channel: Channel, new_responsible, new_deputies) -> list:
    """Active staff, each once, not the new responsible person; and the channel keeps a deputy."""
    new_deputies = list(new_deputies or [])
    for deputy in new_deputies:
        _check_new_staff(deputy, "new_deputies")
    if len({d.pk for d in new_deputies}) != len(new_deputies):
        raise ValidationError({"new_deputies": _("Each deputy can be named only once.")})
    if any(d.pk == new_responsible.pk for d in new_deputies):
        raise ValidationError(
            {"new_deputies": _("The responsible person cannot also be a deputy.")}
        )
    if not new_deputies and not channel.deputyships.exclude(user=new_responsible).exists():
        raise ValidationError(
            {
                "new_deputies": _(
                    "The channel would have no deputy once %(name)s is responsible. Name at "
                    "least one new deputy."
                )
                % {"name": new_responsible.display_name}
            }
        )
    return new_deputies


def _check_reason(reason: str, reason_text: str) -> str:
    """A reason from the list, in words when it is "other"; the words, cleaned."""
    if reason not in Handover.Reason.values:
        raise ValidationError({"reason": _("Choose the reason for the handover.")})
    reason_text = (reason_text or "").strip()
    if reason == Handover.Reason.OTHER and not reason_text:
        raise ValidationError({"reason_text": _("Say what the reason is.")})
    return reason_text


def _check_prefect_named(channel: Channel) -> None:
    if not (channel.prefect_name and channel.prefect_email):
        raise ValidationError(
            _("The channel names no head of department to sign the new appointment off.")
        )


@transaction.atomic
def handover_start(
    *,
    channel: Channel,
    started_by,
    new_responsible,
    new_responsible_phone: str,
    new_deputies,
    reason: str,
    reason_text: str = "",
) -> Handover:
    """Start handing a running channel to a new responsible person (and, if named, new deputies).

    Checks who asks first, then the channel's state, then the input. The head of department is
    e-mailed a link to sign the new appointment off.
    """
    _check_who_starts(started_by, channel)
    locked = _lock_running_channel(channel)
    _check_no_open_handover(channel)
    phone = _check_new_responsible(locked, new_responsible, new_responsible_phone)
    new_deputies = _check_new_deputies(channel, new_responsible, new_deputies)
    reason_text = _check_reason(reason, reason_text)
    _check_prefect_named(channel)
    handover = Handover.objects.create(
        channel=channel,
        # A running channel has one (the constraint channel_submitted_has_responsible).
        previous_responsible=cast(User, locked.responsible),
        new_responsible=new_responsible,
        new_responsible_phone=phone,
        reason=reason,
        reason_text=reason_text,
        started_by=started_by,
    )
    handover.new_deputies.set(new_deputies)
    _tell_pending_people(handover, new_deputies)
    audit_record(
        channel=handover.channel,
        action=Event.HANDOVER_STARTED,
        actor=started_by,
        params={
            "name": new_responsible.display_name,
            "email": new_responsible.email,
            "reason": reason,
            "reason_text": reason_text,
        },
    )
    signoff_request(channel=channel, requested_by=started_by, handover=handover)
    return handover


def _tell_pending_people(handover: Handover, new_deputies: list) -> None:
    """People named by an address before they ever signed in are told (core.people)."""
    named = [(handover.new_responsible, "handover")] + [(d, "deputy") for d in new_deputies]
    for person, role in named:
        if person_is_pending(person):
            emails.person_named(
                person=person, named_by=handover.started_by, channel=handover.channel, role=role
            )


@transaction.atomic
def handover_accept(*, handover: Handover, user) -> Handover:
    """The new responsible person takes the handover on; the checklist opens."""
    if user.pk != handover.new_responsible_id:
        raise PermissionDenied(_("Only the new responsible person can accept the handover."))
    return handover_transition(
        handover=handover,
        to=Handover.State.IN_PROGRESS,
        action=Event.HANDOVER_ACCEPTED,
        actor=user,
        timestamp_field="accepted_at",
    )


@transaction.atomic
def handover_tick_step(*, handover: Handover, user, step: str) -> Handover:
    """Record that a step of the checklist is done; the last one completes the handover.

    Ticking a step that is already done changes nothing (a double click is not a second step).
    """
    labels = dict(Handover.STEPS)
    if step not in labels:
        raise ValidationError({"step": _("Choose a step of the checklist.")})
    handover = handover_lock(handover, Handover.State.IN_PROGRESS)
    if not user_may_tick_handover_step(user, handover):
        raise PermissionDenied(
            _("Only the new and the previous responsible person and the deputies do the steps.")
        )
    if getattr(handover, step) is not None:
        return handover
    setattr(handover, step, timezone.now())
    handover.save(update_fields=[step])
    audit_record(
        channel=handover.channel,
        action=Event.HANDOVER_STEP,
        actor=user,
        params={"step": step},
    )
    if all(getattr(handover, name) for name, _label in Handover.STEPS):
        return handover_complete(handover=handover, completed_by=user)
    return handover


def _deputies_summary(channel: Channel) -> str:
    return ", ".join(sorted(d.user.email for d in channel.deputyships.select_related("user")))


def _person(user) -> str:
    return f"{user.display_name} <{user.email}>" if user else ""


def _hand_deputies_over(channel: Channel, handover: Handover) -> list[str] | None:
    """The new deputies replace the old ones, if any were named (keeping a phone the channel
    already had for them); the new responsible person is never also a deputy. Returns the
    deputies before and after, for the audit trail, or None when they did not change."""
    before = _deputies_summary(channel)
    phones = dict(channel.deputyships.values_list("user_id", "phone"))
    new_deputies = list(handover.new_deputies.all())
    if new_deputies:
        channel.deputyships.all().delete()
        Deputyship.objects.bulk_create(
            [Deputyship(channel=channel, user=u, phone=phones.get(u.pk, "")) for u in new_deputies]
        )
    else:
        channel.deputyships.filter(user=handover.new_responsible).delete()
    after = _deputies_summary(channel)
    return [before, after] if after != before else None


def _hand_responsibility_over(channel: Channel, handover: Handover) -> None:
    """The new person becomes responsible, and the object permissions follow."""
    channel.responsible = handover.new_responsible
    channel.responsible_phone = handover.new_responsible_phone
    # The flag is lifted only when nobody who has left is still responsible or a deputy.
    if (
        channel.needs_handover_since
        and not channel.deputyships.filter(user__is_active=False).exists()
    ):
        channel.needs_handover_since = None
    channel.save(
        update_fields=["responsible", "responsible_phone", "needs_handover_since", "updated_at"]
    )
    channel_sync_permissions(channel=channel)


@transaction.atomic
def handover_complete(*, handover: Handover, completed_by=None) -> Handover:
    """Internal (the last ticked step calls it): the channel, its deputies and its object
    permissions move to the new people, and everyone involved and Komm are told."""
    handover = handover_lock(handover, Handover.State.IN_PROGRESS)
    channel = Channel.objects.select_for_update().get(pk=handover.channel_id)
    previous, new = handover.previous_responsible, handover.new_responsible
    changes = {"responsible": [_person(channel.responsible), _person(new)]}
    deputies = _hand_deputies_over(channel, handover)
    if deputies:
        changes["deputies"] = deputies
    _hand_responsibility_over(channel, handover)
    handover_transition(
        handover=handover,
        to=Handover.State.COMPLETED,
        action=Event.HANDOVER_COMPLETED,
        actor=completed_by,
        changes=changes,
        timestamp_field="completed_at",
    )
    emails.handover_completed(
        handover=handover, people=[user for user in (previous, new) if user.is_active]
    )
    return handover


@transaction.atomic
def handover_cancel(*, handover: Handover, user, reason: str) -> Handover:
    """Call a handover off. A pending link to the head of department stops working.

    Checks who asks before the reason and the state, so that nobody else learns either."""
    handover = handover_lock(handover)
    if not user_may_cancel_handover(user, handover):
        raise PermissionDenied(
            _("Only who started the handover, the responsible person or Komm can cancel it.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the handover is cancelled.")})
    handover_require_state(handover, *Handover.OPEN_STATES)
    handover.signoffs.filter(decision=PrefectSignoff.Decision.PENDING).update(
        decision=PrefectSignoff.Decision.REPLACED, decided_at=timezone.now()
    )
    return handover_transition(
        handover=handover,
        to=Handover.State.CANCELLED,
        action=Event.HANDOVER_CANCELLED,
        actor=user,
        reason=reason,
    )


@transaction.atomic
def handover_resend_signoff(*, handover: Handover, requested_by) -> PrefectSignoff:
    """Send the head of department a new link for the handover; the earlier one stops working."""
    if not user_may_start_handover(requested_by, handover.channel):
        raise PermissionDenied(
            _("Only the responsible person, a deputy or Komm can send a new link.")
        )
    handover = handover_lock(handover, Handover.State.AWAITING_PREFECT)
    return signoff_request(channel=handover.channel, requested_by=requested_by, handover=handover)
