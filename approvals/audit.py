"""The workflows' events in a channel's audit trail, and what each says (channels.audit).

Registered by ApprovalsConfig.ready(); entries keep only the codes and params below.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.models import Closure, Handover
from channels import audit


class Event(models.TextChoices):
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    SIGNOFF_REQUESTED = (
        "signoff_requested",
        gettext_lazy("Sign-off link sent to head of department"),
    )
    PREFECT_APPROVED = "prefect_approved", gettext_lazy("Approved by head of department")
    PREFECT_DECLINED = "prefect_declined", gettext_lazy("Declined by head of department")
    KOMM_APPROVED = "komm_approved", gettext_lazy("Approved by Komm")
    CHANGES_REQUESTED = "changes_requested", gettext_lazy("Changes requested by Komm")
    KOMM_REJECTED = "komm_rejected", gettext_lazy("Rejected by Komm")
    FLAGGED_FOR_HANDOVER = "flagged_for_handover", gettext_lazy("Flagged as needing a handover")
    HANDOVER_STARTED = "handover_started", gettext_lazy("Handover started")
    HANDOVER_APPROVED = "handover_approved", gettext_lazy("Handover approved by head of department")
    HANDOVER_DECLINED = "handover_declined", gettext_lazy("Handover declined by head of department")
    HANDOVER_ACCEPTED = (
        "handover_accepted",
        gettext_lazy("Handover accepted by the new responsible person"),
    )
    HANDOVER_STEP = "handover_step", gettext_lazy("Handover step done")
    HANDOVER_COMPLETED = "handover_completed", gettext_lazy("Handover completed")
    HANDOVER_CANCELLED = "handover_cancelled", gettext_lazy("Handover cancelled")
    CLOSURE_STARTED = "closure_started", gettext_lazy("Closure started")
    CLOSURE_STEP = "closure_step", gettext_lazy("Closure step done")
    CLOSURE_CONFIRMED = "closure_confirmed", gettext_lazy("Closure confirmed by Komm")
    CLOSURE_CANCELLED = "closure_cancelled", gettext_lazy("Closure cancelled")


def _sent_to(params: dict) -> str:
    return _("Sent to %(name)s <%(email)s>") % params


def _handover_started(params: dict) -> str:
    reason = str(dict(Handover.Reason.choices).get(params["reason"], params["reason"]))
    if params.get("reason_text"):
        reason = f"{reason}: {params['reason_text']}"
    return _("To %(name)s <%(email)s>. Reason: %(reason)s") % {**params, "reason": reason}


def _appointed(params: dict) -> str:
    return _("%(name)s appointed as responsible person") % params


def _step(steps) -> audit.Message:
    labels = dict(steps)
    return lambda params: str(labels.get(params["step"], params["step"]))


def _departed(params: dict) -> str:
    roles = {"responsible": _("%(name)s (responsible person)"), "deputy": _("%(name)s (deputy)")}
    people = ", ".join(roles[role] % {"name": name} for name, role in params["people"])
    return _("No longer working here: %(people)s") % {"people": people}


def register() -> None:
    audit.register_events(
        Event,
        {
            Event.SIGNOFF_REQUESTED: _sent_to,
            Event.HANDOVER_STARTED: _handover_started,
            Event.HANDOVER_APPROVED: _appointed,
            Event.HANDOVER_STEP: _step(Handover.STEPS),
            Event.CLOSURE_STEP: _step(Closure.STEPS),
            Event.FLAGGED_FOR_HANDOVER: _departed,
        },
    )
    for name in ("archive_location", "account_outcome"):
        field: Any = Closure._meta.get_field(name)
        choices = Closure.AccountOutcome if name == "account_outcome" else None
        audit.register_field(name, field.verbose_name, choices)
