"""The evaluation form: the evaluation itself and, if the entry is no longer correct, its
corrections."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import TextField
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from channels.models import Channel, Evaluation
from channels.wizard.base import TEXTAREA, at_least_one
from channels.wizard.spec import (
    REGISTRY_CORRECTABLE_FIELDS,
    REQUIRED_FOR_SUBMISSION,
    correction_groups,
)

# The yes/no questions every evaluation asks.
EVALUATION_QUESTIONS = ("meets_purpose", "duties_kept", "policy_current")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
REGISTRY_PREFIX = "registry_"
# The correctable fields of the entry, grouped as in the wizard. "address" only for active ones.
REGISTRY_FIELDSETS = correction_groups()
_REQUIRED_IN_REGISTRY = {name for names in REQUIRED_FOR_SUBMISSION.values() for name in names}


class EvaluationForm(forms.Form):
    """An evaluation of a running channel, with corrections of its entry if it is not correct.

    The entry's fields are named "registry_<field>" (the evaluation's own "response_time_hours"
    is a measured figure; the entry's is the promised one) and pre-filled with the stored values,
    so only what the user changes counts as a correction.
    """

    evaluated_on = forms.DateField(
        label=_("Date of the evaluation"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    summary = forms.CharField(
        label=_("What was done"),
        widget=TEXTAREA,
        help_text=_("How you evaluated the channel and what you found."),
    )
    meets_purpose = forms.TypedChoiceField(
        label=_("Does the channel meet its purpose for its audience?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    duties_kept = forms.TypedChoiceField(
        label=_(
            "Was the channel monitored as planned, and were questions answered within the "
            "promised response time?"
        ),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    policy_current = forms.TypedChoiceField(
        label=_(
            "Is the channel's policy still published where it was recorded, and is it current?"
        ),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    followers = forms.IntegerField(label=_("Followers"), min_value=0, required=False)
    posts = forms.IntegerField(
        label=_("Posts since the last evaluation"), min_value=0, required=False
    )
    response_time_hours = forms.IntegerField(
        label=_("Typical response time (hours)"), min_value=0, required=False
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Evaluation.Decision.choices, widget=forms.RadioSelect
    )
    registry_confirmed = forms.BooleanField(
        label=_("The registry entry is still correct"),
        required=False,
        initial=True,
        help_text=_("Untick this and correct the entry below if anything has changed."),
    )

    def __init__(self, *args, channel: Channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.fields["evaluated_on"].initial = timezone.localdate
        names = [n for n in REGISTRY_CORRECTABLE_FIELDS if self._correctable(n)]
        model_fields = forms.fields_for_model(
            Channel,
            fields=[n for n in names if n != "address"],
            widgets={
                n: TEXTAREA for n in names if isinstance(Channel._meta.get_field(n), TextField)
            },
        )
        for name in names:
            if name == "address":
                field = forms.URLField(
                    label=capfirst(Channel._meta.get_field("address").verbose_name),
                    max_length=500,
                    assume_scheme="https",
                )
            else:
                field = model_fields[name]
            field.label = str(field.label).capitalize()
            field.required = False  # required only when correcting; see clean()
            field.help_text = ""
            self.fields[REGISTRY_PREFIX + name] = field
            self.initial[REGISTRY_PREFIX + name] = getattr(channel, name)
        if "evaluation_interval_months" in names:
            months = self.fields[REGISTRY_PREFIX + "evaluation_interval_months"]
            at_least_one(cast(forms.IntegerField, months))  # the model's PositiveIntegerField
        self.registry_names = names

    def _correctable(self, name: str) -> bool:
        return name != "address" or self.channel.state == Channel.State.ACTIVE

    def get_fieldsets(self):
        """[(legend, [bound fields])] of the evaluation itself."""
        return [
            (None, [self[n] for n in ("evaluated_on", "summary", *EVALUATION_QUESTIONS)]),
            (
                _("Figures (optional)"),
                [self[n] for n in ("followers", "posts", "response_time_hours")],
            ),
            (None, [self["decision"]]),
        ]

    def get_registry_fieldsets(self):
        """[(legend, [bound fields])] of the entry's correctable fields."""
        groups = []
        for legend, names in REGISTRY_FIELDSETS:
            fields = [self[REGISTRY_PREFIX + n] for n in names if n in self.registry_names]
            if fields:
                groups.append((legend, fields))
        return groups

    @property
    def registry_open(self) -> bool:
        """Show the corrections: the user unticked the confirmation, or a correction has errors."""
        if not self.is_bound:
            return False
        unticked = not self.fields["registry_confirmed"].widget.value_from_datadict(
            self.data, self.files, self.add_prefix("registry_confirmed")
        )
        return unticked or any(REGISTRY_PREFIX + n in self.errors for n in self.registry_names)

    def _changed_registry_names(self) -> list[str]:
        return [n for n in self.registry_names if REGISTRY_PREFIX + n in self.changed_data]

    def clean(self):
        cleaned = super().clean()
        changed = self._changed_registry_names()
        if cleaned.get("registry_confirmed"):
            if changed:
                self.add_error(
                    "registry_confirmed",
                    _(
                        "You changed the registry entry: untick this box to save the "
                        "corrections, or undo them."
                    ),
                )
        else:
            if not changed and not any(
                REGISTRY_PREFIX + n in self.errors for n in self.registry_names
            ):
                self.add_error(
                    "registry_confirmed",
                    _("Correct the registry entry below, or tick that it is still correct."),
                )
            for name in self.registry_names:
                key = REGISTRY_PREFIX + name
                if name in _REQUIRED_IN_REGISTRY and key in cleaned and cleaned[key] in (None, ""):
                    self.add_error(key, _("This field is required."))
        return cleaned

    def corrections(self) -> dict:
        """The changed fields of the entry, by model field name (empty when it is confirmed)."""
        if self.cleaned_data.get("registry_confirmed"):
            return {}
        return {n: self.cleaned_data[REGISTRY_PREFIX + n] for n in self._changed_registry_names()}
