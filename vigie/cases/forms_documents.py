"""The form to attach a document: it only collects; the checks on the file are the service's."""

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import DocumentKind


class CaseDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of document"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For example: birth certificate, juvenile judge's order of 3 March."),
    )
    file = forms.FileField(
        label=_("File"),
        # The browser's file picker offers these first; the service checks the content anyway.
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, JPEG or PNG, %(limit)s at most. What the file carries besides its content "
            "(author, software, a photo's GPS position) is removed before it is stored, encrypted."
        ) % {"limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)}
