"""Importing online advertisements (CSV, XLSX, JSON) through the import machinery: the French
headers understood, every bad cell named by its row and column with nothing written, an ad
imported again merged rather than duplicated, the two planted networks of the browser journey's
file found."""

import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.imports import services
from vigie.imports.models import ImportJob, ImportStatus
from vigie.outreach.models import AdCluster, Advertisement, IdentifierKind
from vigie.outreach.services.ads import ad_identifiers
from vigie.tests_support.factories_imports import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

ADS_50 = Path(__file__).parent / "data" / "ads_50.csv"
HEADER = (
    "Site",
    "Adresse",
    "Vu le",
    "Dernière vue",
    "Texte",
    "Âge annoncé",
    "Ville",
    "Pseudos",
    "Téléphones",
    "Comptes",
    "Empreintes photos",
    "Observations",
    "Photos jeunes",
)


def _row(number, **changes):
    row = {
        "Site": "annonces-exemple.test",
        "Adresse": f"https://annonces-exemple.test/annonce/{number}",
        "Vu le": "02/11/2026",
        "Dernière vue": "",
        "Texte": f"Annonce fictive {number}, rencontre discrète en centre-ville, message d'abord",
        "Âge annoncé": "23",
        "Ville": "Lyon",
        "Pseudos": f"Pseudo{number}",
        "Téléphones": f"07 00 00 {number // 100 % 100:02d} {number % 100:02d}",
        "Comptes": "",
        "Empreintes photos": "",
        "Observations": "",
        "Photos jeunes": "non",
    }
    row.update(changes)
    return [row[name] for name in HEADER]


def _csv(*rows):
    return csv_bytes(rows, header=HEADER)


@pytest.fixture
def caseworker(users):
    return Actor(users[("caseworker", "a")])


def _preview(actor, content, filename="annonces.csv"):
    job = services.import_upload(actor=actor, target="ads", filename=filename, content=content)
    columns = services.import_mapping_suggest(target="ads", headers=job.headers)
    return job, services.import_preview(actor=actor, job=job, columns=columns)


def _import(actor, content, filename="annonces.csv"):
    job, preview = _preview(actor, content, filename)
    assert preview.ok, [str(e) for e in preview.errors]
    services.import_commit_request(actor=actor, job=job, enqueue=False)
    job = services.import_run(job)
    assert job.status == ImportStatus.DONE, job.errors
    return job, preview


def test_the_french_headers_name_every_field():
    suggested = services.import_mapping_suggest(target="ads", headers=list(HEADER))

    assert suggested == {
        "site": "Site",
        "url": "Adresse",
        "first_seen_on": "Vu le",
        "last_seen_on": "Dernière vue",
        "text": "Texte",
        "declared_age": "Âge annoncé",
        "city": "Ville",
        "pseudonyms": "Pseudos",
        "phones": "Téléphones",
        "handles": "Comptes",
        "image_hashes": "Empreintes photos",
        "observations": "Observations",
        "photos_look_young": "Photos jeunes",
    }


def test_a_csv_is_imported_with_identifiers_signs_and_one_audit_event(caseworker, org_a):
    content = _csv(
        _row(
            1,
            **{
                "Dernière vue": "2026-11-09",
                "Âge annoncé": "17",
                "Pseudos": "Jade\nJ.",
                "Téléphones": "07 00 00 00 01; +33 7 00 00 00 02",
                "Comptes": "snapchat:jade_fictive\nhttps://instagram.com/jade.fictive",
                "Empreintes photos": "A1B2C3D4E5F60718",
                "Photos jeunes": "oui",
            },
        ),
        _row(2),
    )

    job, preview = _import(caseworker, content)

    assert (preview.new_count, job.created_count, job.updated_count) == (2, 2, 0)
    ad = Advertisement.objects.get(organisation=org_a, url_index=_index_of(1))
    assert (ad.first_seen_on.isoformat(), ad.last_seen_on.isoformat()) == (
        "2026-11-02",
        "2026-11-09",
    )
    assert ad.declared_age == 17 and ad.declared_minor and ad.priority == 3
    assert ad.pseudonym_list == ["Jade", "J."]
    assert ad.worker_flags == ["photos_look_young"]
    assert ad_identifiers(ad) == {
        IdentifierKind.PHONE: ["+33700000001", "+33700000002"],
        IdentifierKind.HANDLE: ["snapchat:jade_fictive", "instagram:jade.fictive"],
        IdentifierKind.IMAGE: ["a1b2c3d4e5f60718"],
    }
    other = Advertisement.objects.exclude(pk=ad.pk).get()
    assert other.last_seen_on == other.first_seen_on  # empty: the first day seen
    # One event for the file (the service's), naming every ad.
    (event,) = AuditEvent.objects.filter(action=AuditAction.OUTREACH_AD_IMPORT)
    assert {str(ad.uuid), str(other.uuid)} <= set(event.object_uuids)


def _index_of(number):
    from vigie.outreach.services.ad_input import url_index, url_normalise

    return url_index(url_normalise(f"https://annonces-exemple.test/annonce/{number}"))


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"Téléphones": "07 00 00 00 01; pas un numéro"}, "Téléphones", "is not a phone number"),
        ({"Vu le": "31/02/2026"}, "Vu le", "this date does not exist"),
        ({"Dernière vue": "01/10/2026"}, "Dernière vue", "last seen before"),
        ({"Âge annoncé": "170"}, "Âge annoncé", "between 10 and 99"),
        ({"Empreintes photos": "abc"}, "Empreintes photos", "16 hexadecimal digits"),
        ({"Comptes": "snapchat:"}, "Comptes", "is not an account"),
        ({"Adresse": "ftp://exemple.test/x"}, "Adresse", "starting with https://"),
        ({"Photos jeunes": "peut-être"}, "Photos jeunes", "write “oui” or “non”"),
        ({"Adresse": "", "Texte": ""}, "Texte", "the ad's text or its address"),
        ({"Site": ""}, "Site", "This cell is required"),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_written(
    caseworker, changes, column, message
):
    content = _csv(_row(1), _row(2), _row(3, **changes))

    with translation.override("en"):
        job, preview = _preview(caseworker, content)

    assert not preview.ok
    assert [(e.line, e.column) for e in preview.errors] == [(4, column)]
    assert message in preview.errors[0].message
    with pytest.raises(ValidationError, match="1 erreur"):
        services.import_commit_request(actor=caseworker, job=job, enqueue=False)
    assert not Advertisement.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.OUTREACH_AD_IMPORT).exists()


def test_importing_again_merges_the_ads_instead_of_duplicating_them(caseworker, org_a):
    _import(caseworker, _csv(_row(1), _row(2)))
    first = Advertisement.objects.get(url_index=_index_of(1))

    again = _csv(
        _row(1, **{"Vu le": "20/11/2026", "Téléphones": "07 00 00 00 99"}),
        _row(2),
        _row(3),
    )
    job, preview = _import(caseworker, again, filename="annonces-2.csv")

    assert (preview.new_count, preview.update_count) == (1, 2)
    assert (job.created_count, job.updated_count) == (1, 2)
    assert Advertisement.objects.filter(organisation=org_a).count() == 3
    first.refresh_from_db()
    assert (first.first_seen_on.isoformat(), first.last_seen_on.isoformat()) == (
        "2026-11-02",
        "2026-11-20",
    )
    assert ad_identifiers(first)[IdentifierKind.PHONE] == ["+33700000001", "+33700000099"]


def test_the_same_ad_twice_in_one_file_is_one_ad_seen_on_both_days(caseworker):
    job = _import(caseworker, _csv(_row(1), _row(1, **{"Vu le": "25/11/2026"}), _row(1)))[0]

    ad = Advertisement.objects.get()
    assert job.created_count == 1 and job.duplicate_count == 1
    assert (ad.first_seen_on.isoformat(), ad.last_seen_on.isoformat()) == (
        "2026-11-02",
        "2026-11-25",
    )


def test_an_xlsx_workbook_is_read_the_same_way(caseworker):
    job = _import(
        caseworker, xlsx_bytes([_row(1), _row(2)], header=HEADER), filename="annonces.xlsx"
    )[0]

    assert job.created_count == 2


def _json_items():
    return [
        {
            "site": "annonces-exemple.test",
            "url": "https://annonces-exemple.test/annonce/41",
            "first_seen_on": "2026-11-02",
            "text": "Annonce fictive en JSON, rencontre discrète, message d'abord",
            "declared_age": 19,
            "city": "Nantes",
            "pseudonyms": ["Mila", "Mimi"],
            "phones": ["07 00 00 00 41", "+33700000042"],
            "handles": ["telegram:mila_fictive"],
            "photos_look_young": True,
        },
        {
            "site": "annonces-exemple.test",
            "url": "https://annonces-exemple.test/annonce/42",
            "first_seen_on": "2026-11-03",
            "last_seen_on": "2026-11-04",
            "text": "Autre annonce fictive en JSON",
            "phones": "07 00 00 00 43",
            "declared_age": None,
        },
    ]


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_json_file_is_imported_lists_as_arrays(caseworker, wrapped):
    items = _json_items()
    content = json.dumps({"ads": items} if wrapped else items).encode()

    job, preview = _import(caseworker, content, filename="annonces.json")

    assert (job.created_count, preview.new_count) == (2, 2)
    ad = Advertisement.objects.get(url_index=_index_of(41))
    assert ad.pseudonym_list == ["Mila", "Mimi"]
    assert ad.worker_flags == ["photos_look_young"] and ad.declared_age == 19
    assert ad_identifiers(ad)[IdentifierKind.PHONE] == ["+33700000041", "+33700000042"]
    assert Advertisement.objects.get(url_index=_index_of(42)).declared_age is None


def test_a_bad_json_value_is_named_by_item_and_key(caseworker):
    items = _json_items()
    items[1]["phones"] = {"mobile": "07 00 00 00 43"}

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.import_upload(
            actor=caseworker,
            target="ads",
            filename="annonces.json",
            content=json.dumps(items).encode(),
        )

    assert "Item 2, key “phones”" in str(raised.value)
    assert not ImportJob.objects.exists()


def test_a_bad_json_row_is_named_by_its_position_and_key(caseworker):
    items = _json_items()
    items[1]["first_seen_on"] = "hier"

    with translation.override("en"):
        _job, preview = _preview(caseworker, json.dumps(items).encode(), "annonces.json")

    assert [(e.line, e.column) for e in preview.errors] == [(2, "first_seen_on")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[1, 2]", "Item 1: each item must be an object"),
        (b'{"ads": [], "other": []}', "an object holding one array"),
        (b'[{"site": "x",}]', "not valid JSON near line 1"),
    ],
)
def test_a_json_file_that_is_no_list_of_objects_is_refused(caseworker, content, message):
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        services.import_upload(
            actor=caseworker, target="ads", filename="annonces.json", content=content
        )


def test_the_browser_journey_file_holds_exactly_two_networks(caseworker, org_a):
    job = _import(caseworker, ADS_50.read_bytes(), filename="ads_50.csv")[0]

    assert job.created_count == 50
    clusters = {
        cluster.pk: sorted(
            int(ad.url.rsplit("/", 1)[1]) for ad in Advertisement.objects.filter(cluster=cluster)
        )
        for cluster in AdCluster.objects.filter(organisation=org_a)
    }
    assert sorted(clusters.values()) == [
        [1001, 1002, 1003, 1004, 1005, 1006],
        [1007, 1008, 1009, 1010],
    ]
    minors = Advertisement.objects.filter(declared_age=17)
    assert minors.count() == 1 and minors.get().declared_minor
    school = [ad for ad in Advertisement.objects.all() if "lyceenne" in ad.text]
    assert len(school) == 1 and "school.pupil" in school[0].signs


def test_only_caseworkers_and_coordinators_may_import_ads(users, client_for):
    for role in ("org_admin", "analyst", "platform_admin"):
        with pytest.raises(PermissionDenied):
            services.import_upload(
                actor=Actor(users[(role, None if role == "platform_admin" else "a")]),
                target="ads",
                filename="annonces.csv",
                content=_csv(_row(1)),
            )
    page = reverse("imports:ads")
    assert client_for(users[("caseworker", "a")]).get(page).status_code == 200
    assert client_for(users[("coordinator", "a")]).get(page).status_code == 200
    assert client_for(users[("org_admin", "a")]).get(page).status_code == 403


def test_the_upload_page_leads_to_the_mapping_of_an_ads_file(users, client_for):
    client = client_for(users[("caseworker", "a")])
    upload = ADS_50.open("rb")

    response = client.post(reverse("imports:ads"), {"file": upload})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.target == "ads"
    assert response["Location"] == reverse("imports:mapping", args=[job.uuid])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Empreintes photos" in page.content.decode()


def _command(*args):
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_checks_a_file_with_dry_run_and_writes_nothing(tmp_path, users):
    path = tmp_path / "ads_50.csv"
    path.write_bytes(ADS_50.read_bytes())
    email = users[("caseworker", "a")].email

    out, err = _command("ads", str(path), "--as", email, "--dry-run")

    assert "50 rows: 50 to create" in out and "nothing was written" in out
    assert "Mapping suggested" in err
    assert not Advertisement.objects.exists() and not ImportJob.objects.exists()

    out, _err = _command("ads", str(path), "--as", email)

    assert "50 rows: 50 created, 0 updated" in out
    assert Advertisement.objects.count() == 50 and AdCluster.objects.count() == 2

    out, _err = _command("ads", str(path), "--as", email, "--dry-run")
    assert "50 rows: 0 to create, 50 to update" in out


def test_the_command_names_a_bad_row_and_imports_nothing(tmp_path, users):
    path = tmp_path / "annonces.json"
    items = _json_items()
    items[0]["phones"] = ["07 00 00 00 41", "un numéro"]
    path.write_text(json.dumps(items), encoding="utf-8")

    with pytest.raises(CommandError, match="1 problems"):
        _command("ads", str(path), "--as", users[("coordinator", "a")].email)

    assert not Advertisement.objects.exists()


def test_the_command_refuses_a_role_that_may_not_import_ads(tmp_path, users):
    path = tmp_path / "annonces.csv"
    path.write_bytes(_csv(_row(1)))

    with pytest.raises(CommandError, match="may not import"):
        _command("ads", str(path), "--as", users[("org_admin", "a")].email)
