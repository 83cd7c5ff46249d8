"""Who may import what, jobs and mappings scoped to the organisation (404 elsewhere), and the
mapping suggested from the headers and saved for next time."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from vigie.audit.services import Actor
from vigie.imports import selectors, services
from vigie.imports.fields import import_fields
from vigie.tests_support.factories_imports import CASES_HEADER, CASES_MAPPING, case_rows, csv_bytes

pytestmark = pytest.mark.django_db

DIRECTORY_FILE = b"name;kind;departement\nFictif;uaped;93\n"
PLACES_FILE = (
    "Nom;Type;Département;Capacité;Places disponibles\nFictif;Foster family;93;2;1\n".encode()
)


@pytest.mark.parametrize(
    ("role", "target", "allowed"),
    [
        ("coordinator", "cases", True),
        ("caseworker", "cases", False),
        ("org_admin", "cases", False),
        ("analyst", "cases", False),
        ("coordinator", "directory", True),
        ("org_admin", "directory", True),
        ("caseworker", "directory", False),
        ("org_admin", "places", True),
        ("analyst", "places", False),
    ],
)
def test_each_target_needs_its_permission(users, role, target, allowed):
    content = {"cases": csv_bytes(case_rows(1)), "directory": DIRECTORY_FILE}.get(
        target, PLACES_FILE
    )
    actor = Actor(users[(role, "a")])

    if allowed:
        job = services.import_upload(actor=actor, target=target, filename="f.csv", content=content)
        assert selectors.import_job_get_for_user(actor=actor, job_uuid=job.uuid) == job
    else:
        with pytest.raises(PermissionDenied):
            services.import_upload(actor=actor, target=target, filename="f.csv", content=content)


def test_another_organisations_job_is_not_found(users, coordinator):
    job = services.import_upload(
        actor=coordinator, target="cases", filename="f.csv", content=csv_bytes(case_rows(2))
    )
    other = Actor(users[("coordinator", "b")])
    admin = Actor(users[("org_admin", "a")])  # same organisation, no CASE_IMPORT

    for actor in (other, admin):
        with pytest.raises(Http404):
            selectors.import_job_get_for_user(actor=actor, job_uuid=job.uuid)
    with pytest.raises(Http404):
        selectors.import_job_get_for_user(actor=coordinator, job_uuid="not-a-uuid")
    with pytest.raises(PermissionDenied):
        services.import_preview(actor=other, job=job, columns=CASES_MAPPING)
    assert selectors.jobs_recent_for_user(actor=coordinator, target="cases") == [job]
    assert selectors.jobs_recent_for_user(actor=other, target="cases") == []
    with pytest.raises(PermissionDenied):
        selectors.jobs_recent_for_user(actor=admin, target="cases")


def test_the_suggested_mapping_reads_french_headers():
    suggestion = services.import_mapping_suggest(target="cases", headers=list(CASES_HEADER))

    assert suggestion == CASES_MAPPING


def test_the_suggestion_uses_each_header_once_and_knows_english_labels():
    headers = ["First name", "Last name", "Birth date", "nom", "Sex", "Whatever"]

    suggestion = services.import_mapping_suggest(target="cases", headers=headers)

    assert suggestion == {
        "first_name": "First name",
        "last_name": "Last name",
        "birth_date": "Birth date",
        "gender": "Sex",
    }


def test_a_mapping_is_saved_checked_and_replaced_by_name(coordinator, users):
    mapping = services.import_mapping_save(
        actor=coordinator, target="cases", name=" Ancien outil ", columns=CASES_MAPPING
    )
    again = services.import_mapping_save(
        actor=coordinator, target="cases", name="Ancien outil", columns={"last_name": "Nom"}
    )

    assert again.pk == mapping.pk and again.columns == {"last_name": "Nom"}
    assert selectors.import_mappings_for_user(actor=coordinator, target="cases") == [again]
    assert (
        selectors.import_mappings_for_user(actor=Actor(users[("coordinator", "b")]), target="cases")
        == []
    )
    with pytest.raises(ValidationError) as raised:
        services.import_mapping_save(
            actor=coordinator, target="cases", name="x", columns={"shoe_size": "Pointure"}
        )
    assert "shoe_size" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        services.import_mapping_save(
            actor=coordinator, target="directory", name="x", columns={"name": "Nom"}
        )
    assert {"kind", "departement"} <= set(raised.value.message_dict)
    with pytest.raises(ValidationError):
        services.import_mapping_save(actor=coordinator, target="cases", name=" ", columns={})


def test_a_preview_refuses_a_mapping_to_columns_the_file_lacks(coordinator):
    job = services.import_upload(
        actor=coordinator, target="cases", filename="f.csv", content=csv_bytes(case_rows(2))
    )

    with pytest.raises(ValidationError) as raised:
        services.import_preview(
            actor=coordinator,
            job=job,
            columns={"last_name": "Surname", "first_name": "Nom", "aliases": "Nom"},
        )

    assert set(raised.value.message_dict) == {"last_name", "aliases"}


def test_every_target_lists_its_fields_with_help():
    for target in ("cases", "directory", "places"):
        fields = import_fields(target)
        assert fields and all(str(f.label) and str(f.help) for f in fields)
    names = {f.name for f in import_fields("cases")}
    assert {
        "external_id",
        "first_name",
        "last_name",
        "aliases",
        "birth_date",
        "birth_year",
        "gender",
        "nationality",
        "unaccompanied",
        "age_disputed",
        "care_status",
        "departement",
        "exploitation_forms",
        "referral_source",
        "identified_on",
    } == names
    with pytest.raises(ValidationError):
        import_fields("children")


def test_an_unreadable_upload_is_refused_on_the_file_field(coordinator):
    with pytest.raises(ValidationError) as raised:
        services.import_upload(actor=coordinator, target="cases", filename="f.csv", content=b"")

    assert "file" in raised.value.message_dict
