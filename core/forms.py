"""The one way a service's ValidationError reaches a form, and errors carried to the next page's
error summary."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

# A message with this tag is not shown in the page's status block (base.html) but in the error
# summary at the top of the page it leads to, which takes the focus, like a form's errors.
SUMMARY_TAG = "error-summary"


def refuse_for_summary(request, error: ValidationError) -> None:
    """A refused action that redirects: its reasons go to the next page's error summary."""
    for message in error.messages:
        messages.error(request, message, extra_tags=SUMMARY_TAG)


def summary_errors(request) -> list[str]:
    """The reasons `refuse_for_summary` carried to this page, for its error summary."""
    return [str(m) for m in messages.get_messages(request) if SUMMARY_TAG in m.tags.split()]


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: each error on the form's field of the same
    name (or the one `fields` maps it to), the rest at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = (fields or {}).get(name, name)
        for message in errors:
            form.add_error(target if target in form.fields else None, message)
