"""Organisations never see each other's case files, except through an active share."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from vigie.audit.models import AuditEventSubject
from vigie.audit.services import Actor
from vigie.cases.models import Case, CaseNote
from vigie.cases.services import case_note_add, case_share_create, case_share_revoke
from vigie.core.tests.url_matrix import iter_url_patterns
from vigie.tests_support.case_urls import case_url, made_up_case_url
from vigie.tests_support.factories import OrganisationFactory, UserFactory

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


def _share(users, case, organisation, expires_at=None):
    return case_share_create(
        actor=Actor(user=users[("coordinator", "a")]),
        case=case,
        organisation=organisation,
        expires_at=expires_at or timezone.now() + timedelta(days=7),
    )


def _sees(client: Client, case) -> bool:
    response = client.get(reverse("cases:detail", kwargs={"case_uuid": case.uuid}))
    assert response.status_code in (200, 404)
    return response.status_code == 200


def _listed(client: Client, case) -> bool:
    return case.reference in client.get(reverse("cases:list")).content.decode()


def test_a_share_opens_the_case_to_the_other_organisation_until_revoked(
    users, org_b, case_a, client_for
):
    caseworker_b = client_for(users[("caseworker", "b")])
    assert not _sees(caseworker_b, case_a)

    share = _share(users, case_a, org_b)
    assert _sees(caseworker_b, case_a)
    assert _listed(caseworker_b, case_a)

    case_share_revoke(actor=Actor(user=users[("coordinator", "a")]), share=share)
    # Same session, next request: no cached permission survives the revocation.
    assert not _sees(caseworker_b, case_a)
    assert not _listed(caseworker_b, case_a)


def test_a_share_ends_by_itself_when_it_expires(users, org_b, case_a, client_for):
    caseworker_b = client_for(users[("caseworker", "b")])
    _share(users, case_a, org_b, expires_at=timezone.now() + timedelta(minutes=5))
    assert _sees(caseworker_b, case_a)

    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert not _sees(caseworker_b, case_a)
        assert not _listed(caseworker_b, case_a)


def test_a_share_opens_the_case_to_the_named_organisation_only(users, org_b, case_a, client_for):
    third = UserFactory(role="caseworker", organisation=OrganisationFactory(name="Organisation C"))
    _share(users, case_a, org_b)
    assert not _sees(client_for(third), case_a)


def test_a_share_gives_no_case_access_to_roles_without_it(users, org_b, case_a, client_for):
    _share(users, case_a, org_b)
    analyst_b = client_for(users[("analyst", "b")])
    response = analyst_b.get(reverse("cases:detail", kwargs={"case_uuid": case_a.uuid}))
    assert response.status_code == 404


def test_a_share_lets_the_other_organisation_read_but_never_write_nor_see_the_access_log(
    users, org_b, case_a, client_for
):
    _share(users, case_a, org_b)
    coordinator_b = client_for(users[("coordinator", "b")])
    page = coordinator_b.get(reverse("cases:detail", kwargs={"case_uuid": case_a.uuid}))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("cases:note_add", kwargs={"case_uuid": case_a.uuid}) not in body
    assert reverse("cases:access_log", kwargs={"case_uuid": case_a.uuid}) not in body

    note = coordinator_b.post(
        reverse("cases:note_add", kwargs={"case_uuid": case_a.uuid}), {"text": "written by B"}
    )
    log = coordinator_b.get(reverse("cases:access_log", kwargs={"case_uuid": case_a.uuid}))

    assert note.status_code == 404
    assert log.status_code == 404
    assert not CaseNote.objects.filter(case=case_a).exists()


def test_the_note_service_refuses_a_writer_from_another_organisation(users, org_b, case_a):
    _share(users, case_a, org_b)
    with pytest.raises(PermissionDenied):
        case_note_add(actor=Actor(user=users[("caseworker", "b")]), case=case_a, text="x")
