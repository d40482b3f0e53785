"""Closing a channel: the owner's checklist, then Komm's confirmation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import emails
from approvals.audit import Event
from approvals.closure.selectors import user_may_start_closure, user_may_work_on_closure
from approvals.models import Closure, Handover
from channels.models import Channel
from channels.selectors import channel_people, user_is_komm
from channels.services import (
    audit_record,
    channel_transition,
)
from core.states import IllegalTransition, transition

# --- Closure ---------------------------------------------------------------------------------
# The owner, a deputy or Komm starts it; the owner or a deputy works through the checklist;
# Komm confirms. A closed channel stays in the registry, with its history and its people's
# (read-only) access, and is no longer running, so no reminder selects it.


def _closure_steps_done(closure: Closure) -> set[str]:
    return {name for name, _label in Closure.STEPS if getattr(closure, name)}


def _lock_closure_in_progress(closure: Closure) -> Closure:
    locked = Closure.objects.select_for_update().select_related("channel").get(pk=closure.pk)
    if locked.state != Closure.State.IN_PROGRESS:
        raise IllegalTransition(
            _("The closure is “%(state)s”; nothing more can be done with it.")
            % {"state": locked.get_state_display()}
        )
    return locked


def closure_transition(*, closure: Closure, to: str, fields: dict | None = None) -> Closure:
    """Move a closure to another state, or raise IllegalTransition (core.states' pattern). The
    channel's own transition, which goes with it, writes the audit entry."""
    transition(
        closure,
        to=to,
        fields=fields,
        refused=_("The closure is “%(state)s”; nothing more can be done with it."),
    )
    return closure


@transaction.atomic
def closure_start(*, channel: Channel, started_by, reason: str) -> Closure:
    """Start closing a running channel. It is "being closed" until Komm confirms."""
    if not user_may_start_closure(started_by, channel):
        raise PermissionDenied(
            _("Only the responsible person, a deputy or Komm can close a channel.")
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the channel is closed.")})
    # Lock the channel first: two people pressing "close" at once start one closure.
    state_before = Channel.objects.select_for_update().get(pk=channel.pk).state
    if state_before not in Channel.RUNNING_STATES:
        raise IllegalTransition(
            _("Only an approved or active channel can be closed; this one is “%(state)s”.")
            % {"state": Channel.State(state_before).label}
        )
    if Closure.objects.filter(channel=channel, state=Closure.State.IN_PROGRESS).exists():
        raise IllegalTransition(_("The channel is already being closed."))
    if Handover.objects.filter(channel=channel, state__in=Handover.OPEN_STATES).exists():
        raise IllegalTransition(
            _("A handover of the channel is under way. Finish or cancel it before closing.")
        )
    closure = Closure.objects.create(
        channel=channel, reason=reason, state_before=state_before, started_by=started_by
    )
    channel_transition(
        channel=channel,
        to=Channel.State.CLOSING,
        action=Event.CLOSURE_STARTED,
        actor=started_by,
        reason=reason,
    )
    # When Komm starts it, the channel's people must learn that they have a checklist to do.
    others = [user for user in channel_people(channel) if user.pk != started_by.pk]
    emails.closure_started(closure=closure, people=others)
    return closure


@transaction.atomic
def closure_record(
    *,
    closure: Closure,
    user,
    archive_location: str,
    account_outcome: str,
    steps_done: set[str],
) -> Closure:
    """Tick steps of the closure's checklist (a ticked step stays ticked).

    The final archive needs the place where it is kept; the account step needs what happened to
    the account. A step's details are fixed once it is ticked. Komm hears once, when the last
    step is ticked, that the closure is ready to confirm.
    """
    closure = _lock_closure_in_progress(closure)
    channel = closure.channel
    if not user_may_work_on_closure(user, closure):
        raise PermissionDenied(
            _("Only the responsible person and the deputies work through the closure.")
        )
    step_names = [name for name, _label in Closure.STEPS]
    unknown = set(steps_done) - set(step_names)
    if unknown:
        raise ValidationError(_("Unknown step: %(steps)s.") % {"steps": ", ".join(sorted(unknown))})
    archive_location = archive_location.strip()
    if account_outcome and account_outcome not in Closure.AccountOutcome.values:
        raise ValidationError({"account_outcome": _("Choose what happened to the account.")})
    before = _closure_steps_done(closure)
    after = before | set(steps_done)
    errors: dict[str, str] = {}
    if "final_archive_taken_at" in before and archive_location != closure.archive_location:
        errors["archive_location"] = _("The final archive is already recorded.")
    elif "final_archive_taken_at" in after and not archive_location:
        errors["archive_location"] = _("Say where the final archive is kept.")
    if "account_done_at" in before and account_outcome != closure.account_outcome:
        errors["account_outcome"] = _("What happened to the account is already recorded.")
    elif "account_done_at" in after and not account_outcome:
        errors["account_outcome"] = _("Say whether the account was closed or handed to Komm.")
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    closure.archive_location = archive_location
    closure.account_outcome = account_outcome
    for name in step_names:
        if name in after - before:
            setattr(closure, name, now)
    closure.save(update_fields=["archive_location", "account_outcome", *sorted(after - before)])
    for name in step_names:  # in checklist order, so the audit trail reads like the list
        if name not in after - before:
            continue
        changes = {}
        if name == "final_archive_taken_at":
            changes = {"archive_location": ["", archive_location]}
        elif name == "account_done_at":
            changes = {"account_outcome": ["", account_outcome]}
        audit_record(
            channel=channel,
            action=Event.CLOSURE_STEP,
            actor=user,
            changes=changes,
            params={"step": name},
        )
    if after != before and after == set(step_names):
        emails.closure_ready(closure=closure)
    return closure


@transaction.atomic
def closure_confirm(*, closure: Closure, confirmed_by) -> Closure:
    """Komm confirms a closure whose checklist is done: the channel is closed."""
    if not user_is_komm(confirmed_by):
        raise PermissionDenied(_("Only Komm confirms that a channel is closed."))
    closure = _lock_closure_in_progress(closure)
    missing = [str(label) for name, label in Closure.STEPS if not getattr(closure, name)]
    if missing:
        raise ValidationError(
            _("The checklist is not done yet. Missing: %(steps)s.") % {"steps": ", ".join(missing)}
        )
    now = timezone.now()
    closure_transition(
        closure=closure,
        to=Closure.State.CONFIRMED,
        fields={"confirmed_by": confirmed_by, "confirmed_at": now},
    )
    channel = closure.channel
    channel_transition(
        channel=channel,
        to=Channel.State.CLOSED,
        action=Event.CLOSURE_CONFIRMED,
        actor=confirmed_by,
        # A closed channel has no evaluations coming.
        fields={"closed_at": now, "next_evaluation_on": None},
    )
    emails.closure_confirmed(closure=closure, people=channel_people(channel))
    return closure


@transaction.atomic
def closure_cancel(*, closure: Closure, user, reason: str) -> Closure:
    """Call off a closure: the channel goes back to the state it was in before."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the closure is called off.")})
    closure = _lock_closure_in_progress(closure)
    channel = closure.channel
    if not user_may_start_closure(user, channel):
        raise PermissionDenied(
            _("Only the responsible person, a deputy or Komm can call off a closure.")
        )
    closure_transition(closure=closure, to=Closure.State.CANCELLED)
    channel_transition(
        channel=channel,
        to=closure.state_before,
        action=Event.CLOSURE_CANCELLED,
        actor=user,
        reason=reason,
    )
    return closure
