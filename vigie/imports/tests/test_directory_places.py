"""Directory entries and places go through the same machinery: preview, all or nothing, and a
re-import that updates instead of duplicating."""

import pytest
from django.utils import translation

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.imports import services
from vigie.imports.models import ImportStatus
from vigie.network.models import AccommodationPlace, DirectoryEntry
from vigie.tests_support.factories_imports import csv_bytes, xlsx_bytes
from vigie.tests_support.factories_places import AccommodationPlaceFactory

pytestmark = pytest.mark.django_db

PLACES_HEADER = (
    "Nom",
    "Type",
    "Département",
    "Capacité",
    "Places disponibles",
    "Âge max",
    "Public",
    "Tout territoire",
)


def _place_rows(count, available="1"):
    return [
        [
            f"Fictif — Foyer {n}",
            "childrens_home",
            "93",
            "4",
            available,
            "17",
            "fille; garçon",
            "oui",
        ]
        for n in range(count)
    ]


def _run(actor, target, content, filename="f.csv", columns=None):
    job = services.import_upload(actor=actor, target=target, filename=filename, content=content)
    columns = columns or services.import_mapping_suggest(target=target, headers=job.headers)
    preview = services.import_preview(actor=actor, job=job, columns=columns)
    if preview.ok:
        services.import_commit_request(actor=actor, job=job, enqueue=False)
        job = services.import_run(job)
    return job, preview


def test_places_are_imported_then_updated_by_the_same_file(users, org_a):
    admin = Actor(users[("org_admin", "a")])
    job, preview = _run(admin, "places", csv_bytes(_place_rows(5), header=PLACES_HEADER))

    assert (preview.new_count, job.status, job.created_count) == (5, ImportStatus.DONE, 5)
    place = AccommodationPlace.objects.get(name="Fictif — Foyer 3")
    assert (place.organisation, place.capacity, place.available, place.genders) == (
        org_a,
        4,
        1,
        ["boy", "girl"],
    )
    assert place.accepts_any_territory and place.is_active

    job, preview = _run(admin, "places", csv_bytes(_place_rows(5, "3"), header=PLACES_HEADER))

    assert (preview.new_count, preview.update_count) == (0, 5)
    assert (job.created_count, job.updated_count) == (0, 5)
    assert AccommodationPlace.objects.count() == 5
    assert AccommodationPlace.objects.get(pk=place.pk).available == 3
    assert AuditEvent.objects.filter(action=AuditAction.PLACE_IMPORT).count() == 2


def test_another_organisations_place_of_the_same_name_is_left_alone(users, org_b):
    AccommodationPlaceFactory(
        name="Fictif — Foyer 0", departement="93", kind="childrens_home", organisation=org_b
    )
    admin = Actor(users[("org_admin", "a")])

    job, _preview = _run(admin, "places", csv_bytes(_place_rows(1), header=PLACES_HEADER))

    assert job.created_count == 1
    assert AccommodationPlace.objects.filter(name="Fictif — Foyer 0").count() == 2


def test_a_bad_place_row_imports_nothing_and_is_named(users):
    admin = Actor(users[("org_admin", "a")])
    rows = _place_rows(6)
    rows[3][4] = "9"  # more available than the capacity, line 5
    rows[4][1] = "hotel"  # never a hotel, line 6
    rows[5][0] = rows[0][0]  # same place as line 2, line 7

    with translation.override("en"):
        job, preview = _run(admin, "places", csv_bytes(rows, header=PLACES_HEADER))

    assert [(e.line, e.column) for e in preview.errors] == [
        (5, "Places disponibles"),
        (6, "Type"),
        (7, "Nom"),
    ]
    assert "between 0 and the capacity" in preview.errors[0].message
    assert job.status == ImportStatus.UPLOADED
    assert not AccommodationPlace.objects.exists()


def test_directory_entries_through_the_pages_machinery(users, org_a):
    coordinator = Actor(users[("coordinator", "a")])
    content = xlsx_bytes(
        [["Fictif — UAPED", "UAPED", "93", "health|legal", "01 99 00 00 01"]],
        header=["Nom", "Type", "Dept", "Besoins", "Téléphone"],
    )

    job, preview = _run(coordinator, "directory", content, filename="annuaire.xlsx")

    assert preview.ok and job.status == ImportStatus.DONE
    entry = DirectoryEntry.objects.get()
    assert (entry.kind, entry.needs, entry.phone, entry.maintained_by) == (
        "uaped",
        ["health", "legal"],
        "+33199000001",
        org_a,
    )
    assert AuditEvent.objects.filter(action=AuditAction.DIRECTORY_IMPORT).count() == 1
