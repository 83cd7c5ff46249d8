"""The case list's filters and search box (a GET form: every value is in the page's address)."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CareStatus, CaseStatus, ExploitationForm
from .selectors import (
    AgeBand,
    CaseCursor,
    CaseListFilters,
    RightsDue,
    StatusFilter,
    WorkerFilter,
)

ANY = ("", _("Any"))


class CaseListForm(forms.Form):
    q = forms.CharField(
        label=_("Reference or full name"),
        max_length=200,
        required=False,
        help_text=_("A case reference, or the child's exact first and last name."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*StatusFilter.choices, *CaseStatus.choices],
        required=False,
    )
    rights_due = forms.ChoiceField(
        label=_("Rights due"), choices=[ANY, *RightsDue.choices], required=False
    )
    exploitation_form = forms.ChoiceField(
        label=_("Form of exploitation"), choices=[ANY, *ExploitationForm.choices], required=False
    )
    age_band = forms.ChoiceField(
        label=_("Age"),
        choices=[ANY, *AgeBand.choices],
        required=False,
        help_text=_("A disputed age counts as a minor."),
    )
    care_status = forms.ChoiceField(
        label=_("Care status"), choices=[ANY, *CareStatus.choices], required=False
    )
    worker = forms.ChoiceField(label=_("Caseworker"), required=False)
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, workers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["worker"]).choices = [
            ANY,
            *WorkerFilter.choices,
            *((str(worker.uuid), worker.full_name) for worker in workers),
        ]

    def clean_status(self) -> str:
        return str(self.cleaned_data["status"] or StatusFilter.ACTIVE)

    def clean_after(self) -> CaseCursor | None:
        value = self.cleaned_data["after"]
        if not value:
            return None
        try:
            return CaseCursor.decode(value)
        except ValueError:
            raise forms.ValidationError(
                _("This page link is not valid: start again from the first page."),
                code="invalid_cursor",
            ) from None

    def filters(self) -> CaseListFilters:
        data = self.cleaned_data
        return CaseListFilters(
            status=data["status"],
            rights_due=data["rights_due"],
            exploitation_form=data["exploitation_form"],
            age_band=data["age_band"],
            care_status=data["care_status"],
            worker=data["worker"],
            search=data["q"],
        )

    def query_without_cursor(self) -> str:
        """The filters as a query string, for the next page's and the first page's links."""
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for name in self.fields:
            value = self.data.get(name, "") if self.is_bound else ""
            if name != "after" and value:
                query[name] = value
        return query.urlencode()
