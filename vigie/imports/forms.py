"""Forms of the import pages: the file, the choice of a saved mapping, the mapping of columns.

They only shape the input; what a file, a mapping or a row may hold is checked by
vigie/imports/services/, whose errors come back on the fields they name (see
``mapping_errors_add``).
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vigie.core.forms import form_errors_add

from .fields import ImportField

# What the browser's file picker offers first; the service judges the content, not the name.
ACCEPTED_FILES = ",".join(
    (
        ".csv",
        "text/csv",
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".json",
        "application/json",
    )
)
# The select's value for a field the file does not hold.
NOT_IN_FILE = ""
# Form field names of the mapping form are prefixed: an import field could otherwise share its
# name with the form's own fields (the mapping's name, the CSRF token).
FIELD_PREFIX = "column_"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File to import"),
        widget=forms.FileInput(attrs={"accept": ACCEPTED_FILES}),
    )

    def __init__(self, *args: Any, limit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Accepted formats: CSV (UTF-8, cells separated by “;” or “,”; the first line names "
            "the columns), Excel XLSX (the first sheet is read, its first line names the "
            "columns) or JSON (a list of objects, one per row, whose keys name the columns). "
            "At most %(limit)s."
        ) % {"limit": limit}


class SavedMappingForm(forms.Form):
    """Which saved mapping to start from (a GET form: it changes nothing)."""

    modele = forms.ChoiceField(label=_("Saved mapping"))

    def __init__(self, *args: Any, mappings: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(mapping.uuid), mapping.name) for mapping in mappings]
        self.fields["modele"].choices = choices  # type: ignore[attr-defined]


class ImportMappingForm(forms.Form):
    """One select per field of the target, listing the file's columns."""

    mapping_name = forms.CharField(
        label=_("Save this mapping as"),
        required=False,
        max_length=100,
        strip=True,
        help_text=_(
            "A name to find it again for your next file (for example: “Export of our former "
            "spreadsheet”). Leave empty not to save it."
        ),
    )

    def __init__(
        self,
        *args: Any,
        import_fields: Sequence[ImportField],
        headers: Sequence[str],
        columns: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.import_fields = list(import_fields)
        choices = [(NOT_IN_FILE, _("Not in the file"))] + [(h, h) for h in headers if h]
        known = {h for h in headers if h}
        name_field = self.fields.pop("mapping_name")
        for field in self.import_fields:
            initial = (columns or {}).get(field.name, NOT_IN_FILE)
            self.fields[FIELD_PREFIX + field.name] = forms.ChoiceField(
                label=str(field.label),
                choices=choices,
                required=field.required,
                initial=initial if initial in known else NOT_IN_FILE,
                help_text=str(field.help),
                error_messages={
                    "required": _("Choose the column of the file that holds this field."),
                    "invalid_choice": _("This column is not in the file."),
                },
            )
        # Last, after the columns.
        self.fields["mapping_name"] = name_field

    def columns(self) -> dict[str, str]:
        """{field name: header} of the fields found in the file (the service's format)."""
        return {
            field.name: self.cleaned_data[FIELD_PREFIX + field.name]
            for field in self.import_fields
            if self.cleaned_data.get(FIELD_PREFIX + field.name)
        }


def mapping_errors_add(form: ImportMappingForm, error: ValidationError) -> None:
    """A service's errors on the mapping: those naming an import field go on its select."""
    if hasattr(error, "error_dict"):
        prefixed = {
            (FIELD_PREFIX + key if FIELD_PREFIX + key in form.fields else key): value
            for key, value in error.error_dict.items()
        }
        error = ValidationError(prefixed)
    form_errors_add(form, error)
