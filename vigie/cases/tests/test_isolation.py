"""Organisations never see each other's case files."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import resolve, reverse

from vigie.audit.models import AuditEventSubject
from vigie.audit.services import Actor
from vigie.cases.models import Case, CaseNote
from vigie.cases.services import case_note_add
from vigie.core.tests.url_matrix import iter_url_patterns
from vigie.tests_support.case_urls import case_url, made_up_case_url
from vigie.tests_support.factories_sharing import full_referral_for_tests

pytestmark = pytest.mark.django_db

# Derived from the URL configuration: a new case page is covered without touching this file.
CASE_URL_NAMES = sorted(e.name for e in iter_url_patterns() if "case_uuid" in e.params)
OUTSIDERS = [("caseworker", "b"), ("coordinator", "b"), ("org_admin", "b"), ("analyst", "b")]
OUTSIDERS.append(("platform_admin", None))
# Empty and plausible: scope must be decided before any validation of what was sent.
POST_PAYLOADS = ({}, {"text": "Note written from another organisation."})


def test_case_urls_are_found():
    assert {"cases:detail", "cases:note_add", "cases:access_log"} <= set(CASE_URL_NAMES)


def _handled_methods(url: str) -> list[str]:
    view_class = getattr(resolve(url).func, "view_class", None)
    if view_class is None:
        return ["get", "post"]
    return [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)]


def _requests(client: Client, url: str):
    for method in _handled_methods(url):
        if method == "get":
            yield method, client.get(url)
        else:
            for payload in POST_PAYLOADS:
                yield method, getattr(client, method)(url, payload)


@pytest.mark.parametrize("name", CASE_URL_NAMES)
@pytest.mark.parametrize("outsider", OUTSIDERS, ids=lambda key: "-".join(filter(None, key)))
def test_other_organisation_cannot_tell_the_case_exists(name, outsider, users, case_a, client_for):
    """Given a case of organisation A, when anyone outside A requests any of its pages, then the
    answer is 404, whatever their role, exactly what a case that does not exist gets."""
    user = users[outsider]
    client = client_for(user)
    real = case_url(name, case_a)
    made_up = made_up_case_url(name)
    expected = 404
    before = Case.objects.filter(pk=case_a.pk).values().get()

    for (method, response), (_method, baseline) in zip(
        _requests(client, real), _requests(client, made_up), strict=True
    ):
        assert response.status_code == expected, f"{method.upper()} {name} as {outsider}"
        assert baseline.status_code == response.status_code
        body = response.content.decode()
        assert case_a.reference not in body
        assert case_a.last_name not in body

    assert not AuditEventSubject.objects.filter(object_uuid=case_a.uuid).exists()
    assert not CaseNote.objects.filter(case=case_a).exists()
    assert Case.objects.filter(pk=case_a.pk).values().get() == before


def test_caseworker_of_the_same_organisation_sees_the_case(users, case_a, case_b, client_for):
    # The positive control of the test above: the same requests do reach A's own staff.
    client = client_for(users[("caseworker", "a")])
    response = client.get(reverse("cases:detail", kwargs={"case_uuid": case_a.uuid}))
    assert response.status_code == 200
    assert case_a.reference in response.content.decode()
    listed = client.get(reverse("cases:list")).content.decode()
    assert case_a.reference in listed
    assert case_b.reference not in listed


def test_even_a_referral_sharing_every_section_never_opens_the_case_pages(
    users, org_b, case_a, client_for
):
    """Another organisation reads what a referral shares through the referral's own page
    (vigie/network), never the case file: its pages, list and count stay closed."""
    full_referral_for_tests(case_a, org_b)
    for role in ("caseworker", "coordinator"):
        client = client_for(users[(role, "b")])
        response = client.get(reverse("cases:detail", kwargs={"case_uuid": case_a.uuid}))
        assert response.status_code == 404
        assert case_a.reference not in client.get(reverse("cases:list")).content.decode()


def test_the_note_service_refuses_a_writer_from_another_organisation(users, org_b, case_a):
    full_referral_for_tests(case_a, org_b)
    with pytest.raises(PermissionDenied):
        case_note_add(actor=Actor(user=users[("caseworker", "b")]), case=case_a, text="x")
