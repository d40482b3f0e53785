"""The form of the channel page (marking an approved channel as opened), and the choice of a
unit that every form shares."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
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


def _attributes(attrs: dict) -> str:
    """What Django's widgets/attrs.html writes: in order, True as a bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class UnitSelect(forms.Select):
    """Django's select for the list of units, written in Python: the template renderer includes
    a template per option, which at the university's 120 units and more cost each page with a
    unit filter about 10 ms. The markup is the project's select (templates/django/forms/widgets/
    select.html), "Choose …" for the empty choice included; channels/tests/test_forms.py renders
    both and compares."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "\n",
            '  <option value="{}"{}>{}</option>',
            (
                (
                    option["value"],
                    _attributes(option["attrs"]),
                    _("Choose …") if option["label"] == "---------" else option["label"],
                )
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            options,
        )


class UnitChoiceField(forms.ModelChoiceField):
    """A unit, listed by the name the reader sees (English names sorted in English)."""

    iterator = UnitChoiceIterator
    widget = UnitSelect

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
