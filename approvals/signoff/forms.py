"""Forms of the head of department's sign-off page. The decisions themselves are services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SignoffApproveForm(forms.Form):
    """Approving also appoints the named responsible person, so the prefect confirms that."""

    appoint = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Tick the box to confirm that you appoint the responsible person.")
        },
    )

    def __init__(self, *args, responsible_name: str, **kwargs):
        kwargs["prefix"] = "approve"
        super().__init__(*args, **kwargs)
        self.fields["appoint"].label = _("I appoint %(name)s as responsible for the channel") % {
            "name": responsible_name
        }


class SignoffDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        help_text=_("The applicant reads this and can change the registration accordingly."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Say why you decline, so the applicant can act on it.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="decline", **kwargs)
