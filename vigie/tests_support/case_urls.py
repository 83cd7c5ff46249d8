"""URLs of a case's pages for tests that walk every case URL (isolation, read audit)."""

import uuid
from typing import Any

from django.urls import reverse

from .factories import screening_for_tests

# Pages of one document of the case (vigie/cases/views/documents.py).
DOCUMENT_PAGES = ("cases:document", "cases:document_delete")


def case_url_kwargs(name: str, case: Any) -> dict[str, Any]:
    """Everything a case URL needs: the case, plus an object of that case for nested pages."""
    from vigie.identification.models import Screening

    kwargs: dict[str, Any] = {"case_uuid": case.uuid}
    if name.startswith("identification:screening_detail"):
        screening = Screening.objects.filter(case=case).first() or screening_for_tests(case)
        kwargs["screening_uuid"] = screening.uuid
    if name in DOCUMENT_PAGES:
        from .factories_documents import document_for_tests

        document = case.documents.defer("content").first() or document_for_tests(case)
        kwargs["document_uuid"] = document.uuid
    if name == "rights:item_update":
        from .factories_rights import right_item_for_tests

        kwargs["right_uuid"] = right_item_for_tests(case).uuid
    # Pages updating one dated event (vigie/cases/views/events.py).
    from .factories_events import event_url_kwargs

    kwargs |= event_url_kwargs(name, case)
    # Pages of the places part naming a place beside the case (vigie/network/views_places.py).
    from .factories_places import place_url_kwargs

    kwargs |= place_url_kwargs(name, case)
    return kwargs


def case_url(name: str, case: Any) -> str:
    return reverse(name, kwargs=case_url_kwargs(name, case))


def made_up_case_url(name: str) -> str:
    """The same page for a case (and nested object) that does not exist."""
    kwargs: dict[str, Any] = {"case_uuid": uuid.uuid4()}
    if name.startswith("identification:screening_detail"):
        kwargs["screening_uuid"] = uuid.uuid4()
    if name in DOCUMENT_PAGES:
        kwargs["document_uuid"] = uuid.uuid4()
    if name == "rights:item_update":
        kwargs["right_uuid"] = uuid.uuid4()
    from .factories_events import made_up_event_url_kwargs

    kwargs |= made_up_event_url_kwargs(name)
    from .factories_places import made_up_place_url_kwargs

    kwargs |= made_up_place_url_kwargs(name)
    return reverse(name, kwargs=kwargs)
