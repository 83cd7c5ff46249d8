"""The form requesting a release: a preset or an explicit list of tables, and the budget."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .services.releases import DELTA_MAX, EPSILON_MAX
from .tables_spec import Table, TableSpecError, presets, tables_parse

CUSTOM = "custom"


class ReleaseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    preset = forms.ChoiceField(
        label=_("Tables"),
        choices=[
            ("standard", _("Standard: every one- and two-way table over ten dimensions")),
            ("rights", _("Access to rights: ad hoc administrator, hotels, appeals, care…")),
            ("ctdc", _("CTDC aggregate export")),
            ("survey", _("Annual survey of victims followed by associations")),
            (CUSTOM, _("Tables listed below")),
        ],
        initial="standard",
        widget=forms.RadioSelect,
    )
    custom_tables = forms.CharField(
        label=_("Tables listed"),
        required=False,
        help_text=_(
            "Only with “Tables listed below”. Tables separated by “;”, each one dimension or two "
            "separated by a comma, e.g. “form,gender; age_band; total”; “pairs:form,year,gender” "
            "gives every one- and two-way table over these dimensions."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    followed_in = forms.IntegerField(
        label=_("Only the files followed during the year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_(
            "For the annual survey: files opened by the end of that year and not closed before "
            "its start. Leave empty for every file."
        ),
    )
    epsilon = forms.FloatField(
        label=_("ε (epsilon), privacy budget"),
        min_value=0.01,
        max_value=EPSILON_MAX,
        initial=1.0,
        help_text=_("Smaller is more private and less accurate. Charged to this year's ledger."),
    )
    delta = forms.FloatField(
        label=_("δ (delta)"),
        min_value=1e-12,
        max_value=DELTA_MAX,
        initial=1e-6,
        help_text=_("Probability that the guarantee fails; the Gaussian mechanism needs one."),
    )
    threshold = forms.IntegerField(
        label=_("Threshold"),
        min_value=1,
        max_value=1000,
        initial=settings.VIGIE_RELEASE_THRESHOLD,
        help_text=_("Smaller published counts are shown as “< threshold”."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        preset = cleaned.get("preset")
        tables: tuple[Table, ...] = ()
        if preset == CUSTOM:
            text = (cleaned.get("custom_tables") or "").strip()
            if not text:
                self.add_error("custom_tables", _("List the tables, or choose a preset."))
            else:
                try:
                    tables = tables_parse(text)
                except TableSpecError as problem:
                    self.add_error("custom_tables", str(problem))
        elif preset:
            tables = presets()[preset]
        cleaned["tables"] = tables
        return cleaned
