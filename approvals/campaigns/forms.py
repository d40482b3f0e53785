"""Forms of the campaign notice pages. What a notice needs is the services' to say."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.campaigns.models import CampaignNotice


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ChannelsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return str(obj)


class CampaignNoticeForm(forms.ModelForm):
    """A campaign notice. The channels offered are the user's running ones."""

    channels = ChannelsField(label=_("Channels"), queryset=None, required=False)

    class Meta:
        model = CampaignNotice
        fields = ["channels", "title", "starts_on", "ends_on", "goal", "audience", "content"]
        fields += ["contact"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "audience": forms.Textarea(attrs={"rows": 2}),
            "content": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "content": _("The posts, films or stories planned, and how often."),
            "contact": _("Name and e-mail of whom Komm can ask."),
        }

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = channels
        # The service says what is missing, in the words of the domain.
        for field in self.fields.values():
            field.required = False

    def _post_clean(self) -> None:
        """No model validation here: the service validates, so its messages are the ones."""


class CampaignAnswerForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the sender"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
