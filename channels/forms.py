"""The form of the channel page: marking an approved channel as opened."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from channels.models import Channel


class OpenForm(forms.Form):
    """The owner marks an approved channel opened; the live address if it was only planned."""

    address = forms.URLField(
        label=_("Live address of the channel"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The address where the channel can now be found."),
    )

    def __init__(self, *args, channel: Channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        if channel.address_is_planned:
            self.initial.setdefault("address", channel.address)
        else:
            del self.fields["address"]
