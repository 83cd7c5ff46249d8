"""The exports page: what each person may export, and nothing more."""

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = reverse("cases:exports")


def test_a_coordinator_sees_the_list_export_and_the_htcds_export(users, client_for):
    response = client_for(users[("coordinator", "a")]).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("cases:list_export")}"' in page
    assert f'href="{reverse("monitoring:htcds")}"' in page
    assert 'id="export-case-file"' in page
    # Nothing is read nor exported by looking at the page.
    assert not AuditEvent.objects.exists()


def test_a_caseworker_sees_only_the_full_file_export(users, client_for):
    response = client_for(users[("caseworker", "a")]).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="export-case-file"' in page
    assert reverse("cases:list_export") not in page
    assert reverse("monitoring:htcds") not in page


@pytest.mark.parametrize(
    ("role", "scope"), [("org_admin", "a"), ("analyst", "a"), ("platform_admin", None)]
)
def test_roles_without_case_work_may_not_open_it(role, scope, users, client_for):
    assert client_for(users[(role, scope)]).get(URL).status_code == 403
