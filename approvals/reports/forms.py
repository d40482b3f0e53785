"""The public report form (with a honeypot field) and Komm's decision form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.reports.models import SuspectedAccountReport


class ReportForm(forms.Form):
    address = forms.CharField(
        label=_("Address or handle of the account"),
        max_length=500,
        help_text=_("For example https://www.instagram.com/umu_fake or @umu_fake."),
    )
    reason = forms.CharField(
        label=_("What makes it suspicious?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For example: it uses the university's logo but is not in the register."),
    )
    contact = forms.CharField(
        label=_("Your e-mail or phone (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only if you want Komm to be able to ask you more. Used for nothing else."),
    )
    # The honeypot: hidden from people (and from screen readers) by the template, so only a
    # robot fills it in. No outside CAPTCHA service.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class ReportDecideForm(forms.Form):
    to = forms.ChoiceField(label=_("What was it?"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, report: SuspectedAccountReport, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = report.TRANSITIONS[report.state]
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        to.choices = [c for c in SuspectedAccountReport.State.choices if c[0] in allowed]
