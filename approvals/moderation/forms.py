"""Forms of the moderation log. They shape input; what an entry needs is the service's to say."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from approvals.moderation.models import ModerationEntry
from approvals.moderation.selectors import active_blockings
from channels.forms import UnitChoiceField
from channels.models import Channel

Kind = ModerationEntry.Kind

# The fields each kind of entry asks for, in order (besides when it happened and attachments).
FIELDS_BY_KIND = {
    Kind.REMOVAL: ("what", "handle", "post_url", "ground", "ground_detail", "threat"),
    Kind.BLOCKING: ("handle", "ground", "ground_detail", "blocked_until", "what", "threat"),
    Kind.LIFTING: ("lifts", "what"),
    Kind.CRIME: (
        "what",
        "crime",
        "handle",
        "post_url",
        "reported_on",
        "police_case_number",
        "not_reported_reason",
        "threat",
    ),
    Kind.OTHER: ("what", "threat"),
}
DETAIL_FIELDS = (
    "what", "handle", "post_url", "ground", "ground_detail", "blocked_until", "lifts", "crime",
    "reported_on", "police_case_number", "not_reported_reason", "threat",
)  # fmt: skip


def _label(name: str) -> Any:
    """The model field's label, still lazy (translated when shown)."""
    field = ModerationEntry._meta.get_field(name)
    assert isinstance(field, models.Field)
    return capfirst(field.verbose_name)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class BlockingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.handle} ({obj.happened_at:%Y-%m-%d})"


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EntryForm(forms.Form):
    """One entry of a given kind: only that kind's fields are on the form."""

    happened_at = forms.DateTimeField(
        label=_("When it happened"), widget=_datetime_input(), required=False
    )
    what = forms.CharField(
        label=_("What"),
        help_text=_("A short description, or the text itself."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    handle = forms.CharField(label=_label("handle"), max_length=300, required=False)
    post_url = forms.URLField(
        label=_label("post_url"), max_length=500, required=False, assume_scheme="https"
    )
    ground = forms.ChoiceField(
        label=_label("ground"),
        help_text=_("The law's categories (SFS 1998:112 §5), the channel's policy, or other."),
        choices=[("", "—"), *ModerationEntry.Ground.choices],
        required=False,
    )
    ground_detail = forms.CharField(
        label=_label("ground_detail"),
        help_text=_("For a breach of the policy, name the rule; for other, say what."),
        max_length=300,
        required=False,
    )
    blocked_until = forms.DateTimeField(
        label=_label("blocked_until"),
        help_text=_("Leave empty if the blocking lasts until it is lifted."),
        widget=_datetime_input(),
        required=False,
    )
    lifts = BlockingChoiceField(
        label=_label("lifts"), queryset=ModerationEntry.objects.none(), required=False
    )
    crime = forms.CharField(label=_label("crime"), max_length=300, required=False)
    reported_on = forms.DateField(
        label=_label("reported_on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )
    police_case_number = forms.CharField(
        label=_label("police_case_number"), max_length=100, required=False
    )
    not_reported_reason = forms.CharField(
        label=_label("not_reported_reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    threat = forms.BooleanField(label=_label("threat"), required=False)
    attachments = MultipleFileField(
        label=_("Screenshots or PDFs"),
        help_text=_("PNG, JPEG, GIF, WebP or PDF, at most 10 MB each."),
        required=False,
    )
    correction_reason = forms.CharField(
        label=_("What was wrong in the entry you correct"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, channel: Channel, kind: str, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"happened_at", *FIELDS_BY_KIND[Kind(kind)], "attachments"}
        if correcting:
            keep.add("correction_reason")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "lifts" in self.fields:
            lifts = self.fields["lifts"]
            assert isinstance(lifts, forms.ModelChoiceField)
            lifts.queryset = active_blockings(channel)

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in DETAIL_FIELDS if name in self.fields}


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )


class KommFilterForm(PeriodForm):
    # Only the channels that have a log (not every channel of the registry), with the platform
    # each one's name shows joined in.
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.filter(
            pk__in=ModerationEntry.objects.order_by().values("channel_id")
        )
        .select_related("platform")
        .order_by("name", "pk"),
        required=False,
    )
    unit = UnitChoiceField(label=_("Unit"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Kind.choices], required=False)
    ground = forms.ChoiceField(
        label=_("Category"),
        choices=[("", "—"), *ModerationEntry.Ground.choices],
        required=False,
    )
