"""Forms of the handover pages. The rules themselves live in `approvals.handover.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.models import Handover
from channels.services import staff_email_allowed
from channels.wizard.base import (
    DEPUTY_SLOTS,
    person_or_pending,
    same_person,
    saved_person,
    staff_domains_text,
)


class HandoverStartForm(forms.Form):
    """The new responsible person and, if they change too, the new deputies, by e-mail."""

    new_responsible_email = forms.EmailField(
        label=_("E-mail of the new responsible person"),
        help_text=_("The member of staff who takes over. The head of department appoints them."),
    )
    new_responsible_phone = forms.CharField(
        label=_("Phone of the new responsible person"), max_length=40
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=Handover.Reason.choices, widget=forms.RadioSelect
    )
    reason_text = forms.CharField(
        label=_("More about the reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is “Other”. The head of department reads this."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, DEPUTY_SLOTS + 1):
            self.fields[f"deputy_{i}_email"] = forms.EmailField(
                label=_("E-mail of new deputy %(n)s") % {"n": i},
                required=False,
                help_text=_("Leave the deputies empty to keep the current ones.") if i == 1 else "",
            )
        self.order_fields(
            ["new_responsible_email", "new_responsible_phone"]
            + [f"deputy_{i}_email" for i in range(1, DEPUTY_SLOTS + 1)]
            + ["reason", "reason_text"]
        )
        self.new_responsible = None
        self.new_deputies: list = []

    def _user_for(self, field: str):
        email = (self.cleaned_data.get(field) or "").strip()
        if not email:
            return None
        if not staff_email_allowed(email):
            self.add_error(
                field,
                _("Use a university e-mail address (ending in %(domains)s).")
                % {"domains": staff_domains_text()},
            )
            return None
        return person_or_pending(self, field, email)

    def clean(self):
        cleaned = super().clean()
        self.new_responsible = self._user_for("new_responsible_email")
        seen = set()
        for i in range(1, DEPUTY_SLOTS + 1):
            field = f"deputy_{i}_email"
            user = self._user_for(field)
            if user is None:
                continue
            if self.new_responsible is not None and same_person(user, self.new_responsible):
                self.add_error(field, _("The responsible person cannot also be a deputy."))
            elif user.email in seen:
                self.add_error(field, _("Each deputy can be named only once."))
            else:
                seen.add(user.email)
                self.new_deputies.append(user)
        if not self.errors:  # people named by a new address are made only for a valid form
            self.new_responsible = saved_person(self.new_responsible)
            self.new_deputies = [saved_person(user) for user in self.new_deputies]
        return cleaned


class HandoverCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the handover cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the handover is cancelled.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="cancel", **kwargs)
