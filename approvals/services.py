"""The approval workflow: submission, the head of department's sign-off by e-mailed link, and
Komm's review. Depends on `channels`; `channels` never imports this module."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.models import KommReview, PrefectSignoff
from channels.models import AuditEntry, Channel
from channels.services import IllegalTransition, channel_missing_fields, channel_transition
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
def signoff_request(*, channel: Channel, requested_by) -> PrefectSignoff:
    """E-mail the head of department a new sign-off link; any earlier link stops working."""
    if channel.state != Channel.State.AWAITING_PREFECT:
        raise IllegalTransition(
            _("A sign-off link can only be sent while the channel awaits the head of department.")
        )
    channel.signoffs.filter(decision=PrefectSignoff.Decision.PENDING).update(
        decision=PrefectSignoff.Decision.REPLACED, decided_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    signoff = PrefectSignoff.objects.create(
        channel=channel,
        prefect_name=channel.prefect_name,
        prefect_title=channel.prefect_title,
        prefect_email=channel.prefect_email,
        responsible=channel.responsible,
        token_hash=_hash_token(token),
        requested_by=requested_by,
        expires_at=timezone.now() + _link_max_age(),
    )
    link = absolute_url(
        reverse("approvals:signoff", args=[signoff_link_value(signoff=signoff, token=token)])
    )
    queue_email(
        template="signoff-request",
        to=[signoff.prefect_email],
        context={"channel": channel, "signoff": signoff, "link": link},
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
