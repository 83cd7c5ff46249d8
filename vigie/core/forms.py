"""Form helpers every app's views share."""

from django import forms
from django.core.exceptions import ValidationError


def form_errors_add(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: each message on the field it names, and on the
    whole form when the field is not one the form shows (or no field is named)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
