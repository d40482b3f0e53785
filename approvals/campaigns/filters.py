"""The GET filters of Komm's lists of campaign notices and ad orders (as on the channel queue):
state, platform, a search in titles and channel names, the period, for ads the kind."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from approvals.review.forms import platform_filter_field

PERIOD_CHOICES = [
    ("", _("Any time")),
    ("week", _("This week")),
    ("coming", _("Coming")),
    ("past", _("Past")),
]


class KommListFilterForm(forms.Form):
    """Always bound: absent values take their defaults; a value that does not validate (an
    edited URL) falls back to its default and its error is shown."""

    state = forms.ChoiceField(label=_("State"), required=False)
    platform = platform_filter_field()
    q = forms.CharField(label=_("Search by title or channel"), required=False, max_length=200)
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False)

    def __init__(self, params, *, states: type[models.TextChoices], all_label, defaults=None):
        self.defaults = defaults or {}
        data = {**self.defaults, **{k: v for k, v in params.items() if v != ""}}
        super().__init__(data)
        self.fields["state"].choices = [("", all_label), *states.choices]  # type: ignore[attr-defined]
        if defaults and defaults.get("period"):  # a list by period: no "any time"
            self.fields["period"].choices = PERIOD_CHOICES[1:]  # type: ignore[attr-defined]

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {
            "state": data.get("state") or "",
            "platform": data.get("platform"),
            "search": data.get("q", ""),
            "period": data.get("period") or self.defaults.get("period", ""),
        }


def state_tabs(
    counts: dict[str, int], states: type[models.TextChoices], current: str, *, all_label, all_count
) -> list[dict]:
    """The pills above a list: each state with its count, then the default (all, or open)."""
    tabs = [
        {"value": value, "label": label, "count": counts[value], "current": value == current}
        for value, label in states.choices
    ]
    tabs.append({"value": "", "label": all_label, "count": all_count, "current": not current})
    return tabs
