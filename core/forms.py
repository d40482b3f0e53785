"""The one way a service's ValidationError reaches a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


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
