"""The organisation's hotline, the number every contact template gives (``{hotline}``)."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HOTLINE_REGION = "FR"


def hotline_normalise(raw: str) -> str:
    """The hotline in E.164 ("+33612345678"); "" for none; ValidationError on ``hotline``.

    Only numbers callable from any phone are accepted: the person may write from a foreign SIM
    or through WhatsApp, where French short numbers do not work."""
    raw = raw.strip()
    if not raw:
        return ""
    refused = ValidationError(
        {
            "hotline": _(
                "This is not a phone number: write it as 01 23 45 67 89 or +33 1 23 45 67 89."
            )
        }
    )
    try:
        number = phonenumbers.parse(raw, HOTLINE_REGION)
    except phonenumbers.NumberParseException as problem:
        raise refused from problem
    if not phonenumbers.is_valid_number(number):
        raise refused
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def hotline_display(stored: str) -> str:
    """The hotline as the message shows it: international, so it works from a foreign phone."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, HOTLINE_REGION)
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
