"""The one pattern for every state machine of the portal (Channel, Handover, Closure, ...).

A model with a `state` field declares `TRANSITIONS = {state: {states it may move to}}`. Its app
writes one `<entity>_transition(...)` service on top of `transition()` below, which adds the
audit entry. Nothing else assigns `state`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _


class IllegalTransition(ValidationError):
    """A move its state machine does not allow (approving a draft, ticking a closed checklist)."""


def transition(
    instance: models.Model,
    *,
    to: str,
    fields: dict[str, Any] | None = None,
    timestamp_field: str | None = None,
    refused: str | None = None,
) -> str:
    """Move `instance` to state `to`, or raise IllegalTransition. Returns the state it left.

    Locks the row (two concurrent decisions cannot both move it), checks the move against the
    model's TRANSITIONS as stored, not as the caller's copy says, and writes only `state`, the
    named `fields` and `timestamp_field` (set to now) with `update_fields`. The caller's instance
    gets the same values. Call it inside a transaction. `refused` is the message for an illegal
    move, with `%(state)s` for the state it is in (a generic one when not given).
    """
    # Any: the stubs know neither a model class's TRANSITIONS nor that it has `objects`.
    model: Any = type(instance)
    locked = model.objects.select_for_update().get(pk=instance.pk)
    from_state = locked.state
    if to not in model.TRANSITIONS[from_state]:
        labels = dict(model._meta.get_field("state").choices)
        if refused:
            raise IllegalTransition(refused % {"state": labels.get(from_state, from_state)})
        raise IllegalTransition(
            _("A %(what)s that is “%(state)s” cannot become “%(to)s”.")
            % {
                "what": model._meta.verbose_name,
                "state": labels.get(from_state, from_state),
                "to": labels.get(to, to),
            }
        )
    values = {"state": to, **(fields or {})}
    if timestamp_field:
        values[timestamp_field] = timezone.now()
    update_fields = list(values)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        update_fields.append("updated_at")
    for name, value in values.items():
        setattr(locked, name, value)
        setattr(instance, name, value)
    locked.save(update_fields=update_fields)
    if "updated_at" in update_fields:
        instance.updated_at = locked.updated_at  # type: ignore[attr-defined]  # checked above
    return from_state
