"""What the import of places (vigie/imports/targets/places.py) needs from the places' rules:
the same checks a place published through the form goes through."""

from typing import Any

from .places import PlaceDetails, _details_checked


def place_values_checked(details: PlaceDetails) -> dict[str, Any]:
    """The place's values as stored, or ValidationError by field (as ``place_create`` checks)."""
    return _details_checked(details)
