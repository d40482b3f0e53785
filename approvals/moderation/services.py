"""Recording in the moderation log. An entry is never edited or deleted: a correction is a new
entry that points to the one it corrects and says why; a lifted blocking is a new entry too."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals import emails
from approvals.moderation.files import attachment_check, stored_name
from approvals.moderation.models import ModerationAttachment, ModerationEntry
from approvals.moderation.selectors import (
    RECORDABLE_STATES,
    blocking_is_active,
    user_may_moderate,
)
from channels.models import Channel

Kind = ModerationEntry.Kind
Ground = ModerationEntry.Ground


@dataclass(frozen=True)
class EntryDetails:
    """What an entry says beyond its kind and time; each kind uses its own part."""

    what: str = ""
    handle: str = ""
    post_url: str = ""
    ground: str = ""
    ground_detail: str = ""
    blocked_until: datetime.datetime | None = None
    lifts: ModerationEntry | None = None
    crime: str = ""
    reported_on: datetime.date | None = None
    police_case_number: str = ""
    not_reported_reason: str = ""
    threat: bool = False


def moderation_record_check(*, channel: Channel, user) -> None:
    """Raise what moderation_record refuses whatever is typed: the wrong person
    (PermissionDenied) or a channel that takes no new entries (ValidationError)."""
    if not user_may_moderate(user, channel):
        raise PermissionDenied(
            _("Only the channel's responsible person, its deputies and Komm keep its log.")
        )
    if channel.state not in RECORDABLE_STATES:
        raise ValidationError(
            _("Entries are recorded for running channels; this one is “%(state)s”.")
            % {"state": Channel.State(channel.state).label}
        )


def _required(errors: dict, field: str, value, message: str) -> None:
    if not value:
        errors[field] = message


def _ground_errors(details: EntryDetails, errors: dict) -> None:
    _required(errors, "ground", details.ground, _("Choose the ground."))
    if details.ground and details.ground not in Ground.values:
        errors["ground"] = _("Choose one of the grounds.")
    if details.ground in ModerationEntry.GROUNDS_WITH_DETAIL and not details.ground_detail:
        errors["ground_detail"] = (
            _("Name the rule of the channel's policy.")
            if details.ground == Ground.POLICY
            else _("Say what the ground is.")
        )


def _kind_errors(channel: Channel, kind: str, happened_at, details: EntryDetails) -> dict:
    errors: dict[str, str] = {}
    if kind in (Kind.REMOVAL, Kind.CRIME, Kind.OTHER):
        _required(errors, "what", details.what, _("Say what happened."))
    if kind in (Kind.REMOVAL, Kind.BLOCKING):
        _ground_errors(details, errors)
    if kind == Kind.BLOCKING:
        _required(errors, "handle", details.handle, _("Say whom you blocked (handle or URL)."))
        if details.blocked_until and happened_at and details.blocked_until <= happened_at:
            errors["blocked_until"] = _("The blocking must end after it starts.")
    if kind == Kind.CRIME:
        _required(errors, "crime", details.crime, _("Say which crime is suspected."))
        if details.reported_on and details.reported_on > timezone.localdate():
            errors["reported_on"] = _("The report to the police cannot be in the future.")
    if kind == Kind.LIFTING:
        lifts = details.lifts
        if lifts is None or lifts.channel_id != channel.pk or lifts.kind != Kind.BLOCKING:
            errors["lifts"] = _("Choose the blocking that is lifted.")
        elif not blocking_is_active(lifts):
            errors["lifts"] = _("That blocking is not active: it was lifted or has run out.")
        elif happened_at and happened_at < lifts.happened_at:
            errors["happened_at"] = _("A blocking cannot be lifted before it started.")
    return errors


def _entry_errors(*, channel, kind, happened_at, details, corrects, correction_reason) -> dict:
    if kind not in Kind.values:
        return {"kind": _("Choose what kind of entry it is.")}
    errors = _kind_errors(channel, kind, happened_at, details)
    if not happened_at:
        errors["happened_at"] = _("Say when it happened.")
    elif happened_at > timezone.now():
        errors["happened_at"] = _("It cannot have happened in the future.")
    if corrects is not None:
        if corrects.channel_id != channel.pk:
            errors["corrects"] = _("A correction belongs to the same channel's log.")
        _required(errors, "correction_reason", correction_reason, _("Say what was wrong."))
    return errors


def _attach(entry: ModerationEntry, files: Sequence[tuple[UploadedFile, str]]) -> None:
    for upload, content_type in files:
        attachment = ModerationAttachment(
            entry=entry, name=upload.name or "", content_type=content_type, size=upload.size or 0
        )
        attachment.file.save(stored_name(upload), upload, save=False)
        attachment.save()


@transaction.atomic
def moderation_record(
    *,
    channel: Channel,
    recorded_by,
    kind: str,
    happened_at: datetime.datetime | None,
    details: EntryDetails,
    files: Sequence[UploadedFile] = (),
    corrects: ModerationEntry | None = None,
    correction_reason: str = "",
) -> ModerationEntry:
    """Record an entry in the channel's log, with its attachments. Bad input changes nothing.
    A suspected crime or a threat is e-mailed to Komm at once."""
    moderation_record_check(channel=channel, user=recorded_by)
    errors = _entry_errors(
        channel=channel,
        kind=kind,
        happened_at=happened_at,
        details=details,
        corrects=corrects,
        correction_reason=correction_reason.strip(),
    )
    checked = []
    for upload in files:
        try:
            checked.append((upload, attachment_check(upload)))
        except ValidationError as error:
            errors.setdefault("attachments", error.messages[0])
    if errors:
        raise ValidationError(errors)
    assert happened_at is not None  # _entry_errors says so otherwise
    entry = ModerationEntry.objects.create(
        channel=channel,
        kind=kind,
        happened_at=happened_at,
        recorded_by=recorded_by,
        corrects=corrects,
        correction_reason=correction_reason.strip(),
        **{name: value for name, value in vars(details).items()},
    )
    _attach(entry, checked)
    if entry.kind == Kind.CRIME or entry.threat or entry.ground == Ground.THREAT:
        emails.moderation_alert(entry=entry)
    return entry
