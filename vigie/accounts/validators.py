"""A bundled breached-password list, on top of Django's 20,000 common passwords.

No network call: the list ships with Vigie (French passwords seen in public breach corpora and
variants of the product's own vocabulary). Matching is case-insensitive and ignores a trailing
run of digits and punctuation, the commonest way a weak password is dressed up.
"""

import functools
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_LIST = Path(__file__).parent / "data" / "breached_passwords.txt"
_TRAILING_NOISE = re.compile(r"[\d\W_]+$")


@functools.cache
def _breached() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


class BreachedPasswordValidator:
    def validate(self, password: str, user: object = None) -> None:
        lowered = password.lower()
        stripped = _TRAILING_NOISE.sub("", lowered)
        if lowered in _breached() or (len(stripped) >= 4 and stripped in _breached()):
            raise ValidationError(
                _("This password appears in lists of breached passwords."),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password must not appear in lists of breached passwords.")
