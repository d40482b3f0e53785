"""The wizard's people step: the responsible person and the deputies, named by the university
address they log in with (someone without an account yet becomes a pending person)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from channels.models import Channel
from channels.selectors import prefect_conflicts
from channels.services import staff_email_allowed
from channels.wizard.base import (
    DEPUTY_SLOTS,
    TEXTAREA,
    StepForm,
    person_or_pending,
    prefect_conflict_error,
    same_person,
    saved_person,
    staff_email_error,
)
from channels.wizard.spec import step_fields


class PeopleStepForm(StepForm):
    """The responsible person and the deputies, named by the e-mail address they log in with."""

    responsible_email = forms.EmailField(
        label=_("E-mail of the responsible person"),
        help_text=_("The member of staff the head of department appoints to run the channel."),
    )

    class Meta:
        model = Channel
        fields = step_fields("people")
        widgets = {"resources": TEXTAREA}
        help_texts = {
            "resources": _("Who runs the channel and how much time is set aside for it."),
        }

    def __init__(self, *args, editor=None, **kwargs):
        self.editor = editor
        super().__init__(*args, **kwargs)
        self.fields["responsible_phone"].required = True
        self.fields["responsible_phone"].label = _("Phone of the responsible person")
        for i in range(1, DEPUTY_SLOTS + 1):
            self.fields[f"deputy_{i}_email"] = forms.EmailField(
                label=_("E-mail of deputy %(n)s") % {"n": i}, required=(i == 1)
            )
            self.fields[f"deputy_{i}_phone"] = forms.CharField(
                label=_("Phone of deputy %(n)s") % {"n": i}, max_length=40, required=False
            )
        order = ["responsible_email", "responsible_phone"]
        order += [
            f"deputy_{i}_{part}" for i in range(1, DEPUTY_SLOTS + 1) for part in ("email", "phone")
        ]
        order += ["resources", "update_frequency"]
        self.order_fields(order)
        channel = self.instance
        if channel.pk and not self.is_bound:
            if channel.responsible_id:
                self.initial["responsible_email"] = channel.responsible.email
            for i, deputyship in enumerate(channel.deputyships.select_related("user"), start=1):
                if i > DEPUTY_SLOTS:
                    break
                self.initial[f"deputy_{i}_email"] = deputyship.user.email
                self.initial[f"deputy_{i}_phone"] = deputyship.phone

    @property
    def fieldsets(self):
        groups = [(_("Responsible person"), ["responsible_email", "responsible_phone"])]
        groups += [
            (_("Deputy %(n)s") % {"n": i}, [f"deputy_{i}_email", f"deputy_{i}_phone"])
            for i in range(1, DEPUTY_SLOTS + 1)
        ]
        groups.append((_("Resources"), ["resources", "update_frequency"]))
        return groups

    def _user_for(self, field: str):
        email = (self.cleaned_data.get(field) or "").strip()
        if not email:
            return None
        if not staff_email_allowed(email):
            self.add_error(field, staff_email_error())
            return None
        return person_or_pending(self, field, email)

    def clean(self):
        cleaned = super().clean()
        responsible = self._user_for("responsible_email")
        deputies = []
        seen = set()
        for i in range(1, DEPUTY_SLOTS + 1):
            email_field, phone_field = f"deputy_{i}_email", f"deputy_{i}_phone"
            # Read before _user_for: its error (an address outside the university, a
            # deactivated account) takes the field out of cleaned_data, and the address must
            # not then look missing as well.
            given = bool(cleaned.get(email_field)) or email_field in self.errors
            user = self._user_for(email_field)
            if not given:
                if cleaned.get(phone_field):
                    self.add_error(email_field, _("Give the e-mail of the deputy with this phone."))
                continue
            if user is None:
                continue
            if responsible is not None and same_person(user, responsible):
                self.add_error(email_field, _("The responsible person cannot also be a deputy."))
                continue
            if user.email in seen:
                self.add_error(email_field, _("Each deputy can be named only once."))
                continue
            if not cleaned.get(phone_field, "").strip():
                self.add_error(phone_field, _("Give a phone number for this deputy."))
                continue
            seen.add(user.email)
            deputies.append((user, cleaned[phone_field].strip()))
        people = [u for u, _phone in deputies] + ([responsible] if responsible else [])
        if (
            self.editor is not None
            and not self.errors
            and responsible is not None
            and not any(same_person(self.editor, u) for u in people)
        ):
            self.add_error(
                None,
                _(
                    "Name yourself as the responsible person or as a deputy: only they can see "
                    "and edit the registration."
                ),
            )
        if not self.errors:  # people named by a new address are made only for a valid form
            responsible = saved_person(responsible)
            deputies = [(saved_person(u), phone) for u, phone in deputies]
        self.responsible_user = responsible
        self.deputy_list = deputies
        self._check_not_the_prefect(responsible, deputies)
        return cleaned

    def _check_not_the_prefect(self, responsible, deputies) -> None:
        """The head of department approves the channel, so cannot also run it."""
        prefect_email = self.instance.prefect_email
        if responsible is not None and prefect_conflicts(
            prefect_email=prefect_email, people=[responsible]
        ):
            self.add_error("responsible_email", prefect_conflict_error())
        for i, (user, _phone) in enumerate(deputies, start=1):
            if prefect_conflicts(prefect_email=prefect_email, people=[user]):
                self.add_error(f"deputy_{i}_email", prefect_conflict_error())
