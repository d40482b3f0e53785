"""The public pages' forms: the directory's filters and the verify box."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from channels.forms import UnitChoiceField
from channels.models import Channel, Platform


class DirectoryFilterForm(forms.Form):
    """GET filters; every one optional, an invalid one is ignored rather than an error page."""

    q = forms.CharField(label=_("Name or handle"), required=False, max_length=200)
    platform = forms.ModelChoiceField(
        label=_("Platform"),
        queryset=Platform.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All platforms"),
    )
    unit = UnitChoiceField(
        label=_("Faculty or department"),
        required=False,
        empty_label=_("All units"),
        help_text=_("Includes the units under it."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("All languages")), *Channel.Language.choices],
        required=False,
    )

    def filters(self) -> dict:
        """The valid filters as keyword arguments of public_channels_filtered."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class VerifyForm(forms.Form):
    url = forms.CharField(
        label=_("Address or handle of the account"),
        max_length=500,
        help_text=_("For example https://www.instagram.com/umeauniversitet or @umeauniversitet."),
    )
