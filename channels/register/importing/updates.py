"""What a valid row changes: a new channel, or the fields of the register's channel that the
row gives otherwise. Only descriptive fields and dates are updated; an import never changes a
channel's state or its people (those move through the portal's workflows: a closure, a
handover), and says so when the file differs from the register."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from channels.models import Channel, Platform, Unit
from channels.register.importing.results import Outcome, RowResult
from channels.register.importing.values import IMPORTABLE_STATES, Moment

S = Channel.State


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def plan_create(
    result: RowResult, *, platform: Platform | None, unit: Unit | None, facts: dict
) -> None:
    state = facts.get("state") or S.ACTIVE
    if state not in IMPORTABLE_STATES:
        result.errors.append(
            _("A new channel can be imported only as active, approved or closed, not “%(state)s”.")
            % {"state": Channel.State(state).label}
        )
    if facts.get("closed_at") and state != S.CLOSED:
        result.errors.append(_("Only a closed channel has a closing date."))
    for email in result.deactivated:
        result.errors.append(_("The account of %(email)s is deactivated.") % {"email": email})
    if result.errors:
        result.outcome = Outcome.ERROR
        return
    opened, closed = facts.get("opened_at"), facts.get("closed_at")
    result.fields = {
        "name": result.name,
        "platform": platform,
        "address": result.address,
        # Approved but not opened: the address is the planned one.
        "address_is_planned": state == S.APPROVED,
        "state": state,
        "language": facts.get("language") or Channel.Language.SWEDISH,
        "sender": Channel.Sender.UNIT,
        "sender_unit": unit,
        "responsible_unit": unit,
        "case_number": facts.get("case_number", ""),
        "opened_at": opened.when if opened else None,
        "closed_at": closed.when if closed else None,
        "next_evaluation_on": facts.get("next_evaluation_on"),
    }
    if result.head:
        result.changes.append((_("Head of unit"), "", f"{result.head[1]} <{result.head[3]}>"))
    for email in result.new_people:
        result.notes.append(
            _("No one has signed in as %(email)s yet: they will be added as a pending person.")
            % {"email": email}
        )
    result.outcome = Outcome.CREATE


def _differences(channel: Channel, unit: Unit | None, facts: dict, name: str) -> dict:
    """{field: new value} of what the row gives otherwise than the register; an empty cell
    keeps the register's value."""
    changed: dict[str, Any] = {}
    if name != channel.name:
        changed["name"] = name
    if unit is not None and unit.pk != channel.responsible_unit_id:
        changed["responsible_unit"] = unit
    for column in ("language", "case_number", "next_evaluation_on"):
        value = facts.get(column)
        if value and value != getattr(channel, column):
            changed[column] = value
    for column in ("opened_at", "closed_at"):
        moment: Moment | None = facts.get(column)
        if moment and not moment.same_as(getattr(channel, column)):
            changed[column] = moment.when
    return changed


def _field_label(name: str) -> str:
    return str(getattr(Channel._meta.get_field(name), "verbose_name", name)).capitalize()


def _shown(value: Any) -> str:
    if hasattr(value, "tzinfo") and value is not None and hasattr(value, "date"):
        return timezone.localdate(value).isoformat()
    return _text(value)


def plan_update(result: RowResult, channel: Channel, *, unit: Unit | None, facts: dict) -> None:
    result.channel = channel
    result.fields = _differences(channel, unit, facts, result.name)
    for name, after in result.fields.items():
        before = getattr(channel, name)
        result.changes.append((_field_label(name), _shown(before), _shown(after)))
    if result.head:
        result.changes.append((_("Head of unit"), "", f"{result.head[1]} <{result.head[3]}>"))
    registered = channel.responsible.email.lower() if channel.responsible else ""
    deputies = {user.email.lower() for user in channel.deputies.all()}
    if result.responsible_email != registered or (
        result.deputy_emails and set(result.deputy_emails) != deputies
    ):
        result.notes.append(
            _(
                "The people differ from the register's; an import does not change them "
                "(use a handover)."
            )
        )
    result.outcome = Outcome.UPDATE if result.changes else Outcome.UNCHANGED
