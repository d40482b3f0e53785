"""The shared choice of a unit: listed by the names the reader sees, in the reader's order."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.utils import translation

from channels.forms import UnitChoiceField
from channels.models import Unit
from channels.testing.factories import UnitFactory

pytestmark = pytest.mark.django_db


class UnitForm(forms.Form):
    unit = UnitChoiceField(label="Unit", empty_label="All units", queryset=Unit.objects.all())


def choices() -> list:
    field = UnitForm().fields["unit"]
    assert isinstance(field, UnitChoiceField)
    return list(field.iterator(field))


def listed(lang: str) -> list[str]:
    with translation.override(lang):
        return [str(label) for _value, label in choices()][1:]


def test_units_are_sorted_by_the_name_shown_in_each_language():
    Unit.objects.all().delete()
    UnitFactory(name="Arkeologi och antikens kultur", name_en="Ancient culture and archaeology")
    UnitFactory(name="Institutionen för fysik", name_en="Department of Physics")
    UnitFactory(name="Biologiska institutionen", name_en="Biology department")
    UnitFactory(name="Enheten utan engelskt namn", name_en="")

    assert listed("en") == [
        "Ancient culture and archaeology",
        "Biology department",
        "Department of Physics",
        "Enheten utan engelskt namn",
    ]
    assert listed("sv") == [
        "Arkeologi och antikens kultur",
        "Biologiska institutionen",
        "Enheten utan engelskt namn",
        "Institutionen för fysik",
    ]
    assert len(choices()) == 5  # the empty label and the four


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(("value", "empty_label"), [(None, "---------"), ("chosen", "All units")])
def test_the_unit_list_written_in_python_is_the_projects_select(language, value, empty_label):
    """channels.forms.UnitSelect renders what the template of every other select gives."""
    UnitFactory(name="Fysik & <kemi>", name_en='Physics "and" chemistry')
    chosen = UnitFactory(name="Teknat", name_en="Science and technology")

    class Filter(forms.Form):
        fast = UnitChoiceField(required=True, empty_label=empty_label)
        plain = UnitChoiceField(required=True, empty_label=empty_label, widget=forms.Select)

    initial = chosen.pk if value else None
    form = Filter(initial={"fast": initial, "plain": initial})
    with translation.override(language):
        fast, plain = str(form["fast"]), str(form["plain"])

    def shape(html: str) -> str:
        return re.sub(r">\s+<", "><", html.replace('name="plain"', 'name="fast"').strip())

    assert shape(fast) == shape(plain).replace('id="id_plain"', 'id="id_fast"')
    assert "Fysik &amp; &lt;kemi&gt;" in fast or "Physics &quot;and&quot; chemistry" in fast
    assert (f'value="{chosen.pk}" selected' in fast) == bool(value)
