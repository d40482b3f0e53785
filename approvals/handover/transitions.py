"""The handover's state machine: its one writer of `state` (core.states' pattern).

Kept apart from the handover's services because the sign-off workflow moves a handover too (the
head of department's decision), and the handover's services in turn ask for a sign-off.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from approvals.models import Handover
from channels.services import audit_record
from core.states import IllegalTransition, transition


def handover_require_state(handover: Handover, *states: str) -> None:
    """Refuse unless the handover is in one of `states` (for the checklist, which works inside a
    state rather than moving it)."""
    if handover.state not in states:
        raise IllegalTransition(
            _("The handover is “%(state)s”; this cannot be done now.")
            % {"state": handover.get_state_display()}
        )


def handover_lock(handover: Handover, *states: str) -> Handover:
    """Lock the handover's row and refuse unless it is in one of `states`. With no `states` it
    is locked in whatever state it is, for a service that asks who acts before it asks when
    (then `handover_require_state`)."""
    locked = Handover.objects.select_for_update().select_related("channel").get(pk=handover.pk)
    if states:
        handover_require_state(locked, *states)
    return locked


def handover_transition(
    *,
    handover: Handover,
    to: str,
    action: str,
    actor=None,
    actor_name: str = "",
    reason: str = "",
    params: dict | None = None,
    changes: dict | None = None,
    fields: dict | None = None,
    timestamp_field: str | None = None,
) -> Handover:
    """Move a handover to another state, or raise IllegalTransition; audited on its channel."""
    transition(
        handover,
        to=to,
        fields=fields,
        timestamp_field=timestamp_field,
        refused=_("The handover is “%(state)s”; this cannot be done now."),
    )
    audit_record(
        channel=handover.channel,
        action=action,
        actor=actor,
        actor_name=actor_name,
        reason=reason,
        params=params,
        changes=changes,
    )
    return handover
