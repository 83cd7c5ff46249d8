"""The form a person uses to say where one right stands (rules in services.right_item_update)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RightItem, RightState


class RightItemForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=RightState.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the right is refused, blocked or not applicable."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the right is done: what shows it."),
    )
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When it was done; today if left empty."),
    )

    @staticmethod
    def auto_id_for(item: RightItem) -> str:
        """Field ids unique on the case page, where every right has its own form."""
        return f"id_{item.right_id}_%s"
