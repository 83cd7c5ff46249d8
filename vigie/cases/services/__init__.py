"""Everything that writes case files, one module per part of the file.

Callers import the function from its module (``from vigie.cases.services.opening import
case_open``); the names below are the historical entry points.
"""

from .opening import (
    NAME_INDEX_PURPOSE,
    case_note_add,
    case_open,
    case_reference_new,
    full_name_index,
)

__all__ = [
    "NAME_INDEX_PURPOSE",
    "case_note_add",
    "case_open",
    "case_reference_new",
    "full_name_index",
]
