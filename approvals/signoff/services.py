"""Submission and the head of department's sign-off by e-mailed link.

The link carries a random token, signed with a salted TimestampSigner; only its hash is stored.
A sign-off appoints a responsible person: for a registration, or for a handover (then the
handover moves on with it)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import cast

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import emails
from approvals.audit import Event
from approvals.handover.transitions import handover_transition
from approvals.models import Handover, PrefectSignoff
from approvals.signoff.selectors import signoff_prefect, user_may_request_signoff
from channels.models import Channel
from channels.selectors import (
    channel_people,
    prefect_conflicts,
    user_is_channel_person,
)
from channels.services import (
    audit_record,
    channel_missing_fields,
    channel_transition,
    platform_refusal,
)
from core.mail import absolute_url
from core.models import User
from core.states import IllegalTransition

# --- The e-mailed link ------------------------------------------------------------------------


SIGNOFF_SALT = "approvals.prefect-signoff"


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
        .filter(pk=int(pk) if pk.isdigit() else 0)
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
    if not user_is_channel_person(user=submitted_by, channel=channel):
        raise PermissionDenied(_("Only the responsible person and the deputies submit a channel."))
    if not channel.is_editable:
        raise IllegalTransition(
            _("The registration cannot be edited while it is “%(state)s”.")
            % {"state": channel.get_state_display()}
        )
    missing = channel_missing_fields(channel)
    if missing:
        names = ", ".join(name for names in missing.values() for name in names)
        raise ValidationError(
            _("Fill in everything before you submit. Missing: %(names)s.") % {"names": names}
        )
    refusal = platform_refusal(channel.platform)  # a draft begun before Komm took it over
    if refusal:
        raise ValidationError(refusal)
    resubmitting_to_komm = (
        channel.state == Channel.State.CHANGES_REQUESTED and _prefect_approval_stands(channel)
    )
    target = Channel.State.AWAITING_KOMM if resubmitting_to_komm else Channel.State.AWAITING_PREFECT
    channel_transition(
        channel=channel,
        to=target,
        action=Event.SUBMITTED,
        actor=submitted_by,
        fields={"submitted_at": timezone.now()},
    )
    if resubmitting_to_komm:
        emails.komm_new_in_queue(channel=channel)
    else:
        # Not signoff_request: the submitter was checked above, and a draft's creator who named
        # others is no longer one of the channel's people once it is submitted.
        _signoff_send(channel=channel, requested_by=submitted_by)
    return channel


@transaction.atomic
def signoff_request(
    *, channel: Channel, requested_by, handover: Handover | None = None
) -> PrefectSignoff:
    """E-mail the head of department a new sign-off link; any earlier link stops working.

    The channel's people or Komm ask for it. With `handover`, the link asks the head of
    department to appoint the handover's new responsible person.
    """
    if not user_may_request_signoff(requested_by, channel):
        raise PermissionDenied(
            _("Only the responsible person, a deputy or Komm can send a new link.")
        )
    # Two requests at once for one channel (two tabs, the owner and Komm) take turns on its
    # row, and the later one sees the channel as the earlier left it: without the lock, its new
    # link broke the one-pending-link rule, a server error.
    locked = Channel.objects.select_for_update().get(pk=channel.pk)
    return _signoff_send(channel=locked, requested_by=requested_by, handover=handover)


def _check_prefect(*, channel: Channel, prefect_email: str, requested_by, handover) -> None:
    """The link goes to an address, and nobody signs their own channel off: the head of
    department is never the applicant, the responsible person or a deputy (nor, in a handover,
    one of the people to be), whatever a form let through."""
    if not prefect_email:
        raise ValidationError(
            {
                "prefect_email": _(
                    "The head of department's e-mail address is missing, so no link can be "
                    "sent. Komm can add it to the channel."
                )
            }
        )
    people = [channel.created_by, requested_by, *channel_people(channel)]
    if handover is not None:
        people += [handover.started_by, handover.new_responsible, *handover.new_deputies.all()]
    conflicts = prefect_conflicts(prefect_email=prefect_email, people=people)
    if conflicts:
        raise ValidationError(
            {
                "prefect_email": _(
                    "%(name)s cannot approve this channel: they are one of its applicants or "
                    "people. Name the head of the responsible unit."
                )
                % {"name": conflicts[0].display_name}
            }
        )


def _signoff_send(
    *, channel: Channel, requested_by, handover: Handover | None = None
) -> PrefectSignoff:
    """The link itself, while the channel (or the handover) awaits the head of department."""
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
    prefect_name, prefect_title, prefect_email = signoff_prefect(channel, handover=handover)
    _check_prefect(
        channel=channel, prefect_email=prefect_email, requested_by=requested_by, handover=handover
    )
    # A submitted channel has one (the constraint channel_submitted_has_responsible).
    appointed = cast(User, handover.new_responsible if handover else channel.responsible)
    channel.signoffs.filter(decision=PrefectSignoff.Decision.PENDING).update(
        decision=PrefectSignoff.Decision.REPLACED, decided_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    signoff = PrefectSignoff.objects.create(
        channel=channel,
        handover=handover,
        prefect_name=prefect_name,
        prefect_title=prefect_title,
        prefect_email=prefect_email,
        responsible=appointed,
        token_hash=_hash_token(token),
        requested_by=requested_by,
        expires_at=timezone.now() + _link_max_age(),
    )
    link = absolute_url(
        reverse("approvals:signoff", args=[signoff_link_value(signoff=signoff, token=token)])
    )
    emails.signoff_requested(signoff=signoff, link=link)
    audit_record(
        channel=channel,
        action=Event.SIGNOFF_REQUESTED,
        actor=requested_by,
        params={"name": signoff.prefect_name, "email": signoff.prefect_email},
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
    if signoff.handover is not None:  # a new responsible person for a running channel
        _handover_signoff_approved(signoff, signoff.handover)
        return signoff
    channel = signoff.channel
    channel_transition(
        channel=channel,
        to=Channel.State.AWAITING_KOMM,
        action=Event.PREFECT_APPROVED,
        actor_name=signoff.prefect_name,
        fields={"prefect_approved_on": timezone.localdate(now)},
    )
    emails.komm_new_in_queue(channel=channel)
    emails.signoff_decided(signoff=signoff, people=channel_people(channel))
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
    if signoff.handover is not None:  # a new responsible person for a running channel
        _handover_signoff_declined(signoff, signoff.handover)
        return signoff
    channel = signoff.channel
    channel_transition(
        channel=channel,
        to=Channel.State.PREFECT_DECLINED,
        action=Event.PREFECT_DECLINED,
        actor_name=signoff.prefect_name,
        reason=reason,
    )
    emails.signoff_decided(signoff=signoff, people=channel_people(channel))
    return signoff


# --- A sign-off for a handover -----------------------------------------------------------------


def _handover_signoff_approved(signoff: PrefectSignoff, handover: Handover) -> None:
    """Called by signoff_approve: the head of department appointed the new person."""
    handover = handover_transition(
        handover=handover,
        to=Handover.State.AWAITING_ACCEPTANCE,
        action=Event.HANDOVER_APPROVED,
        actor_name=signoff.prefect_name,
        params={"name": signoff.responsible.display_name},
    )
    emails.handover_approved(handover=handover, signoff=signoff)


def _handover_signoff_declined(signoff: PrefectSignoff, handover: Handover) -> None:
    """Called by signoff_decline: the starter and the channel's people are told why."""
    handover = handover_transition(
        handover=handover,
        to=Handover.State.DECLINED,
        action=Event.HANDOVER_DECLINED,
        actor_name=signoff.prefect_name,
        reason=signoff.reason,
    )
    channel = handover.channel
    recipients = {u.pk: u for u in channel_people(channel)}
    recipients.setdefault(handover.started_by_id, handover.started_by)
    people = [user for user in recipients.values() if user.is_active]
    emails.handover_declined(handover=handover, signoff=signoff, people=people)
