"""Forms of the closure pages. The rules (what a step needs, who may do what) are services."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from approvals.models import Closure


class ClosureReasonForm(forms.Form):
    """Why a channel is closed, or why a closure is called off."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,  # the service says what is missing, in the words of the domain
    )


class ClosureChecklistForm(forms.Form):
    """The closure checklist. A ticked step stays ticked: its box and details are shown done."""

    archive_location = forms.CharField(
        label=capfirst(Closure._meta.get_field("archive_location").verbose_name),
        help_text=_("For example a folder in the records system, or a case number."),
        max_length=300,
        required=False,
    )
    account_outcome = forms.ChoiceField(
        label=capfirst(Closure._meta.get_field("account_outcome").verbose_name),
        choices=Closure.AccountOutcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, closure: Closure, **kwargs):
        super().__init__(*args, **kwargs)
        self.closure = closure
        self.fields["archive_location"].initial = closure.archive_location
        self.fields["account_outcome"].initial = closure.account_outcome
        for name, label in Closure.STEPS:
            done = bool(getattr(closure, name))
            self.fields[name] = forms.BooleanField(
                label=label, required=False, initial=done, disabled=done
            )
        if closure.final_archive_taken_at:
            self.fields["archive_location"].disabled = True
        if closure.account_done_at:
            self.fields["account_outcome"].disabled = True

    def step_fields(self):
        return [self[name] for name, _label in Closure.STEPS]

    def steps_done(self) -> set[str]:
        return {name for name, _label in Closure.STEPS if self.cleaned_data.get(name)}
