"""The form that creates a personal API token: a name, scopes grouped by resource, an expiry date.

The form only collects; the rules (which scopes the person's role allows, how long a token may
live) are the service's (vigie.api.services.api_token_create), whose errors land on these fields.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import User

from .scopes import ApiScope, scopes_available_to

DEFAULT_LIFETIME = timedelta(days=90)

# What each scope's resource is called, as a group of the form and in lists.
RESOURCE_LABELS: dict[str, Promise] = {
    "cases": _("Case files"),
    "identification": _("Identification"),
    "rights": _("Rights plans"),
    "referrals": _("Referrals"),
    "transfers": _("Transfers"),
    "directory": _("Directory"),
    "places": _("Accommodation places"),
    "releases": _("Statistics releases"),
}


@dataclass(frozen=True)
class ScopeChoice:
    value: str
    label: str
    access: str  # "read" or "write"


@dataclass(frozen=True)
class ScopeGroup:
    resource: str
    label: str
    choices: list[ScopeChoice]


def scope_groups(scopes: list[str]) -> list[ScopeGroup]:
    """``scopes`` (catalogue values) grouped by resource, in catalogue order."""
    groups: dict[str, list[ScopeChoice]] = {}
    for value in scopes:
        resource, _colon, access = value.partition(":")
        # A scope since removed from the catalogue still shows, as its value.
        label = str(ApiScope(value).label) if value in ApiScope.values else value
        groups.setdefault(resource, []).append(ScopeChoice(value=value, label=label, access=access))
    return [
        ScopeGroup(resource=resource, label=str(RESOURCE_LABELS.get(resource, resource)), choices=c)
        for resource, c in groups.items()
    ]


def max_days() -> int:
    return int(settings.VIGIE_API_TOKEN_MAX_DAYS)


def expiry_moment(day: date) -> datetime:
    """A token "expiring on" a day stops working at the start of that day, local time: the day
    shown is the first day it no longer opens the API."""
    return timezone.make_aware(datetime.combine(day, time.min))


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system uses it, for example “Département 93 case import”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Writing includes reading. Choose only what the system needs."),
        error_messages={"required": _("Choose at least one scope.")},
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        available = scopes_available_to(user)
        self.groups = scope_groups(available)
        scopes_field = cast(forms.MultipleChoiceField, self.fields["scopes"])
        scopes_field.choices = [(s, ApiScope(s).label) for s in available]
        today = timezone.localdate()
        expires_field = self.fields["expires_on"]
        expires_field.initial = today + DEFAULT_LIFETIME
        expires_field.widget.attrs.update(
            {
                "min": (today + timedelta(days=1)).isoformat(),
                "max": (today + timedelta(days=max_days())).isoformat(),
            }
        )
        expires_field.help_text = _(
            "The token stops working at the start of this day. At most %(days)s days from today."
        ) % {"days": max_days()}

    def chosen(self) -> set[str]:
        """The scopes ticked (on a bound form, valid or not), to keep them ticked on errors."""
        if not self.is_bound:
            return set()
        return set(self.data.getlist("scopes")) if hasattr(self.data, "getlist") else set()

    def expires_at(self) -> datetime:
        return expiry_moment(self.cleaned_data["expires_on"])
