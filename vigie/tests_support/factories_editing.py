"""Helpers for the tests of case editing and status (vigie/cases/tests/test_{editing,status,
history}.py)."""

from datetime import date
from typing import Any

from vigie.accounts.models import User
from vigie.cases.models import Case
from vigie.cases.services.editing import case_edit_values


def edit_form_data(case: Case, **overrides: Any) -> dict[str, Any]:
    """The edit form as a browser sends it for ``case`` untouched, at its version, then
    ``overrides`` (form values: strings, lists; True/False for checkboxes)."""
    values: dict[str, Any] = {**case_edit_values(case), "version": case.version, **overrides}
    data: dict[str, Any] = {}
    for name, value in values.items():
        if value is True:
            data[name] = "on"
        elif value is False or value is None:
            continue  # an unticked checkbox or an empty field is not sent
        elif isinstance(value, date):
            data[name] = value.isoformat()
        elif isinstance(value, User):
            data[name] = str(value.pk)
        elif isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)
    return data
