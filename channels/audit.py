"""The audit trail's vocabulary: what each kind of entry is called and says, in the reader's
language.

An AuditEntry stores codes and parameters, never a translated sentence: `action` is a code,
`params` the facts of the event (a name, a step, a date), `changes` the raw values of the fields
it changed, and `reason` only what a person typed. The words come from here when the trail is
shown, so a Swedish and an English reader each see the whole trail in their own language,
whoever acted.

`channels` registers its own events below; a workflow app registers its events (and the fields
of its own models that its entries change) in its AppConfig.ready(), as it does for the pages'
slots (channels.hooks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from channels.models import AuditEntry, Channel, Evaluation
from channels.policy.events import MESSAGES as POLICY_MESSAGES
from channels.policy.events import PolicyEvent

Message = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Event:
    label: Any  # a lazy translation
    message: Message | None = None


@dataclass(frozen=True)
class Field:
    label: Any
    choices: dict[str, Any] | None = None


_events: dict[str, Event] = {}
_fields: dict[str, Field] = {}


def register_events(actions: type[models.TextChoices], messages: dict[str, Message]) -> None:
    """Name each of `actions` by its label; `messages` says what an entry of a kind says,
    from its params (kinds without a message show only what a person typed)."""
    for action in actions:
        _events[action.value] = Event(action.label, messages.get(action.value))


def register_field(name: str, label: Any, choices: type[models.TextChoices] | None = None) -> None:
    """A field that entries may change but that is not the channel's (e.g. a closure's)."""
    _fields[name] = Field(label, dict(choices.choices) if choices else None)


def action_label(code: str) -> str:
    event = _events.get(code)
    return str(event.label) if event else code


def action_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(event.label)) for code, event in _events.items()), key=lambda c: c[1])


def entry_text(entry) -> str:
    """What the entry says besides its kind: its message from params, then what was typed."""
    event = _events.get(entry.action)
    said = event.message(entry.params or {}) if event and event.message else ""
    return "\n".join(part for part in (said, entry.reason) if part)


def _field(name: str) -> Field:
    if name in _fields:
        return _fields[name]
    field: Any
    try:
        field = Channel._meta.get_field(name)
    except Exception:  # an unknown name still shows, as itself
        return Field(name)
    choices = dict(field.choices) if getattr(field, "choices", None) else None
    return Field(field.verbose_name, choices)


def value_text(field: Field, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field.choices is not None:
        return str(field.choices.get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def change_rows(entry) -> list[dict[str, str]]:
    """[{"label", "before", "after"}] of the entry's changes, in the reader's language."""
    rows = []
    for name, (before, after) in (entry.changes or {}).items():
        field = _field(name)
        rows.append(
            {
                "label": str(field.label),
                "before": value_text(field, before),
                "after": value_text(field, after),
            }
        )
    return rows


def stored_value(value: Any) -> Any:
    """A field's value as the trail keeps it: codes and plain JSON, not words."""
    if isinstance(value, models.Model):  # named as the site's default language names it
        with translation.override(settings.LANGUAGE_CODE):
            return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


# --- The registry's own events ---------------------------------------------------------------


def _via(params: dict) -> str:
    return {"admin": _("In the admin")}.get(params.get("via", ""), "")


def _corrected(params: dict) -> str:
    if params.get("evaluated_on"):
        return _("Corrected in the evaluation of %(date)s.") % {"date": params["evaluated_on"]}
    return _via(params)


def _evaluated(params: dict) -> str:
    decision = params.get("decision", "")
    return str(dict(Evaluation.Decision.choices).get(decision, decision))


def _imported(params: dict) -> str:
    """An import of Komm's spreadsheet (channels.register.importing): which row, and whether it
    entered the register or corrected its entry."""
    if params.get("kind") == "updated":
        return _("Updated from row %(row)s of the imported file.") % {"row": params.get("row")}
    return _("Entered into the register from row %(row)s of the imported file.") % {
        "row": params.get("row")
    }


register_events(
    AuditEntry.Action,
    {
        AuditEntry.Action.CREATED: _via,
        AuditEntry.Action.EDITED: _via,
        AuditEntry.Action.REGISTRY_CORRECTED: _corrected,
        AuditEntry.Action.EVALUATED: _evaluated,
        AuditEntry.Action.IMPORTED: _imported,
    },
)

# The policy's own events (channels.policy): its publication, an update to a new template version.
register_events(PolicyEvent, POLICY_MESSAGES)
