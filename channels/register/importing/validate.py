"""The dry run: what importing each row would do (create, update, nothing) or why it cannot be
imported. One bad row and the plan is not committed (commit.py); the plan is computed again at
the commit, so what is written is checked against the register as it is then.

A row is matched to a channel of the register by its address's normalised key
(channels.addresses), the key the wizard's duplicate check uses: a repeat import of the same
file finds every channel it made and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from channels.addresses import address_key
from channels.models import Channel, Platform, Unit
from channels.register.importing.lookup import Lookup, load_lookup, split_emails, web_address
from channels.register.importing.parse import SourceRow
from channels.register.importing.results import ImportPlan, Outcome, RowResult
from channels.register.importing.updates import plan_create, plan_update
from channels.register.importing.values import (
    read_date,
    read_language,
    read_moment,
    read_state,
)
from channels.services import staff_email_allowed

S = Channel.State
# Channels an import may update: in the public register. A row at the address of a channel
# still being registered is a duplicate: it is decided in the portal first.
UPDATABLE_STATES = (S.APPROVED, S.ACTIVE, S.CLOSING, S.CLOSED)
PENDING_STATES = Channel.LIVE_STATES - set(UPDATABLE_STATES)
NAME_MAX = Channel._meta.get_field("name").max_length or 200
ADDRESS_MAX = Channel._meta.get_field("address").max_length or 500


@dataclass
class _Seen:
    """What earlier rows of the file named: addresses (duplicates), heads of units (conflicts)."""

    keys: dict[str, int] = field(default_factory=dict)
    heads: dict[int, tuple[str, int]] = field(default_factory=dict)


def registry_import_plan(rows: list[SourceRow]) -> ImportPlan:
    """Each row's result, against the register as it is now (a fixed number of queries)."""
    lookup = load_lookup(rows)
    seen = _Seen()
    return ImportPlan([_check_row(row, lookup, seen) for row in rows])


def _check_row(row: SourceRow, lookup: Lookup, seen: _Seen) -> RowResult:
    values = row.values
    result = RowResult(row.number, values.get("name", ""), values.get("address", ""))
    if not result.name:
        result.errors.append(_("The name is missing."))
    elif len(result.name) > NAME_MAX:
        result.errors.append(_("The name is longer than %(n)s characters.") % {"n": NAME_MAX})
    platform = _platform(values.get("platform", ""), lookup, result)
    key = _address(platform, result, seen)
    unit = _unit(values.get("responsible_unit", ""), lookup, result)
    _people(values, lookup, result)
    facts = _facts(values, result)
    existing = _existing(key, platform, facts.get("state", ""), lookup, result)
    _head(values, unit, lookup, seen, result)
    if result.errors:
        result.outcome = Outcome.ERROR
    elif existing is not None:
        plan_update(result, existing, unit=unit, facts=facts)
    else:
        plan_create(result, platform=platform, unit=unit, facts=facts)
    return result


def _platform(text: str, lookup: Lookup, result: RowResult) -> Platform | None:
    if not text:
        result.errors.append(_("The platform is missing."))
        return None
    platform = lookup.platform(text)
    if platform is None:
        result.errors.append(_("Unknown platform “%(value)s”.") % {"value": text})
    return platform


def _address(platform: Platform | None, result: RowResult, seen: _Seen) -> str:
    """The normalised key of the row's address, "" when it is missing or refused."""
    if not result.address:
        result.errors.append(_("The address is missing."))
        return ""
    address = web_address(result.address)
    try:
        URLValidator()(address)
    except ValidationError:
        result.errors.append(_("“%(value)s” is not a web address.") % {"value": result.address})
        return ""
    result.address = address
    if len(address) > ADDRESS_MAX:
        result.errors.append(_("The address is longer than %(n)s characters.") % {"n": ADDRESS_MAX})
    if platform is not None and not platform.accepts_url(address):
        result.errors.append(
            _("The address is not on %(platform)s (%(domains)s).")
            % {"platform": platform.name, "domains": ", ".join(platform.domains)}
        )
    key = address_key(address)
    if key in seen.keys:
        result.errors.append(
            _("Duplicate: the same address as row %(row)s of the file.") % {"row": seen.keys[key]}
        )
    else:
        seen.keys[key] = result.number
    return key


def _unit(text: str, lookup: Lookup, result: RowResult) -> Unit | None:
    if not text:
        result.errors.append(_("The responsible unit is missing."))
        return None
    matches = lookup.unit_matches(text)
    if not matches:
        result.errors.append(_("Unknown unit “%(value)s”.") % {"value": text})
        return None
    if len(matches) > 1:
        result.errors.append(
            _("“%(value)s” names more than one unit; use the unit's English name.")
            % {"value": text}
        )
        return None
    return matches[0]


def _person(email: str, lookup: Lookup, result: RowResult) -> bool:
    """A named person's address must be a university one. An address no account has yet is
    accepted, as in the registration form: the commit makes a pending person
    (core.people.person_for_email)."""
    try:
        validate_email(email)
    except ValidationError:
        result.errors.append(_("“%(value)s” is not an e-mail address.") % {"value": email})
        return False
    if not staff_email_allowed(email):
        result.errors.append(
            _("“%(value)s” is not a university e-mail address.") % {"value": email}
        )
        return False
    user = lookup.users.get(email)
    if user is None:
        result.new_people.append(email)
    elif not user.is_active:
        # An error only for a new channel: an import never changes a registered one's people.
        result.deactivated.append(email)
    return True


def _people(values: dict[str, str], lookup: Lookup, result: RowResult) -> None:
    responsible = values.get("responsible_email", "").lower()
    deputies = list(dict.fromkeys(split_emails(values.get("deputy_emails", ""))))
    if not responsible:
        result.errors.append(_("The responsible person is missing."))
    elif _person(responsible, lookup, result):
        result.responsible_email = responsible
    if responsible and responsible in deputies:
        result.errors.append(_("The responsible person cannot also be a deputy."))
        deputies.remove(responsible)
    result.deputy_emails = [email for email in deputies if _person(email, lookup, result)]


def _facts(values: dict[str, str], result: RowResult) -> dict[str, Any]:
    """State, language, case number and dates, each read or refused with its reason."""
    facts: dict[str, Any] = {"case_number": values.get("case_number", "")}
    readers = {
        "state": read_state,
        "language": read_language,
        "opened_at": read_moment,
        "closed_at": read_moment,
        "next_evaluation_on": read_date,
    }
    for column, read in readers.items():
        try:
            facts[column] = read(values.get(column, ""))
        except ValueError as error:
            result.errors.append(str(error))
    if len(facts["case_number"]) > 50:
        result.errors.append(_("The case number is longer than 50 characters."))
    state = facts.get("state")
    if state == S.CLOSED and not values.get("closed_at"):
        result.errors.append(_("A closed channel needs the date it was closed (closed_at)."))
    if values.get("closed_at") and state and state != S.CLOSED:
        result.errors.append(_("Only a closed channel has a closing date."))
    return facts


def _existing(
    key: str, platform: Platform | None, state: str, lookup: Lookup, result: RowResult
) -> Channel | None:
    """The channel of the register at the row's address, if the row may update it."""
    candidates = lookup.channels.get(key, []) if key else []
    for channel in candidates:
        if channel.state in PENDING_STATES:
            result.errors.append(
                _("Duplicate: already registered as “%(name)s”, which is “%(state)s”.")
                % {"name": channel.name, "state": channel.get_state_display()}
            )
            return None
    running = [c for c in candidates if c.state in UPDATABLE_STATES]
    if not running:
        return None
    same_state = [c for c in running if c.state == state]
    not_closed = [c for c in running if c.state != S.CLOSED]
    channel = (same_state or not_closed or running)[0]
    if platform is not None and channel.platform_id != platform.pk:
        result.errors.append(
            _("Duplicate: the address is registered as “%(name)s” on %(platform)s.")
            % {"name": channel.name, "platform": channel.platform.name}
        )
        return None
    if state and state != channel.state:
        result.errors.append(
            _("The register has this channel as “%(state)s”; an import does not change states.")
            % {"state": channel.get_state_display()}
        )
        return None
    return channel


def _head(
    values: dict[str, str], unit: Unit | None, lookup: Lookup, seen: _Seen, result: RowResult
) -> None:
    """The unit's head of department, added to the unit unless it already has them."""
    email = values.get("unit_head_email", "").lower()
    name = values.get("unit_head_name", "")
    if not email and not name:
        return
    if not email or not name:
        result.errors.append(_("Give both the head of unit's name and e-mail, or neither."))
        return
    try:
        validate_email(email)
    except ValidationError:
        result.errors.append(_("“%(value)s” is not an e-mail address.") % {"value": email})
        return
    if unit is None or (unit.pk, email) in lookup.heads:
        return
    earlier = seen.heads.get(unit.pk)
    if earlier and earlier[0] != email:
        result.errors.append(
            _("Row %(row)s names another head for this unit.") % {"row": earlier[1]}
        )
    elif earlier is None:
        seen.heads[unit.pk] = (email, result.number)
        result.head = (unit, name, values.get("unit_head_title", ""), email)
