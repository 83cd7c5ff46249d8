"""The import of directory entries through the pages (the one import page of the directory, since
the former one-page import at /reseau/annuaire/import/ redirects here): a bad row named by line
and column and nothing written, a check that writes nothing before the import, an unreadable file
refused on the file field."""

import pytest
from django.test import Client
from django.urls import reverse

from vigie.imports import services
from vigie.imports.models import ImportJob, ImportStatus
from vigie.network.models import DirectoryEntry
from vigie.tests_support.factories_documents import Upload

pytestmark = pytest.mark.django_db

HEADER = b"name;kind;departement;needs;role;hours;phone;email;address\n"
GOOD_ROW = "Fictif — A;uaped;93;health;;;;;\n".encode()


@pytest.fixture
def client(users, client_for) -> Client:
    return client_for(users[("coordinator", "a")])


def _upload(client: Client, content: bytes) -> ImportJob:
    response = client.post(
        reverse("imports:directory"), {"file": Upload("annuaire.csv", content, "text/csv")}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("created_at")
    assert (job.target, response["Location"]) == (
        "directory",
        reverse("imports:mapping", args=[job.uuid]),
    )
    return job


def _mapping(job: ImportJob) -> dict[str, str]:
    """The mapping the page suggests from the column names (every column of HEADER)."""
    suggested = services.import_mapping_suggest(target="directory", headers=job.headers)
    return {f"column_{field}": header for field, header in suggested.items()}


def test_a_bad_row_is_named_by_line_and_column_and_nothing_is_written(
    client, django_capture_on_commit_callbacks
):
    job = _upload(client, HEADER + GOOD_ROW + b"B;uaped;999;;;;;;\n")

    response = client.post(reverse("imports:preview", args=[job.uuid]), _mapping(job))

    assert response.status_code == 422
    html = response.content.decode()
    assert '<tr data-line="3" data-column="departement">' in html
    assert 'id="commit-form"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("imports:commit", args=[job.uuid]))
    assert refused.status_code == 422
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED
    assert not DirectoryEntry.objects.exists()


def test_the_file_is_checked_first_then_imported(client, org_a, django_capture_on_commit_callbacks):
    job = _upload(client, HEADER + GOOD_ROW)

    checked = client.post(reverse("imports:preview", args=[job.uuid]), _mapping(job))

    html = checked.content.decode()
    assert checked.status_code == 200, html[:3000]
    assert 'data-ok="true"' in html and 'data-new="1"' in html
    assert 'id="commit-form"' in html
    assert not DirectoryEntry.objects.exists()  # a check writes nothing

    with django_capture_on_commit_callbacks(execute=True):
        written = client.post(reverse("imports:commit", args=[job.uuid]))

    assert written.status_code == 302
    assert written["Location"] == reverse("imports:job", args=[job.uuid])
    assert DirectoryEntry.objects.get().maintained_by == org_a
    result = client.get(written["Location"]).content.decode()
    assert 'data-status="done"' in result and '<dd data-count="created">1</dd>' in result
    assert reverse("network:directory") in result


def test_an_unreadable_file_is_a_422_on_the_file_field(client):
    response = client.post(
        reverse("imports:directory"),
        {"file": Upload("annuaire.csv", "nom;x\né;1\n".encode("latin-1"), "text/csv")},
    )

    assert response.status_code == 422
    assert 'id="id_file_error"' in response.content.decode()
    assert not ImportJob.objects.exists()
