"""Reads of the parts of one file (events, timeline, documents), for a case already obtained
(and audited) through case_get_for_user."""

from typing import Any

from .models import Case, CaseDocument


def timeline_for_case(*, case: Case) -> list[Any]:
    """Placeholder until the timeline lands (helper)."""
    return []


def documents_for_case(*, case: Case) -> list[CaseDocument]:
    """Placeholder until documents land (helper)."""
    return []
