"""Forms of the ad order pages. What an order needs is the services' to say."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.adorders.models import AdOrder
from approvals.campaigns.filters import KommListFilterForm
from approvals.campaigns.forms import ChannelsField, DateInput


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class AdOrderForm(forms.ModelForm):
    """An order. The channels offered are the user's running ones."""

    channels = ChannelsField(label=_("Channels"), queryset=None, required=False)
    # A text field, so that "abc" or "0" reaches the service and gets its clear message.
    budget = forms.CharField(label=_("Budget (SEK)"), required=False)
    # Text, not a URLField: the service says what a landing page must be (on umu.se).
    landing_page = forms.CharField(
        label=_("Landing page"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "https://www.umu.se/"}),
    )
    attachments = MultipleFileField(
        label=_("Creatives"),
        required=False,
        help_text=_("Images (PNG, JPEG, GIF, WebP), films (MP4) or PDF, at most 10 MB each."),
    )

    class Meta:
        model = AdOrder
        fields = ["kind", "channels", "title", "starts_on", "ends_on", "budget"]
        fields += ["target_group", "landing_page", "cost_centre", "notes"]
        widgets = {
            "kind": forms.RadioSelect,
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "target_group": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = channels
        for field in self.fields.values():
            field.required = False

    def clean_budget(self):
        """A whole number if it is one; otherwise the text, for the service to refuse."""
        value = self.cleaned_data["budget"].replace(" ", "").strip()
        return int(value) if value.lstrip("-").isdigit() else value

    def _post_clean(self) -> None:
        """No model validation here: the service validates, so its messages are the ones."""


class AdOrderMoveForm(forms.Form):
    to = forms.ChoiceField(choices=AdOrder.State.choices)
    reason = forms.CharField(
        label=_("Reason (needed to decline)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class AdOrderFilterForm(KommListFilterForm):
    """Komm's list of orders: the common filters and the kind; no state means the open ones."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, params):
        super().__init__(params, states=AdOrder.State, all_label=_("Open orders"))
        self.fields["kind"].choices = [("", _("All kinds")), *AdOrder.Kind.choices]

    def filters(self) -> dict:
        return {**super().filters(), "kind": self.cleaned_data.get("kind") or ""}


class AdCreativesForm(forms.Form):
    """More creatives for an order already sent; the service checks them as when ordering."""

    attachments = MultipleFileField(
        label=_("Add creatives"),
        required=False,
        help_text=AdOrderForm.base_fields["attachments"].help_text,
    )
