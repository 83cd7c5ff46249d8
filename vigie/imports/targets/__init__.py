"""What can be imported: each target declares its fields, keys and writing (see base.py)."""

from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .base import Target


@cache
def _targets() -> dict[str, Target]:
    from .ads import AdsTarget
    from .cases import CasesTarget
    from .directory import DirectoryTarget
    from .places import PlacesTarget

    return {
        "cases": CasesTarget(),
        "directory": DirectoryTarget(),
        "places": PlacesTarget(),
        "ads": AdsTarget(),
    }


def target_get(name: str) -> Target:
    """The target of that name; ValidationError on "target" for any other."""
    try:
        return _targets()[name]
    except KeyError as problem:
        raise ValidationError({"target": _("Nothing of this kind can be imported.")}) from problem
