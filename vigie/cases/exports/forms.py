"""The export forms: what the person chooses before a file is made."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .case_file import FilePurpose
from .case_list import ExportFormat, ExportIdentities


class CaseListExportForm(forms.Form):
    """The list's filters come with the page's address (the list's own form reads them)."""

    export_format = forms.ChoiceField(
        label=_("File format"),
        choices=ExportFormat.choices,
        initial=ExportFormat.XLSX,
        widget=forms.RadioSelect,
    )
    identities = forms.ChoiceField(
        label=_("Identities"),
        choices=ExportIdentities.choices,
        initial=ExportIdentities.PSEUDONYMOUS,
        widget=forms.RadioSelect,
        help_text=_(
            "Export identities only when the recipient needs them: the file then holds names "
            "and birth dates of children in danger."
        ),
    )


class CaseFileExportForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose of the export"),
        choices=FilePurpose.choices,
        widget=forms.RadioSelect,
        help_text=_("Recorded in the file's access log."),
    )
    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (get_language() or "fr")[:2]
        self.fields["language"].initial = (
            current if current in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        )
