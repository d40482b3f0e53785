"""Writes to the registry. Every state change goes through `channel_transition`, which refuses
illegal moves and writes the audit trail."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm

from channels import hooks
from channels.addresses import address_key
from channels.audit import stored_value
from channels.models import AuditEntry, Channel, Deputyship

# Re-exported: the wizard's spec says what a submission needs and what a correction may change.
from channels.wizard.spec import REGISTRY_CORRECTABLE_FIELDS, REQUIRED_FOR_SUBMISSION
from core.people import person_is_pending
from core.states import IllegalTransition, transition

User = get_user_model()

CHANNEL_PERMISSIONS = ("channels.view_channel", "channels.change_channel")


def actor_display_name(user) -> str:
    return user.display_name if user else ""


def audit_record(
    *,
    channel: Channel,
    action: str,
    actor=None,
    actor_name: str = "",
    from_state: str = "",
    to_state: str = "",
    changes: dict | None = None,
    params: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """One line of the trail: codes, params and raw values (channels.audit words them)."""
    return AuditEntry.objects.create(
        channel=channel,
        action=action,
        actor=actor,
        actor_name=actor_name or actor_display_name(actor),
        from_state=from_state,
        to_state=to_state,
        changes=changes or {},
        params=params or {},
        reason=reason,
    )


def channel_transition(
    *,
    channel: Channel,
    to: str,
    action: str,
    actor=None,
    actor_name: str = "",
    reason: str = "",
    fields: dict | None = None,
) -> Channel:
    """Move a channel to another state, or raise IllegalTransition. Records who, when and why.

    `fields` are the channel's other fields that change with the move (e.g. `approved_at`); only
    they, the state and its timestamp are written.
    """
    from_state = transition(channel, to=to, fields=fields, timestamp_field="state_changed_at")
    # Rights follow the state too: a draft's creator keeps none once it is submitted.
    channel_sync_permissions(channel=channel)
    audit_record(
        channel=channel,
        action=action,
        actor=actor,
        actor_name=actor_name,
        from_state=from_state,
        to_state=to,
        reason=reason,
    )
    return channel


def channel_sync_permissions(*, channel: Channel) -> None:
    """Object permissions follow the people: the responsible person and the deputies."""
    people = {u.pk: u for u in channel.deputies.all()}
    if channel.responsible is not None:
        people[channel.responsible.pk] = channel.responsible
    if channel.state == Channel.State.DRAFT:
        people.setdefault(channel.created_by_id, channel.created_by)
    holders = cast(QuerySet, get_users_with_perms(channel, with_group_users=False))
    for user in holders:
        if user.pk not in people:
            for perm in CHANNEL_PERMISSIONS:
                remove_perm(perm, user, channel)
    for user in people.values():
        for perm in CHANNEL_PERMISSIONS:
            assign_perm(perm, user, channel)


@transaction.atomic
def platform_refusal(platform) -> str:
    """Why no channel can be registered on `platform`, or "". The guideline: Komm runs the
    university's accounts on some platforms (YouTube, Vimeo), and staff send content to Komm
    rather than start their own. The wizard's form, the services and the submission ask here."""
    if platform is None or not platform.managed_by_komm:
        return ""
    return _(
        "Komm runs the university's accounts on %(platform)s, so no other channel is registered "
        "there: send your content to Komm (%(email)s) instead."
    ) % {"platform": platform.name, "email": settings.KOMM_EMAIL}


def channel_check_platform(channel: Channel) -> None:
    """ValidationError on "platform" if the channel is on a platform that Komm runs."""
    refusal = platform_refusal(channel.platform if channel.platform_id else None)
    if refusal:
        raise ValidationError({"platform": refusal})


def channel_create_draft(*, created_by, **fields) -> Channel:
    """Start a registration. The creator is the responsible person until they name another."""
    channel = Channel(created_by=created_by, responsible=created_by, **fields)
    channel_check_platform(channel)
    channel.full_clean()
    channel.save()
    channel_sync_permissions(channel=channel)
    audit_record(
        channel=channel, action=AuditEntry.Action.CREATED, actor=created_by, to_state=channel.state
    )
    return channel


def channel_field_value(channel: Channel, field_name: str):
    """A field's value as the audit trail keeps it (a code, an ISO date, a name)."""
    return stored_value(getattr(channel, field_name))


def _apply_changes(channel: Channel, data: dict) -> dict[str, list]:
    """Set the fields on the channel; return {field name: [before, after]} of what changed."""
    changes = {}
    for name, value in data.items():
        before = channel_field_value(channel, name)
        setattr(channel, name, value)
        after = channel_field_value(channel, name)
        if before != after:
            changes[name] = [before, after]
    return changes


@transaction.atomic
def channel_update(*, channel: Channel, edited_by, data: dict, reason: str = "") -> Channel:
    """Edit a channel's registration. Allowed only while it is with its owner.

    Once a channel has been submitted, every edit goes into the audit trail with its changes.
    """
    if not channel.is_editable:
        raise IllegalTransition(
            _("The registration cannot be edited while it is “%(state)s”.")
            % {"state": channel.get_state_display()}
        )
    changes = _apply_changes(channel, data)
    if "platform" in changes:
        channel_check_platform(channel)
    channel.full_clean()
    channel.save()
    if changes and channel.submitted_at:
        audit_record(
            channel=channel,
            action=AuditEntry.Action.EDITED,
            actor=edited_by,
            changes=changes,
            reason=reason,
        )
    return channel


@transaction.atomic
def channel_set_people(
    *,
    channel: Channel,
    edited_by,
    responsible,
    responsible_phone: str,
    deputies: list[tuple],
) -> Channel:
    """Name the responsible person and the deputies (a list of (user, phone))."""
    deputy_users = [user for user, _phone in deputies]
    if not deputy_users:
        raise ValidationError(_("Name at least one deputy."))
    if responsible in deputy_users:
        raise ValidationError(_("The responsible person cannot also be a deputy."))
    if len({u.pk for u in deputy_users}) != len(deputy_users):
        raise ValidationError(_("Each deputy can be named only once."))
    before_people = _people_summary(channel)
    named_before = {channel.responsible_id, *channel.deputyships.values_list("user_id", flat=True)}
    channel_update(
        channel=channel,
        edited_by=edited_by,
        data={"responsible": responsible, "responsible_phone": responsible_phone},
    )
    channel.deputyships.all().delete()
    Deputyship.objects.bulk_create(
        [Deputyship(channel=channel, user=user, phone=phone) for user, phone in deputies]
    )
    after_people = _people_summary(channel)
    if channel.submitted_at and before_people != after_people:
        audit_record(
            channel=channel,
            action=AuditEntry.Action.EDITED,
            actor=edited_by,
            changes={"deputies": [before_people, after_people]},
        )
    channel_sync_permissions(channel=channel)
    _tell_pending_people(channel, edited_by, responsible, deputy_users, named_before)
    return channel


def _tell_pending_people(channel, named_by, responsible, deputies, named_before) -> None:
    """People named by an address before they ever signed in are told, once per naming."""
    roles = [(responsible, "responsible")] + [(user, "deputy") for user in deputies]
    for person, role in roles:
        if person.pk not in named_before and person_is_pending(person):
            hooks.person_named(person=person, named_by=named_by, channel=channel, role=role)


def _people_summary(channel: Channel) -> str:
    return ", ".join(sorted(d.user.email for d in channel.deputyships.select_related("user")))


def channel_missing_fields(channel: Channel) -> dict[str, list[str]]:
    """What is still missing before submission, as {step: [field verbose names]}.

    The spec's required fields, and what no single field says: a unit-sender names its unit,
    an employee-sender its employee, and there is at least one deputy."""
    missing: dict[str, list[str]] = {}
    for step, names in REQUIRED_FOR_SUBMISSION.items():
        for name in names:
            if getattr(channel, name) in (None, "", False):
                missing.setdefault(step, []).append(Channel.label_of(name))
    if channel.sender == Channel.Sender.UNIT and channel.sender_unit_id is None:
        missing.setdefault("organisation", []).append(str(_("sending unit")))
    if channel.sender == Channel.Sender.EMPLOYEE and not channel.sender_employee.strip():
        missing.setdefault("organisation", []).append(
            str(Channel._meta.get_field("sender_employee").verbose_name)
        )
    if channel.pk and not channel.deputyships.exists():
        missing.setdefault("people", []).append(str(_("deputies")))
    return missing


def channel_duplicates(*, platform, address: str, exclude_pk: int | None = None) -> QuerySet:
    """The registered or pending channels with the same platform and address, however either
    was typed (the normalised key, channels.addresses); unordered, so that the planner reads
    channel_platform_address_idx and nothing else."""
    candidates = Channel.objects.filter(
        address_key=address_key(address), platform=platform, state__in=Channel.LIVE_STATES
    ).order_by()
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    return candidates


def channel_find_duplicate(
    *, platform, address: str, exclude_pk: int | None = None
) -> Channel | None:
    """A registered or pending channel with the same platform and address, if any (at most one,
    but for old data: then any one of them)."""
    if not address_key(address):
        return None
    duplicates = channel_duplicates(platform=platform, address=address, exclude_pk=exclude_pk)
    return next(iter(duplicates[:1]), None)


def _check_address_free_on_platform(*, channel: Channel, address: str) -> None:
    """A live address must be on the channel's platform and not registered for another channel."""
    if not channel.platform.accepts_url(address):
        raise ValidationError(
            {
                "address": _("The address must be on %(domains)s.")
                % {"domains": ", ".join(channel.platform.domains)}
            }
        )
    duplicate = channel_find_duplicate(
        platform=channel.platform, address=address, exclude_pk=channel.pk
    )
    if duplicate:
        raise ValidationError(
            {
                "address": _("This address is already registered as “%(name)s”.")
                % {"name": duplicate.name}
            }
        )


@transaction.atomic
def channel_mark_opened(*, channel: Channel, opened_by, address: str | None = None) -> Channel:
    """The owner has opened an approved channel; with the live address if it was only planned."""
    fields = {
        "address_is_planned": False,
        "opened_at": timezone.now(),
        # The evaluation plan starts running when the channel opens.
        "next_evaluation_on": channel.next_evaluation_on or channel.evaluation_first_date,
    }
    if address:
        _check_address_free_on_platform(channel=channel, address=address)
        if address != channel.address:
            audit_record(
                channel=channel,
                action=AuditEntry.Action.EDITED,
                actor=opened_by,
                changes={"address": [channel.address, address]},
            )
        fields["address"] = address
    return channel_transition(
        channel=channel,
        to=Channel.State.ACTIVE,
        action=AuditEntry.Action.OPENED,
        actor=opened_by,
        fields=fields,
    )


def staff_email_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in settings.STAFF_EMAIL_DOMAINS


# --- Corrections of a running channel's entry ------------------------------------------------
# What may be corrected is the wizard spec's REGISTRY_CORRECTABLE_FIELDS.


def channel_lock_running(channel: Channel) -> Channel:
    """Lock the channel's row and refuse unless it is running (approved or active)."""
    locked = Channel.objects.select_for_update().get(pk=channel.pk)
    if locked.state not in Channel.RUNNING_STATES:
        raise IllegalTransition(
            _("This cannot be done while the channel is “%(state)s”.")
            % {"state": locked.get_state_display()}
        )
    return locked


@transaction.atomic
def channel_correct_registry(
    *, channel: Channel, edited_by, data: dict, reason: str = "", params: dict | None = None
) -> dict[str, list]:
    """Correct the descriptive parts of a running channel's entry; audited with its changes.

    Returns the changes as {field name: [before, after]}; raises ValidationError when nothing
    changes, a field may not be corrected this way, or a value is invalid.
    """
    channel_lock_running(channel)
    not_allowed = sorted(set(data) - set(REGISTRY_CORRECTABLE_FIELDS))
    if not_allowed:
        raise ValidationError(
            _("These fields cannot be corrected here: %(names)s.")
            % {"names": ", ".join(not_allowed)}
        )
    if "address" in data and data["address"] != channel.address:
        _check_live_address(channel=channel, address=data["address"])
    changes = _apply_changes(channel, data)
    if not changes:
        channel.refresh_from_db()
        raise ValidationError(_("Nothing was changed in the registry entry."))
    try:
        channel.full_clean()
    except ValidationError:
        channel.refresh_from_db()
        raise
    channel.save()
    audit_record(
        channel=channel,
        action=AuditEntry.Action.REGISTRY_CORRECTED,
        actor=edited_by,
        changes=changes,
        params=params,
        reason=reason,
    )
    return changes


def _check_live_address(*, channel: Channel, address: str) -> None:
    """A running channel's address: only of an active one, on the platform, not taken."""
    if channel.state != Channel.State.ACTIVE:
        raise ValidationError(
            {"address": _("The address is given when the channel is marked as opened.")}
        )
    _check_address_free_on_platform(channel=channel, address=address)
