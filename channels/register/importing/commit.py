"""Writing an import: all rows or none. The plan is made again inside the transaction, against
the register as it is at that moment, and nothing is written if any row has an error. Every
channel created or updated gets an audit entry (channels.audit words it in both languages)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from channels.models import AuditEntry, Channel, Deputyship, Platform, UnitHead
from channels.register.importing.parse import SourceRow
from channels.register.importing.results import ImportPlan, Outcome, RowResult
from channels.register.importing.validate import registry_import_plan
from channels.selectors import user_is_komm
from channels.services import audit_record, channel_field_value, channel_sync_permissions
from core.people import person_for_email


@transaction.atomic
def registry_import_commit(*, rows: list[SourceRow], imported_by) -> ImportPlan:
    """Create and update the channels the rows describe; raise ValidationError, writing
    nothing, if any row cannot be imported. A repeat of the same rows changes nothing.

    People named by an address no account has yet become pending people, as in the wizard;
    they are not e-mailed (the import records who already runs a channel; nothing is asked of
    them)."""
    if imported_by is not None and not user_is_komm(imported_by):
        raise PermissionDenied(_("Only Komm imports into the register."))
    # Two imports at once would both find an address free: the second waits for the first
    # (the platforms' rows are the lock; nothing else locks them), then plans against its work.
    list(Platform.objects.select_for_update().order_by("pk").values_list("pk"))
    plan = registry_import_plan(rows)
    if plan.has_errors:
        raise ValidationError(_("Nothing was imported: correct the rows with errors first."))
    for row in plan.rows:
        if row.head:
            unit, name, title, email = row.head
            UnitHead.objects.create(unit=unit, name=name, title=title, email=email)
        if row.outcome == Outcome.CREATE:
            _create(row, imported_by)
        elif row.outcome == Outcome.UPDATE and row.fields:
            _update(row, imported_by)
    return plan


def _create(row: RowResult, imported_by) -> Channel:
    now = timezone.now()
    channel = Channel(
        **row.fields,
        created_by=imported_by,
        responsible=person_for_email(email=row.responsible_email)[0],
        state_changed_at=now,
    )
    channel.full_clean()
    channel.save()
    Deputyship.objects.bulk_create(
        [
            Deputyship(channel=channel, user=person_for_email(email=email)[0])
            for email in row.deputy_emails
        ]
    )
    channel_sync_permissions(channel=channel)
    audit_record(
        channel=channel,
        action=AuditEntry.Action.IMPORTED,
        actor=imported_by,
        to_state=channel.state,
        params={"row": row.number, "kind": "created"},
    )
    return channel


def _update(row: RowResult, imported_by) -> Channel:
    assert row.channel is not None  # an update names the register's channel
    channel = Channel.objects.select_for_update().get(pk=row.channel.pk)
    changes = {}
    for name, value in row.fields.items():
        before = channel_field_value(channel, name)
        setattr(channel, name, value)
        changes[name] = [before, channel_field_value(channel, name)]
    channel.full_clean()
    channel.save(update_fields=[*row.fields, "updated_at"])
    audit_record(
        channel=channel,
        action=AuditEntry.Action.IMPORTED,
        actor=imported_by,
        changes=changes,
        params={"row": row.number, "kind": "updated"},
    )
    return channel
