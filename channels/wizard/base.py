"""What every form of the wizard shares: the step form's base, widgets, and naming people by
their university address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from channels.wizard.spec import WIZARD_STEPS
from core.people import person_for_email

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

User = get_user_model()

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DEPUTY_SLOTS = 3


def staff_domains_text() -> str:
    return ", ".join("@" + d for d in settings.STAFF_EMAIL_DOMAINS)


def person_or_pending(form: forms.BaseForm, field: str, email: str):
    """The member of staff with this address; for an address no account has yet, an unsaved
    pending person (`saved_person` makes it once the whole form is valid); None, with an error
    on `field`, for a deactivated account."""
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        return User(email=email.lower())
    if not user.is_active:
        form.add_error(
            field, _("This person's account is deactivated. Name someone who works here now.")
        )
        return None
    return user


def same_person(one, other) -> bool:
    """Addresses are unique regardless of case, and the unsaved pending people have no pk."""
    return (one.email or "").lower() == (other.email or "").lower() and bool(one.email)


def saved_person(user):
    """A named person with an account: a pending person is made for a new address."""
    if user is None or user.pk is not None:
        return user
    return person_for_email(email=user.email)[0]


def at_least_one(field: forms.IntegerField) -> None:
    field.min_value = 1
    field.validators.append(MinValueValidator(1))
    field.widget.attrs["min"] = 1


def prefect_conflict_error():
    return _(
        "The head of department approves the channel, so cannot also be its applicant, "
        "responsible person or deputy."
    )


def staff_email_error():
    return _("Use a university e-mail address (ending in %(domains)s).") % {
        "domains": staff_domains_text()
    }


# What must be filled before submission (the spec), though a step may be saved without it.
REQUIRED_FOR_SUBMISSION = {name for step in WIZARD_STEPS for name in step.required_fields}
CHOSEN = (forms.RadioSelect, forms.Select, forms.CheckboxInput, forms.CheckboxSelectMultiple)


def required_message(field: forms.Field) -> str:
    """ "Fill in “Purpose”." rather than Django's "This field is required.": the summary and the
    field say which answer is missing."""
    label = str(field.label or "")
    if isinstance(field.widget, forms.CheckboxInput):
        return _("Tick “%(label)s”.") % {"label": label}
    if isinstance(field.widget, CHOSEN):
        return _("Choose an answer to “%(label)s”.") % {"label": label}
    return _("Fill in “%(label)s”.") % {"label": label}


class StepForm(forms.ModelForm):
    """A wizard step: a subset of the channel's fields. `fieldsets` groups them for display."""

    fieldsets: list[tuple[StrOrPromise | None, list[str]]] = []

    def mark_required(self) -> None:
        """Every answer the submission needs is marked (aria-required, and a "*" drawn by the
        style sheet where the form itself does not require it yet) and, when missing, named in
        its error. Idempotent: the steps add fields in their own __init__."""
        for name, field in self.fields.items():
            # A radio button cannot carry aria-required (its group would); a required group is
            # marked by crispy-forms on its legend and by `required` on its buttons.
            group = isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
            if (name in REQUIRED_FOR_SUBMISSION or field.required) and not group:
                field.widget.attrs["aria-required"] = "true"
            field.error_messages["required"] = required_message(field)

    def full_clean(self):
        self.mark_required()
        super().full_clean()

    def get_fieldsets(self):
        self.mark_required()
        groups = self.fieldsets or [(None, list(self.fields))]
        return [(legend, [self[name] for name in names]) for legend, names in groups]

    def channel_data(self) -> dict:
        """The values to hand to channel_update: the step's own model fields."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}
