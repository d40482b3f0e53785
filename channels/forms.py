"""The form of the channel page (marking an approved channel as opened), and the choice of a
unit that every form shares."""

from __future__ import annotations

from html import escape

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from channels.models import Channel, Unit
from channels.selectors import unit_choices


class UnitChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        # Ordered when the choices are rendered, in the reader's language, not when the form
        # class was defined.
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.every_unit:  # the list every filter shows, kept (a page lists 120)
            yield from unit_choices()
            return
        for unit in self.queryset.in_language_order():
            yield self.choice(unit)

    def __len__(self):
        units = len(unit_choices()) if self.field.every_unit else self.queryset.count()
        return units + (1 if self.field.empty_label is not None else 0)


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
        # The widget's context without its options (Django builds a dict per option), then the
        # options straight from the choices: a select's options inherit no attributes, and the
        # first option whose value is chosen is selected.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen, has_selected = set(widget["value"]), False
        options = []
        for choice, label in self.choices:
            selected = not has_selected and str(choice) in chosen
            has_selected |= selected
            shown = _("Choose …") if label == "---------" else label
            # What format_html gives (django.utils.html.escape), without its lazy wrappers.
            options.append(
                f'  <option value="{escape(str(choice))}"{" selected" if selected else ""}>'
                f"{escape(str(shown))}</option>"
            )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            mark_safe("\n".join(options)),  # noqa: S308 (each part escaped above)
        )


class UnitChoiceField(forms.ModelChoiceField):
    """A unit, listed by the name the reader sees (English names sorted in English). Without a
    queryset, every unit, listed from channels.selectors.unit_choices."""

    iterator = UnitChoiceIterator
    widget = UnitSelect

    def __init__(self, queryset=None, **kwargs):
        self.every_unit = queryset is None
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
