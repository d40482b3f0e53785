"""The form of the channel page (marking an approved channel as opened), and the choice of a
unit that every form shares."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from channels.models import Channel, Unit


class UnitChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        # Ordered when the choices are rendered, in the reader's language, not when the form
        # class was defined.
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit in self.queryset.in_language_order():
            yield self.choice(unit)

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit, listed by the name the reader sees (English names sorted in English)."""

    iterator = UnitChoiceIterator

    def __init__(self, queryset=None, **kwargs):
        super().__init__(Unit.objects.all() if queryset is None else queryset, **kwargs)


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
