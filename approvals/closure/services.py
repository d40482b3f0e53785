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


def closure_start_check(*, channel: Channel, user) -> None:
    """Raise what closure_start refuses whatever the reason given: the wrong person
    (PermissionDenied), a channel already being closed, not running, or in a handover
    (IllegalTransition). closure_start asks it under the channel's lock; the start page asks it
    before it offers the form, so the rule is written once."""
    if not user_may_start_closure(user, channel):
        raise PermissionDenied(
            _("Only the responsible person, a deputy or Komm can close a channel.")
        )
    if Closure.objects.filter(channel=channel, state=Closure.State.IN_PROGRESS).exists():
        raise IllegalTransition(_("The channel is already being closed."))
    if channel.state not in Channel.RUNNING_STATES:
        raise IllegalTransition(
            _("Only an approved or active channel can be closed; this one is “%(state)s”.")
            % {"state": Channel.State(channel.state).label}
        )
    if Handover.objects.filter(channel=channel, state__in=Handover.OPEN_STATES).exists():
        raise IllegalTransition(
            _("A handover of the channel is under way. Finish or cancel it before closing.")
        )


@transaction.atomic
def closure_start(*, channel: Channel, started_by, reason: str) -> Closure:
    """Start closing a running channel. It is "being closed" until Komm confirms."""
    # Lock the channel first: two people pressing "close" at once start one closure.
    locked = Channel.objects.select_for_update().get(pk=channel.pk)
    closure_start_check(channel=locked, user=started_by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the channel is closed.")})
    closure = Closure.objects.create(
        channel=channel, reason=reason, state_before=locked.state, started_by=started_by
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


def _closure_record_errors(
    closure: Closure,
    *,
    before: set[str],
    after: set[str],
    archive_location: str,
    account_outcome: str,
) -> dict[str, str]:
    """What the ticked steps lack: the archive's place, the account's outcome; and details
    changed after their step was ticked (they are fixed then)."""
    errors: dict[str, str] = {}
    if "final_archive_taken_at" in before and archive_location != closure.archive_location:
        errors["archive_location"] = _("The final archive is already recorded.")
    elif "final_archive_taken_at" in after and not archive_location:
        errors["archive_location"] = _("Say where the final archive is kept.")
    if "account_done_at" in before and account_outcome != closure.account_outcome:
        errors["account_outcome"] = _("What happened to the account is already recorded.")
    elif "account_done_at" in after and not account_outcome:
        errors["account_outcome"] = _("Say whether the account was closed or handed to Komm.")
    return errors


def _closure_record_audit(closure: Closure, *, user, ticked: set[str]) -> None:
    """One audit entry per newly ticked step, in checklist order, so the trail reads like the
    list; the archive's place and the account's outcome go with their steps."""
    for name, _label in Closure.STEPS:
        if name not in ticked:
            continue
        changes = {}
        if name == "final_archive_taken_at":
            changes = {"archive_location": ["", closure.archive_location]}
        elif name == "account_done_at":
            changes = {"account_outcome": ["", closure.account_outcome]}
        audit_record(
            channel=closure.channel,
            action=Event.CLOSURE_STEP,
            actor=user,
            changes=changes,
            params={"step": name},
        )


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
    if not user_may_work_on_closure(user, closure):
        raise PermissionDenied(
            _("Only the responsible person and the deputies work through the closure.")
        )
    closure = _lock_closure_in_progress(closure)
    step_names = {name for name, _label in Closure.STEPS}
    unknown = set(steps_done) - step_names
    if unknown:
        raise ValidationError(_("Unknown step: %(steps)s.") % {"steps": ", ".join(sorted(unknown))})
    archive_location = archive_location.strip()
    if account_outcome and account_outcome not in Closure.AccountOutcome.values:
        raise ValidationError({"account_outcome": _("Choose what happened to the account.")})
    before = _closure_steps_done(closure)
    after = before | set(steps_done)
    errors = _closure_record_errors(
        closure,
        before=before,
        after=after,
        archive_location=archive_location,
        account_outcome=account_outcome,
    )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    closure.archive_location = archive_location
    closure.account_outcome = account_outcome
    for name in after - before:
        setattr(closure, name, now)
    closure.save(update_fields=["archive_location", "account_outcome", *sorted(after - before)])
    _closure_record_audit(closure, user=user, ticked=after - before)
    if after != before and after == step_names:
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
    if not user_may_start_closure(user, closure.channel):
        raise PermissionDenied(
            _("Only the responsible person, a deputy or Komm can call off a closure.")
        )
    closure = _lock_closure_in_progress(closure)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the closure is called off.")})
    closure_transition(closure=closure, to=Closure.State.CANCELLED)
    channel_transition(
        channel=closure.channel,
        to=closure.state_before,
        action=Event.CLOSURE_CANCELLED,
        actor=user,
        reason=reason,
    )
    return closure
