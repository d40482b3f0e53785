"""The registration wizard, declared once: its steps, in order, and each step's fields.

Everything else that lists the wizard's fields is derived from this module: the step forms'
`Meta.fields`, what must be filled before submission (`channels.services`), the sections of
the review step and the channel page (`channel_tags`), the channel admin's fieldsets and what
the owner may correct on a running channel (the evaluation form). Change a step here and all of
them follow; `channels/tests/test_wizard_spec.py` fails if one of them drifts.

Plain data only, importing nothing of the app, so that the services (below the forms) can use it
without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class SpecField:
    """One of the channel's fields as the wizard treats it."""

    name: str
    # Must be filled before the registration can be submitted.
    required: bool = False
    # A row of its own on the review step and the channel page. The people are not: they are
    # shown as "name, e-mail, phone" from the responsible person and the deputyships.
    shown: bool = True
    # The owner may correct it on a running channel (in an evaluation) without registering
    # anew: the descriptive parts of the entry, never the people (that is a handover) nor the
    # organisation (the head of department approved it as it stands).
    correctable: bool = False
    # The step's form edits the model field as it is. False for the responsible person, whom
    # the form names by e-mail address.
    in_form: bool = True
    # Set by a workflow, never asked: shown on the page once set, read-only in the admin's
    # "Approval" section rather than in the step's.
    bookkeeping: bool = False
    # An answer only some registrations give (it depends on another answer): a row on the
    # review step and the channel page only when it has a value.
    shown_when_set: bool = False


@dataclass(frozen=True)
class WizardStep:
    slug: str
    title: StrOrPromise
    fields: tuple[SpecField, ...] = ()
    # The legend of this step's correctable fields in the evaluation form, when it is not the
    # step's title; steps with the same legend, one after the other, share one group.
    corrections_title: StrOrPromise | None = None

    def names(self, **flags: bool) -> tuple[str, ...]:
        """The names of the step's fields whose flags have the given values, in order."""
        return tuple(
            f.name for f in self.fields if all(getattr(f, k) == v for k, v in flags.items())
        )

    @property
    def form_fields(self) -> tuple[str, ...]:
        return self.names(in_form=True, bookkeeping=False)

    @property
    def admin_fields(self) -> tuple[str, ...]:
        return self.names(bookkeeping=False)

    @property
    def required_fields(self) -> tuple[str, ...]:
        return self.names(required=True)

    @property
    def shown_fields(self) -> tuple[str, ...]:
        return self.names(shown=True)

    @property
    def correctable_fields(self) -> tuple[str, ...]:
        return self.names(correctable=True)


F = SpecField

# The guideline's checklist, in the order the wizard asks it; the last step only reviews.
WIZARD_STEPS: tuple[WizardStep, ...] = (
    WizardStep(
        "platform",
        _("Platform and name"),
        (
            F("name", required=True),
            F("platform", required=True),
            F("address", required=True, correctable=True),
            F("address_is_planned"),
            F("language", required=True),
        ),
        corrections_title=_("Address"),
    ),
    WizardStep(
        "purpose",
        _("Purpose and audience"),
        (
            F("purpose", required=True, correctable=True),
            F("audience_primary", required=True, correctable=True),
            F("audience_secondary", correctable=True),
        ),
    ),
    WizardStep(
        "organisation",
        _("Sender and organisation"),
        (
            F("sender", required=True),
            F("sender_unit"),  # required when the sender is a unit: channel_missing_fields
            # Required when the sender is an individual employee: channel_missing_fields.
            F("sender_employee", shown_when_set=True),
            F("responsible_unit", required=True),
            F("operations_area", required=True),
            F("prefect_name", required=True),
            F("prefect_title"),
            F("prefect_email", required=True),
            F("prefect_other_reason"),
            F("prefect_approved_on", bookkeeping=True),
        ),
    ),
    WizardStep(
        "people",
        _("People and resources"),
        (
            F("responsible", required=True, shown=False, in_form=False),
            F("responsible_phone", shown=False),
            # The deputies are a relation, not a field: see channel_missing_fields.
            F("resources", required=True),
            F("update_frequency", required=True, correctable=True),
        ),
        corrections_title=_("Routines"),
    ),
    WizardStep(
        "routines",
        _("Routines"),
        (
            F("monitoring_who", required=True, correctable=True),
            F("monitoring_frequency", required=True, correctable=True),
            F("response_time_hours", required=True, correctable=True),
            F("archiving_routine", required=True, correctable=True),
            F("culling_routine", required=True, correctable=True),
        ),
    ),
    WizardStep(
        "policy",
        _("Policy and profile"),
        (
            F("policy_text", required=True, correctable=True),
            F("policy_location", required=True, correctable=True),
            F("graphic_profile_confirmed", required=True),
        ),
        corrections_title=_("Policy"),
    ),
    WizardStep(
        "evaluation",
        _("Evaluation and handover"),
        (
            F("evaluation_method", required=True, correctable=True),
            F("evaluation_interval_months", required=True, correctable=True),
            F("evaluation_first_date", required=True),
            F("handover_routine", required=True, correctable=True),
        ),
    ),
    WizardStep("review", _("Review and submit")),
)
WIZARD_STEPS_BY_SLUG = {step.slug: step for step in WIZARD_STEPS}

# Derived views of the spec, for the modules that need only one of them.

# {step slug: fields that must be filled before submission}, in the wizard's order.
REQUIRED_FOR_SUBMISSION: dict[str, tuple[str, ...]] = {
    step.slug: step.required_fields for step in WIZARD_STEPS if step.required_fields
}
# What the owner may correct on a running channel, in the wizard's order.
REGISTRY_CORRECTABLE_FIELDS: tuple[str, ...] = tuple(
    name for step in WIZARD_STEPS for name in step.correctable_fields
)


def step_fields(slug: str) -> list[str]:
    """The model fields the form of a step edits, for its `Meta.fields`."""
    return list(WIZARD_STEPS_BY_SLUG[slug].form_fields)


def correction_groups() -> list[tuple[StrOrPromise, list[str]]]:
    """[(legend, [field names])] of the correctable fields, grouped as in the wizard."""
    groups: list[tuple[StrOrPromise, list[str]]] = []
    for step in WIZARD_STEPS:
        names = list(step.correctable_fields)
        if not names:
            continue
        legend = step.corrections_title or step.title
        if groups and groups[-1][0] == legend:
            groups[-1][1].extend(names)
        else:
            groups.append((legend, names))
    return groups
