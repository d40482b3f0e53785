"""Forms of Komm's queue and review pages. The decisions themselves are services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.models import KommReview
from approvals.review.selectors import QUEUE_ALL, QUEUE_DEFAULT_STATE, QUEUE_STATES
from channels.forms import UnitChoiceField
from channels.models import Channel, Platform

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _state_choices() -> list[tuple[str, StrOrPromise]]:
    choices: list[tuple[str, StrOrPromise]] = [
        (state, Channel.State(state).label) for state in QUEUE_STATES
    ]
    return [*choices, (QUEUE_ALL, _("All states"))]


def platform_filter_field() -> forms.ModelChoiceField:
    """The platform filter of Komm's lists (this queue, the campaign notices, the ad orders)."""
    return forms.ModelChoiceField(
        label=_("Platform"),
        queryset=Platform.objects.all(),
        required=False,
        empty_label=_("All platforms"),
    )


class QueueFilterForm(forms.Form):
    """The queue's GET filter. Always bound: absent values take their defaults."""

    DEFAULTS = {"state": QUEUE_DEFAULT_STATE, "sort": "oldest"}

    state = forms.ChoiceField(label=_("State"), choices=_state_choices, required=False)
    platform = platform_filter_field()
    unit = UnitChoiceField(
        label=_("Responsible unit"),
        required=False,
        empty_label=_("All units"),
    )
    q = forms.CharField(label=_("Search by name or address"), required=False, max_length=200)
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[
            ("oldest", _("Waiting longest first")),
            ("newest", _("Newest first")),
        ],
        required=False,
    )

    def __init__(self, params, *args, **kwargs):
        data = {**self.DEFAULTS, **{k: v for k, v in params.items() if v != ""}}
        super().__init__(data, *args, **kwargs)

    def filters(self) -> dict:
        """The valid filters as keyword arguments of the queue selectors; a value that does not
        validate (an edited URL) falls back to its default and its error is shown."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "state": data.get("state") or QUEUE_DEFAULT_STATE,
            "platform": data.get("platform"),
            "unit": data.get("unit"),
            "search": data.get("q", ""),
            "newest_first": data.get("sort") == "newest",
        }


class ReviewDecisionForm(forms.Form):
    """Komm's decision. Whether a comment is needed is the service's rule (review_decide)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (KommReview.Decision.APPROVED, _("Approve the channel")),
            (KommReview.Decision.CHANGES_REQUESTED, _("Request changes from the owner")),
            (KommReview.Decision.REJECTED, _("Reject the channel")),
        ],
        error_messages={"required": _("Choose a decision.")},
    )
    comment = forms.CharField(
        label=_("Comment to the owner"),
        help_text=_(
            "Required when you request changes or reject: say what to change, or why the channel "
            "is rejected. The owner receives it by e-mail."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=4000,
    )
    case_number = forms.CharField(
        label=_("Case number (diarienummer), optional"),
        required=False,
        max_length=50,
    )
