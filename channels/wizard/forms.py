# We deliberately do not use django-formtools: its wizard stores steps in the session, but
# drafts must live in the database so that they are on the owner's page tomorrow.
"""The registration wizard's forms, one per step, and the form to mark a channel opened.

Forms check input and say clearly what is wrong; the writes and the domain rules they share
with other callers live in `channels.services`. A step form is bound to a copy of the channel
read from the database, so the service still sees the stored values and can audit the changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from channels.forms import UnitChoiceField
from channels.models import Channel, Platform, Unit
from channels.selectors import channel_people, normalised_email, prefect_conflicts, unit_head
from channels.services import (
    channel_find_duplicate,
    platform_refusal,
    staff_email_allowed,
)
from channels.wizard.base import (
    TEXTAREA,
    StepForm,
    at_least_one,
    prefect_conflict_error,
    staff_email_error,
)
from channels.wizard.people import PeopleStepForm
from channels.wizard.spec import WIZARD_STEPS, step_fields


def _platform_choice_label(platform: Platform) -> str:
    if platform.managed_by_komm:
        return _("%(platform)s (managed by Komm: send your content to Komm instead)") % {
            "platform": platform.name
        }
    return platform.name


class PlatformStepForm(StepForm):
    # Declared, not generated, to say which scheme a bare "instagram.com/x" gets.
    address = forms.URLField(
        label=capfirst(Channel._meta.get_field("address").verbose_name),
        max_length=500,
        assume_scheme="https",
        help_text=Channel._meta.get_field("address").help_text,
    )

    class Meta:
        model = Channel
        fields = step_fields("platform")
        widgets = {"platform": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = Platform.objects.filter(is_active=True)
        self.fields["platform"].empty_label = None
        self.fields["platform"].label_from_instance = _platform_choice_label
        self.fields["address"].widget.attrs["placeholder"] = "https://"
        self.fields["name"].help_text = _(
            "Make clear that the university is responsible, e.g. “Umeå University – Physics”."
        )

    def clean_platform(self):
        platform = self.cleaned_data["platform"]
        refusal = platform_refusal(platform)
        if refusal:
            raise forms.ValidationError(refusal)
        return platform

    def clean(self):
        cleaned = super().clean()
        platform, address = cleaned.get("platform"), cleaned.get("address")
        if platform and address:
            if not platform.accepts_url(address):
                self.add_error(
                    "address",
                    _("Addresses on %(platform)s are on %(domains)s.")
                    % {"platform": platform.name, "domains": ", ".join(platform.domains)},
                )
            else:
                duplicate = channel_find_duplicate(
                    platform=platform, address=address, exclude_pk=self.instance.pk
                )
                if duplicate:
                    self.add_error(
                        "address",
                        _(
                            "This address on %(platform)s is already registered or pending as "
                            "“%(name)s” (%(state)s)."
                        )
                        % {
                            "platform": platform.name,
                            "name": duplicate.name,
                            "state": duplicate.get_state_display(),
                        },
                    )
        return cleaned


class PurposeStepForm(StepForm):
    class Meta:
        model = Channel
        fields = step_fields("purpose")
        widgets = {name: TEXTAREA for name in fields}
        help_texts = {
            "purpose": _("What function will the channel fill that existing channels do not?"),
            "audience_primary": _("Who the channel is mainly for."),
        }


class OrganisationStepForm(StepForm):
    fieldsets = [
        (_("Sender"), ["sender", "sender_unit", "sender_employee"]),
        (_("Organisation"), ["responsible_unit", "operations_area"]),
        (
            _("Head of department who approves the channel"),
            ["prefect_name", "prefect_title", "prefect_email", "prefect_other_reason"],
        ),
    ]

    class Meta:
        model = Channel
        fields = step_fields("organisation")
        widgets = {"sender": forms.RadioSelect, "prefect_other_reason": TEXTAREA}
        field_classes = {"sender_unit": UnitChoiceField, "responsible_unit": UnitChoiceField}
        help_texts = {
            "sender_unit": _("Needed when the university speaks through a unit."),
            "sender_employee": _(
                "Needed when the university speaks through an individual employee: their name "
                "or university e-mail address."
            ),
            "prefect_name": _(
                "Left empty, it is filled in with the head of the responsible unit as Komm keeps "
                "it. Name someone else only for an acting head, and say why."
            ),
            "prefect_email": _("The head of department is e-mailed a link to approve the channel."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.select_related("parent")
        self.fields["sender_unit"].queryset = units
        self.fields["responsible_unit"].queryset = units
        # Show the unit's registered head straight away, once the unit is known.
        head = unit_head(self.instance.responsible_unit) if not self.is_bound else None
        if head is not None and not self.instance.prefect_email:
            self.initial |= {"prefect_name": head.name, "prefect_title": head.title}
            self.initial["prefect_email"] = head.email

    def clean_prefect_email(self):
        email = self.cleaned_data["prefect_email"].strip()
        if email and not staff_email_allowed(email):
            raise forms.ValidationError(staff_email_error())
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sender") == Channel.Sender.UNIT and not cleaned.get("sender_unit"):
            self.add_error("sender_unit", _("Choose the unit the university speaks through."))
        if cleaned.get("sender") == Channel.Sender.EMPLOYEE:
            if not (cleaned.get("sender_employee") or "").strip():
                self.add_error(
                    "sender_employee",
                    _("Name the employee the university speaks through, or give their e-mail."),
                )
        elif "sender_employee" in cleaned:
            cleaned["sender_employee"] = ""  # an answer only an employee-sender gives
        self._clean_prefect(cleaned)
        return cleaned

    def _clean_prefect(self, cleaned: dict) -> None:
        """The unit's registered head by default; anyone else needs a reason, and never one of
        the channel's own people."""
        head = unit_head(cleaned.get("responsible_unit"))
        if head is not None and not cleaned.get("prefect_email"):
            cleaned["prefect_name"], cleaned["prefect_email"] = head.name, head.email
            cleaned["prefect_title"] = cleaned.get("prefect_title") or head.title
        email = cleaned.get("prefect_email") or ""
        other = head is not None and normalised_email(email) != head.email
        if head is not None and other and not (cleaned.get("prefect_other_reason") or "").strip():
            self.add_error(
                "prefect_other_reason",
                _(
                    "The head of %(unit)s is %(name)s. Say why someone else approves the "
                    "channel, for example an acting head."
                )
                % {"unit": head.unit, "name": head.name},
            )
        channel = self.instance
        people = [channel.created_by if channel.created_by_id else None]
        people += channel_people(channel) if channel.pk else []
        if email and prefect_conflicts(prefect_email=email, people=people):
            self.add_error("prefect_email", prefect_conflict_error())


class RoutinesStepForm(StepForm):
    fieldsets = [
        (_("Monitoring"), ["monitoring_who", "monitoring_frequency", "response_time_hours"]),
        (_("Archiving and culling"), ["archiving_routine", "culling_routine"]),
    ]

    class Meta:
        model = Channel
        fields = step_fields("routines")
        widgets = {
            "monitoring_who": TEXTAREA,
            "archiving_routine": TEXTAREA,
            "culling_routine": TEXTAREA,
        }
        help_texts = {
            "response_time_hours": _("As a public authority we answer questions promptly."),
            "archiving_routine": _("Follow the university's records management plan."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        at_least_one(self.fields["response_time_hours"])


class PolicyStepForm(StepForm):
    class Meta:
        model = Channel
        fields = step_fields("policy")
        widgets = {"policy_text": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "policy_text": _("Start from the university's template for channel policies."),
        }


class EvaluationStepForm(StepForm):
    class Meta:
        model = Channel
        fields = step_fields("evaluation")
        widgets = {
            "evaluation_method": TEXTAREA,
            "handover_routine": TEXTAREA,
            "evaluation_first_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "handover_routine": _(
                "How credentials and permissions are passed on when the responsible person "
                "changes or the channel is closed."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        at_least_one(self.fields["evaluation_interval_months"])

    def clean_evaluation_first_date(self):
        first = self.cleaned_data.get("evaluation_first_date")
        if first and first <= timezone.localdate():
            raise forms.ValidationError(_("The first evaluation must be a date in the future."))
        return first


@dataclass(frozen=True)
class Step:
    slug: str
    title: str | Promise
    form_class: type[StepForm] | None


# The form of each step that asks something; the steps themselves are the spec's.
STEP_FORMS: dict[str, type[StepForm]] = {
    "platform": PlatformStepForm,
    "purpose": PurposeStepForm,
    "organisation": OrganisationStepForm,
    "people": PeopleStepForm,
    "routines": RoutinesStepForm,
    "policy": PolicyStepForm,
    "evaluation": EvaluationStepForm,
}
# The wizard's steps, in the spec's order, each with its form (the review step has none).
STEPS = [Step(s.slug, s.title, STEP_FORMS.get(s.slug)) for s in WIZARD_STEPS]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
