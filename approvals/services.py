"""The approval workflow: submission, the head of department's sign-off by e-mailed link, and
Komm's review. Depends on `channels`; `channels` never imports this module."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import Closure, Handover, KommReview, PrefectSignoff
from approvals.selectors import user_may_start_closure, user_may_work_on_closure
from channels.models import AuditEntry, Channel
from channels.selectors import user_is_komm
from channels.services import (
    IllegalTransition,
    audit_record,
    channel_missing_fields,
    channel_transition,
)
from umusocial.mail import BOTH_LANGUAGES, absolute_url, queue_email, queue_email_to_user

SIGNOFF_SALT = "approvals.prefect-signoff"


# --- The e-mailed link ------------------------------------------------------------------------


class SignoffLinkError(Exception):
    """Why a sign-off link does not work. `reason` is one of the class constants."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    REPLACED = "replaced"

    def __init__(self, reason: str, signoff: PrefectSignoff | None = None):
        super().__init__(reason)
        self.reason = reason
        self.signoff = signoff


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link_max_age() -> timedelta:
    return timedelta(days=settings.SIGNOFF_LINK_DAYS)


def signoff_link_value(*, signoff: PrefectSignoff, token: str) -> str:
    """The signed value carried in the link: the sign-off's id and its random token."""
    return signing.TimestampSigner(salt=SIGNOFF_SALT).sign(f"{signoff.pk}.{token}")


def signoff_from_link(value: str) -> PrefectSignoff:
    """The pending sign-off a link is for, or SignoffLinkError saying why the link is dead."""
    signer = signing.TimestampSigner(salt=SIGNOFF_SALT)
    try:
        unsigned = signer.unsign(value, max_age=_link_max_age())
    except signing.SignatureExpired:
        raise SignoffLinkError(SignoffLinkError.EXPIRED) from None
    except signing.BadSignature:
        raise SignoffLinkError(SignoffLinkError.INVALID) from None
    pk, _sep, token = unsigned.partition(".")
    signoff = (
        PrefectSignoff.objects.select_related("channel", "channel__platform", "responsible")
        .filter(pk=pk if pk.isdigit() else None)
        .first()
    )
    if signoff is None or not hmac.compare_digest(signoff.token_hash, _hash_token(token)):
        raise SignoffLinkError(SignoffLinkError.INVALID)
    if signoff.decision == PrefectSignoff.Decision.REPLACED:
        raise SignoffLinkError(SignoffLinkError.REPLACED, signoff)
    if signoff.decision != PrefectSignoff.Decision.PENDING:
        raise SignoffLinkError(SignoffLinkError.USED, signoff)
    if timezone.now() >= signoff.expires_at:
        raise SignoffLinkError(SignoffLinkError.EXPIRED, signoff)
    return signoff


# --- Submission and sign-off -----------------------------------------------------------------


def _prefect_approval_stands(channel: Channel) -> bool:
    """After Komm asks for changes, the prefect's approval stands while the person they
    appointed and the prefect named are unchanged; then the channel goes straight back to Komm."""
    last = channel.signoffs.exclude(decision=PrefectSignoff.Decision.REPLACED).first()
    return bool(
        last
        and last.decision == PrefectSignoff.Decision.APPROVED
        and last.responsible_id == channel.responsible_id
        and last.prefect_email.lower() == channel.prefect_email.lower()
    )


@transaction.atomic
def channel_submit(*, channel: Channel, submitted_by) -> Channel:
    """Send a complete registration on: to the head of department, or back to Komm."""
    missing = channel_missing_fields(channel)
    if missing:
        names = ", ".join(name for names in missing.values() for name in names)
        raise ValidationError(
            _("Fill in everything before you submit. Missing: %(names)s.") % {"names": names}
        )
    resubmitting_to_komm = (
        channel.state == Channel.State.CHANGES_REQUESTED and _prefect_approval_stands(channel)
    )
    target = Channel.State.AWAITING_KOMM if resubmitting_to_komm else Channel.State.AWAITING_PREFECT
    channel.submitted_at = timezone.now()
    channel_transition(
        channel=channel, to=target, action=AuditEntry.Action.SUBMITTED, actor=submitted_by
    )
    if resubmitting_to_komm:
        _notify_komm_of_queue(channel=channel)
    else:
        signoff_request(channel=channel, requested_by=submitted_by)
    return channel


@transaction.atomic
def signoff_request(
    *, channel: Channel, requested_by, handover: Handover | None = None
) -> PrefectSignoff:
    """E-mail the head of department a new sign-off link; any earlier link stops working.

    With `handover`, the link asks them to appoint the handover's new responsible person.
    """
    if handover is not None:
        if handover.state != Handover.State.AWAITING_PREFECT:
            raise IllegalTransition(
                _(
                    "A sign-off link can only be sent while the handover awaits the head of "
                    "department."
                )
            )
    elif channel.state != Channel.State.AWAITING_PREFECT:
        raise IllegalTransition(
            _("A sign-off link can only be sent while the channel awaits the head of department.")
        )
    channel.signoffs.filter(decision=PrefectSignoff.Decision.PENDING).update(
        decision=PrefectSignoff.Decision.REPLACED, decided_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    signoff = PrefectSignoff.objects.create(
        channel=channel,
        handover=handover,
        prefect_name=channel.prefect_name,
        prefect_title=channel.prefect_title,
        prefect_email=channel.prefect_email,
        responsible=handover.new_responsible if handover else channel.responsible,
        token_hash=_hash_token(token),
        requested_by=requested_by,
        expires_at=timezone.now() + _link_max_age(),
    )
    link = absolute_url(
        reverse("approvals:signoff", args=[signoff_link_value(signoff=signoff, token=token)])
    )
    queue_email(
        template="handover-signoff-request" if handover else "signoff-request",
        to=[signoff.prefect_email],
        context={"channel": channel, "signoff": signoff, "link": link, "handover": handover},
        languages=BOTH_LANGUAGES,  # the prefect has no account, so no known language: send both
    )
    AuditEntry.objects.create(
        channel=channel,
        action=AuditEntry.Action.SIGNOFF_REQUESTED,
        actor=requested_by,
        actor_name=requested_by.get_full_name() or requested_by.get_username(),
        reason=_("Sent to %(name)s <%(email)s>")
        % {"name": signoff.prefect_name, "email": signoff.prefect_email},
    )
    return signoff


def _lock_pending(signoff: PrefectSignoff) -> PrefectSignoff:
    locked = PrefectSignoff.objects.select_for_update().get(pk=signoff.pk)
    if locked.decision != PrefectSignoff.Decision.PENDING:
        raise SignoffLinkError(
            SignoffLinkError.REPLACED
            if locked.decision == PrefectSignoff.Decision.REPLACED
            else SignoffLinkError.USED,
            locked,
        )
    return locked


@transaction.atomic
def signoff_approve(*, signoff: PrefectSignoff) -> PrefectSignoff:
    """The head of department approves and appoints the named responsible person."""
    signoff = _lock_pending(signoff)
    now = timezone.now()
    signoff.decision = PrefectSignoff.Decision.APPROVED
    signoff.decided_at = now
    signoff.save()
    if signoff.handover_id:  # a new responsible person for a running channel: see Handovers
        _handover_signoff_approved(signoff)
        return signoff
    channel = signoff.channel
    channel.prefect_approved_on = timezone.localdate(now)
    channel_transition(
        channel=channel,
        to=Channel.State.AWAITING_KOMM,
        action=AuditEntry.Action.PREFECT_APPROVED,
        actor_name=signoff.prefect_name,
    )
    _notify_komm_of_queue(channel=channel)
    for user in _owners(channel):
        queue_email_to_user(
            template="signoff-approved", user=user, context={"channel": channel, "signoff": signoff}
        )
    return signoff


@transaction.atomic
def signoff_decline(*, signoff: PrefectSignoff, reason: str) -> PrefectSignoff:
    """The head of department declines; the owner is told why and may edit and resubmit."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decline, so the applicant can act on it.")})
    signoff = _lock_pending(signoff)
    signoff.decision = PrefectSignoff.Decision.DECLINED
    signoff.reason = reason
    signoff.decided_at = timezone.now()
    signoff.save()
    if signoff.handover_id:  # a new responsible person for a running channel: see Handovers
        _handover_signoff_declined(signoff)
        return signoff
    channel = signoff.channel
    channel_transition(
        channel=channel,
        to=Channel.State.PREFECT_DECLINED,
        action=AuditEntry.Action.PREFECT_DECLINED,
        actor_name=signoff.prefect_name,
        reason=reason,
    )
    for user in _owners(channel):
        queue_email_to_user(
            template="signoff-declined", user=user, context={"channel": channel, "signoff": signoff}
        )
    return signoff


# --- Komm's review ---------------------------------------------------------------------------

_REVIEW_OUTCOMES = {
    KommReview.Decision.APPROVED: (Channel.State.APPROVED, AuditEntry.Action.KOMM_APPROVED),
    KommReview.Decision.CHANGES_REQUESTED: (
        Channel.State.CHANGES_REQUESTED,
        AuditEntry.Action.CHANGES_REQUESTED,
    ),
    KommReview.Decision.REJECTED: (Channel.State.REJECTED, AuditEntry.Action.KOMM_REJECTED),
}


@transaction.atomic
def review_decide(
    *, channel: Channel, reviewer, decision: str, comment: str = "", case_number: str = ""
) -> KommReview:
    """Komm approves, asks for changes (comment required) or rejects (reason required)."""
    comment = comment.strip()
    case_number = case_number.strip()
    if decision not in _REVIEW_OUTCOMES:
        raise ValidationError({"decision": _("Choose a decision.")})
    if decision != KommReview.Decision.APPROVED and not comment:
        raise ValidationError(
            {"comment": _("Write what the owner needs to change, or why the channel is rejected.")}
        )
    to_state, action = _REVIEW_OUTCOMES[decision]
    if decision == KommReview.Decision.APPROVED:
        channel.approved_at = timezone.now()
    if case_number:
        channel.case_number = case_number
    channel_transition(channel=channel, to=to_state, action=action, actor=reviewer, reason=comment)
    review = KommReview.objects.create(
        channel=channel,
        decision=decision,
        reviewer=reviewer,
        comment=comment,
        case_number=case_number,
    )
    for user in _owners(channel):
        queue_email_to_user(
            template=f"review-{decision.replace('_', '-')}",
            user=user,
            context={"channel": channel, "review": review},
        )
    return review


# --- Helpers ---------------------------------------------------------------------------------


def _owners(channel: Channel) -> list:
    """Who hears about decisions: the responsible person and the deputies."""
    people = [channel.responsible] if channel.responsible_id else []
    people += [d for d in channel.deputies.all() if d.pk != channel.responsible_id]
    return people


def _notify_komm_of_queue(*, channel: Channel) -> None:
    queue_email(
        template="komm-new-in-queue",
        to=[settings.KOMM_EMAIL],
        context={
            "channel": channel,
            "link": absolute_url(reverse("approvals:review", args=[channel.pk])),
        },
    )


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
        action=AuditEntry.Action.CLOSURE_STARTED,
        actor=started_by,
        reason=reason,
    )
    # When Komm starts it, the channel's people must learn that they have a checklist to do.
    for user in _owners(channel):
        if user.pk != started_by.pk:
            queue_email_to_user(
                template="closure-started",
                user=user,
                context={
                    "channel": channel,
                    "closure": closure,
                    "link": absolute_url(reverse("approvals:closure", args=[closure.pk])),
                },
            )
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
    labels = dict(Closure.STEPS)
    closure.archive_location = archive_location
    closure.account_outcome = account_outcome
    for name in step_names:
        if name in after - before:
            setattr(closure, name, now)
    closure.save()
    for name in step_names:  # in checklist order, so the audit trail reads like the list
        if name not in after - before:
            continue
        changes = {}
        if name == "final_archive_taken_at":
            changes = {
                str(Closure._meta.get_field("archive_location").verbose_name): [
                    "",
                    archive_location,
                ]
            }
        elif name == "account_done_at":
            changes = {
                str(Closure._meta.get_field("account_outcome").verbose_name): [
                    "",
                    str(closure.get_account_outcome_display()),
                ]
            }
        audit_record(
            channel=channel,
            action=AuditEntry.Action.CLOSURE_STEP,
            actor=user,
            changes=changes,
            reason=str(labels[name]),
        )
    if after != before and after == set(step_names):
        queue_email(
            template="closure-ready",
            to=[settings.KOMM_EMAIL],
            context={
                "channel": channel,
                "closure": closure,
                "link": absolute_url(reverse("approvals:closure", args=[closure.pk])),
            },
        )
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
    closure.state = Closure.State.CONFIRMED
    closure.confirmed_by = confirmed_by
    closure.confirmed_at = now
    closure.save()
    channel = closure.channel
    channel.closed_at = now
    channel.next_evaluation_on = None  # a closed channel has no evaluations coming
    channel_transition(
        channel=channel,
        to=Channel.State.CLOSED,
        action=AuditEntry.Action.CLOSURE_CONFIRMED,
        actor=confirmed_by,
    )
    for user in _owners(channel):
        queue_email_to_user(
            template="closure-confirmed",
            user=user,
            context={"channel": channel, "closure": closure},
        )
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
    closure.state = Closure.State.CANCELLED
    closure.save()
    channel_transition(
        channel=channel,
        to=closure.state_before,
        action=AuditEntry.Action.CLOSURE_CANCELLED,
        actor=user,
        reason=reason,
    )
    return closure


# --- Handovers -------------------------------------------------------------------------------
# The head of department appoints the responsible person, so a new one is signed off through
# the same e-mailed link as a registration (a PrefectSignoff with `handover` set). Then the new
# person accepts and works through the checklist; when every step is ticked the channel, its
# object permissions and its audit trail move to them. The channel's own state never changes.
# The portal records that a step was done, never a password or a recovery code.


def _handover_audit(handover: Handover, action: str, **kwargs) -> None:
    audit_record(channel=handover.channel, action=action, **kwargs)


def _lock_handover(handover: Handover, *states: str) -> Handover:
    """Lock the handover's row and refuse unless it is in one of `states`."""
    locked = Handover.objects.select_for_update().select_related("channel").get(pk=handover.pk)
    if locked.state not in states:
        raise IllegalTransition(
            _("The handover is “%(state)s”; this cannot be done now.")
            % {"state": locked.get_state_display()}
        )
    return locked


def _check_new_staff(user, field: str) -> None:
    from channels.services import staff_email_allowed

    if user is None or not user.is_active or not staff_email_allowed(user.email or ""):
        raise ValidationError(
            {field: _("Name an active member of staff with a university e-mail address.")}
        )


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


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

    The head of department is e-mailed a link to sign the new appointment off.
    """
    from approvals.selectors import user_may_start_handover

    if not user_may_start_handover(started_by, channel):
        raise PermissionDenied(
            _("Only the responsible person, a deputy or Komm can start a handover.")
        )
    # Lock the channel: two people starting a handover at once start one.
    locked = Channel.objects.select_for_update().get(pk=channel.pk)
    if locked.state not in Channel.RUNNING_STATES:
        raise IllegalTransition(
            _("Only an approved or active channel can be handed over; this one is “%(state)s”.")
            % {"state": locked.get_state_display()}
        )
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
                "name": _person(open_handover.new_responsible),
                "state": open_handover.get_state_display(),
                "date": timezone.localtime(open_handover.started_at).strftime("%Y-%m-%d"),
            }
        )
    _check_new_staff(new_responsible, "new_responsible")
    if new_responsible.pk == locked.responsible_id:
        raise ValidationError(
            {"new_responsible": _("The new responsible person must be someone else.")}
        )
    new_responsible_phone = (new_responsible_phone or "").strip()
    if not new_responsible_phone:
        raise ValidationError(
            {"new_responsible_phone": _("Give the phone of the new responsible person.")}
        )
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
                % {"name": _person(new_responsible)}
            }
        )
    if reason not in Handover.Reason.values:
        raise ValidationError({"reason": _("Choose the reason for the handover.")})
    reason_text = (reason_text or "").strip()
    if reason == Handover.Reason.OTHER and not reason_text:
        raise ValidationError({"reason_text": _("Say what the reason is.")})
    if not (channel.prefect_name and channel.prefect_email):
        raise ValidationError(
            _("The channel names no head of department to sign the new appointment off.")
        )
    handover = Handover.objects.create(
        channel=channel,
        previous_responsible=locked.responsible,
        new_responsible=new_responsible,
        new_responsible_phone=new_responsible_phone,
        reason=reason,
        reason_text=reason_text,
        started_by=started_by,
    )
    handover.new_deputies.set(new_deputies)
    _handover_audit(
        handover,
        AuditEntry.Action.HANDOVER_STARTED,
        actor=started_by,
        reason=_("To %(name)s <%(email)s>. Reason: %(reason)s")
        % {
            "name": _person(new_responsible),
            "email": new_responsible.email,
            "reason": ": ".join(p for p in (handover.get_reason_display(), reason_text) if p),
        },
    )
    signoff_request(channel=channel, requested_by=started_by, handover=handover)
    return handover


def _handover_signoff_approved(signoff: PrefectSignoff) -> None:
    """Called by signoff_approve: the head of department appointed the new person."""
    handover = _lock_handover(signoff.handover, Handover.State.AWAITING_PREFECT)
    handover.state = Handover.State.AWAITING_ACCEPTANCE
    handover.save(update_fields=["state"])
    _handover_audit(
        handover,
        AuditEntry.Action.HANDOVER_APPROVED,
        actor_name=signoff.prefect_name,
        reason=_("%(name)s appointed as responsible person")
        % {"name": _person(signoff.responsible)},
    )
    queue_email_to_user(
        template="handover-approved",
        user=handover.new_responsible,
        context={
            "channel": handover.channel,
            "handover": handover,
            "signoff": signoff,
            "link": _handover_link(handover),
        },
    )


def _handover_signoff_declined(signoff: PrefectSignoff) -> None:
    """Called by signoff_decline: the starter and the channel's people are told why."""
    handover = _lock_handover(signoff.handover, Handover.State.AWAITING_PREFECT)
    handover.state = Handover.State.DECLINED
    handover.save(update_fields=["state"])
    channel = handover.channel
    _handover_audit(
        handover,
        AuditEntry.Action.HANDOVER_DECLINED,
        actor_name=signoff.prefect_name,
        reason=signoff.reason,
    )
    recipients = {u.pk: u for u in _owners(channel)}
    recipients.setdefault(handover.started_by_id, handover.started_by)
    for user in recipients.values():
        if user.is_active:
            queue_email_to_user(
                template="handover-declined",
                user=user,
                context={
                    "channel": channel,
                    "handover": handover,
                    "signoff": signoff,
                    "link": _handover_link(handover),
                },
            )


def _handover_link(handover: Handover) -> str:
    return absolute_url(reverse("approvals:handover", args=[handover.pk]))


@transaction.atomic
def handover_accept(*, handover: Handover, user) -> Handover:
    """The new responsible person takes the handover on; the checklist opens."""
    if user.pk != handover.new_responsible_id:
        raise PermissionDenied(_("Only the new responsible person can accept the handover."))
    handover = _lock_handover(handover, Handover.State.AWAITING_ACCEPTANCE)
    handover.state = Handover.State.IN_PROGRESS
    handover.accepted_at = timezone.now()
    handover.save(update_fields=["state", "accepted_at"])
    _handover_audit(handover, AuditEntry.Action.HANDOVER_ACCEPTED, actor=user)
    return handover


@transaction.atomic
def handover_tick_step(*, handover: Handover, user, step: str) -> Handover:
    """Record that a step of the checklist is done; the last one completes the handover.

    Ticking a step that is already done changes nothing (a double click is not a second step).
    """
    from approvals.selectors import user_may_tick_handover_step

    labels = dict(Handover.STEPS)
    if step not in labels:
        raise ValidationError({"step": _("Choose a step of the checklist.")})
    handover = _lock_handover(handover, Handover.State.IN_PROGRESS)
    if not user_may_tick_handover_step(user, handover):
        raise PermissionDenied(
            _("Only the new and the previous responsible person and the deputies do the steps.")
        )
    if getattr(handover, step) is not None:
        return handover
    setattr(handover, step, timezone.now())
    handover.save(update_fields=[step])
    _handover_audit(handover, AuditEntry.Action.HANDOVER_STEP, actor=user, reason=str(labels[step]))
    if all(getattr(handover, name) for name, _label in Handover.STEPS):
        return handover_complete(handover=handover, completed_by=user)
    return handover


def _deputies_summary(channel: Channel) -> str:
    return ", ".join(sorted(d.user.email for d in channel.deputyships.select_related("user")))


@transaction.atomic
def handover_complete(*, handover: Handover, completed_by=None) -> Handover:
    """Internal (the last ticked step calls it): the channel, its deputies and its object
    permissions move to the new people, and everyone involved and Komm are told."""
    from channels.models import Deputyship
    from channels.services import channel_sync_permissions

    handover = _lock_handover(handover, Handover.State.IN_PROGRESS)
    channel = Channel.objects.select_for_update().get(pk=handover.channel_id)
    new = handover.new_responsible
    previous = handover.previous_responsible
    deputies_before = _deputies_summary(channel)
    phones = dict(channel.deputyships.values_list("user_id", "phone"))
    new_deputies = list(handover.new_deputies.all())
    if new_deputies:
        channel.deputyships.all().delete()
        Deputyship.objects.bulk_create(
            [Deputyship(channel=channel, user=u, phone=phones.get(u.pk, "")) for u in new_deputies]
        )
    else:
        # The responsible person is never also a deputy.
        channel.deputyships.filter(user=new).delete()
    changes = {
        str(_("responsible person")): [
            f"{_person(channel.responsible)} <{channel.responsible.email}>"
            if channel.responsible_id
            else "",
            f"{_person(new)} <{new.email}>",
        ],
    }
    deputies_after = _deputies_summary(channel)
    if deputies_after != deputies_before:
        changes[str(_("deputies"))] = [deputies_before, deputies_after]
    channel.responsible = new
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
    handover.state = Handover.State.COMPLETED
    handover.completed_at = timezone.now()
    handover.save(update_fields=["state", "completed_at"])
    audit_record(
        channel=channel,
        action=AuditEntry.Action.HANDOVER_COMPLETED,
        actor=completed_by,
        changes=changes,
    )
    context = {
        "channel": channel,
        "handover": handover,
        "link": absolute_url(channel.get_absolute_url()),
    }
    for user in (previous, new):
        if user.is_active:
            queue_email_to_user(template="handover-completed", user=user, context=context)
    queue_email(template="handover-completed", to=[settings.KOMM_EMAIL], context=context)
    return handover


@transaction.atomic
def handover_cancel(*, handover: Handover, user, reason: str) -> Handover:
    """Call a handover off. A pending link to the head of department stops working."""
    from approvals.selectors import user_may_cancel_handover

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the handover is cancelled.")})
    handover = _lock_handover(handover, *Handover.OPEN_STATES)
    if not user_may_cancel_handover(user, handover):
        raise PermissionDenied(
            _("Only who started the handover, the responsible person or Komm can cancel it.")
        )
    handover.signoffs.filter(decision=PrefectSignoff.Decision.PENDING).update(
        decision=PrefectSignoff.Decision.REPLACED, decided_at=timezone.now()
    )
    handover.state = Handover.State.CANCELLED
    handover.save(update_fields=["state"])
    _handover_audit(handover, AuditEntry.Action.HANDOVER_CANCELLED, actor=user, reason=reason)
    return handover


@transaction.atomic
def handover_resend_signoff(*, handover: Handover, requested_by) -> PrefectSignoff:
    """Send the head of department a new link for the handover; the earlier one stops working."""
    from approvals.selectors import user_may_start_handover

    if not user_may_start_handover(requested_by, handover.channel):
        raise PermissionDenied(
            _("Only the responsible person, a deputy or Komm can send a new link.")
        )
    handover = _lock_handover(handover, Handover.State.AWAITING_PREFECT)
    return signoff_request(channel=handover.channel, requested_by=requested_by, handover=handover)
