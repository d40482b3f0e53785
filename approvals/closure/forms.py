"""Forms of the closure pages. The rules (what a step needs, who may do what) are services."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from approvals.closure.selectors import closure_steps
from approvals.models import Closure


def ticked_text(step: dict) -> str:
    """When a ticked step of the checklist was ticked, and by whom (closure_steps)."""
    when = date_format(localtime(step["done_at"]), "SHORT_DATETIME_FORMAT")
    if step["done_by"]:
        return gettext("Ticked %(when)s by %(who)s.") % {"when": when, "who": step["done_by"]}
    return gettext("Ticked %(when)s.") % {"when": when}


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
        for step in closure_steps(closure):
            done = bool(step["done_at"])
            self.fields[step["name"]] = forms.BooleanField(
                label=step["label"],
                required=False,
                initial=done,
                disabled=done,
                help_text=ticked_text(step) if done else "",
            )
        if closure.final_archive_taken_at:
            self.fields["archive_location"].disabled = True
        if closure.account_done_at:
            self.fields["account_outcome"].disabled = True

    def step_fields(self):
        return [self[name] for name, _label in Closure.STEPS]

    def steps_done(self) -> set[str]:
        return {name for name, _label in Closure.STEPS if self.cleaned_data.get(name)}
