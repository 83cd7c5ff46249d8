"""URLs of a case's pages for tests that walk every case URL (isolation, read audit)."""

import uuid
from typing import Any

from django.urls import reverse

from .factories import screening_for_tests


def case_url_kwargs(name: str, case: Any) -> dict[str, Any]:
    """Everything a case URL needs: the case, plus an object of that case for nested pages."""
    from vigie.identification.models import Screening

    kwargs: dict[str, Any] = {"case_uuid": case.uuid}
    if name.startswith("identification:screening_detail"):
        screening = Screening.objects.filter(case=case).first() or screening_for_tests(case)
        kwargs["screening_uuid"] = screening.uuid
    return kwargs


def case_url(name: str, case: Any) -> str:
    return reverse(name, kwargs=case_url_kwargs(name, case))


def made_up_case_url(name: str) -> str:
    """The same page for a case (and nested object) that does not exist."""
    kwargs: dict[str, Any] = {"case_uuid": uuid.uuid4()}
    if name.startswith("identification:screening_detail"):
        kwargs["screening_uuid"] = uuid.uuid4()
    return reverse(name, kwargs=kwargs)
