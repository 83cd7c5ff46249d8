"""Recording, importing and changing advertisements (vigie/outreach/services/ads.py): references,
normalised identifiers, the same ad seen again, clusters, audit and encryption at rest."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.outreach.models import AdIdentifier, Advertisement, IdentifierKind
from vigie.outreach.services.ad_input import AdInput
from vigie.outreach.services.ads import (
    ad_identifiers,
    ad_input_from,
    ad_record,
    ad_update,
    ads_import,
    ads_touch,
)
from vigie.tests_support.factories_outreach import ad_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(users):
    return Actor(user=users[("caseworker", "a")])


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_references_follow_each_other_per_organisation_and_year(worker, org_a, org_b):
    first = ad_record(actor=worker, organisation=org_a, data=ad_input())
    recorded = ads_import(actor=worker, organisation=org_a, items=[ad_input(), ad_input()])
    theirs = ad_record(actor=worker, organisation=org_b, data=ad_input())
    year = first.first_seen_on.year
    assert first.reference == f"ANN-{year}-00001"
    assert [ad.reference for ad in recorded.created] == [
        f"ANN-{year}-00002",
        f"ANN-{year}-00003",
    ]
    assert theirs.reference == f"ANN-{year}-00001"


def test_identifiers_are_normalised_and_phones_found_in_the_text(worker, org_a):
    ad = ad_record(
        actor=worker,
        organisation=org_a,
        data=ad_input(
            text="Dispo ce soir, appelle au 07 00 12 12 12 ou 0700121212",
            phones=["07.00.34.34.34", "+33 7 00 34 34 34"],
            handles=[
                "Snapchat:Lea_X",
                "https://www.instagram.com/lea.x/",
                "whatsapp:07 00 56 56 56",
                "snapchat.com/add/lea_x",
            ],
            image_hashes=["ABCDEF0123456789", "abcdef0123456789"],
        ),
    )
    found = ad_identifiers(ad)
    assert found[IdentifierKind.PHONE] == ["+33700343434", "+33700121212"]
    assert found[IdentifierKind.HANDLE] == [
        "snapchat:lea_x",
        "instagram:lea.x",
        "whatsapp:+33700565656",
    ]
    assert found[IdentifierKind.IMAGE] == ["abcdef0123456789"]


def test_invalid_input_is_refused_field_by_field_and_nothing_is_written(worker, org_a):
    today = date(2026, 5, 10)
    with pytest.raises(ValidationError) as refused:
        ad_record(
            actor=worker,
            organisation=org_a,
            data=AdInput(
                site=" ",
                first_seen_on=today,
                last_seen_on=today - timedelta(days=1),
                declared_age=140,
                worker_flags=["looks_sad"],
            ),
        )
    assert set(refused.value.message_dict) == {
        "site",
        "last_seen_on",
        "declared_age",
        "worker_flags",
        "text",
    }
    with pytest.raises(ValidationError) as refused:
        ad_record(
            actor=worker,
            organisation=org_a,
            data=ad_input(phones=["12"], handles=["@nobody"], image_hashes=["not-a-hash"]),
        )
    assert set(refused.value.message_dict) == {"phones", "handles", "image_hashes"}
    with pytest.raises(ValidationError) as refused:
        ad_record(actor=worker, organisation=org_a, data=ad_input(url="ftp://site.test/a"))
    assert set(refused.value.message_dict) == {"url"}
    assert not Advertisement.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.OUTREACH_AD_CREATE).exists()


def test_the_form_refuses_an_address_already_recorded_naming_the_ad(worker, org_a):
    known = ad_record(
        actor=worker, organisation=org_a, data=ad_input(url="https://Site.test/annonce/1/")
    )
    with pytest.raises(ValidationError) as refused:
        ad_record(actor=worker, organisation=org_a, data=ad_input(url="site.test/annonce/1#haut"))
    assert known.reference in refused.value.message_dict["url"][0]
    # The same address in another organisation is another organisation's ad.
    ad_record(
        actor=worker,
        organisation=org_a.__class__.objects.create(name="Autre"),
        data=ad_input(url="https://site.test/annonce/1"),
    )
    assert Advertisement.objects.filter(organisation=org_a).count() == 1


def test_an_import_merges_an_ad_seen_again(worker, org_a):
    first = ad_record(
        actor=worker,
        organisation=org_a,
        data=ad_input(
            url="https://site.test/annonce/7",
            first_seen_on=date(2026, 3, 10),
            last_seen_on=date(2026, 3, 12),
            text="Texte d'origine",
            city="",
            observations="Première visite.",
            phones=["07 00 10 10 10"],
        ),
    )
    recorded = ads_import(
        actor=worker,
        organisation=org_a,
        items=[
            ad_input(
                url="https://SITE.test/annonce/7/",
                first_seen_on=date(2026, 3, 1),
                last_seen_on=date(2026, 3, 20),
                text="Texte modifié",
                city="Lille",
                observations="Revue ce jour.",
                phones=["07 00 20 20 20"],
                pseudonyms=["Nina"],
            )
        ],
    )
    assert recorded.created == [] and [ad.pk for ad in recorded.seen_again] == [first.pk]
    first.refresh_from_db()
    assert (first.first_seen_on, first.last_seen_on) == (date(2026, 3, 1), date(2026, 3, 20))
    # What the team wrote stays; what was missing is filled in; identifiers add up.
    assert first.text == "Texte d'origine" and first.city == "Lille"
    assert first.observations == "Première visite.\n\nRevue ce jour."
    assert "Nina" in first.pseudonym_list
    assert ad_identifiers(first)[IdentifierKind.PHONE] == ["+33700101010", "+33700202020"]
    assert Advertisement.objects.count() == 1
    event = AuditEvent.objects.get(action=AuditAction.OUTREACH_AD_IMPORT)
    assert event.object_uuids == [str(first.uuid)]


def test_the_same_address_twice_in_one_import_is_one_ad(worker, org_a):
    recorded = ads_import(
        actor=worker,
        organisation=org_a,
        items=[
            ad_input(
                url="https://site.test/b",
                first_seen_on=date(2026, 4, 1),
                last_seen_on=date(2026, 4, 2),
                phones=["0700303030"],
            ),
            ad_input(
                url="https://site.test/b/",
                first_seen_on=date(2026, 4, 1),
                last_seen_on=date(2026, 4, 9),
                phones=["0700404040"],
            ),
        ],
    )
    assert len(recorded.created) == 1
    ad = Advertisement.objects.get()
    assert ad.last_seen_on == date(2026, 4, 9)
    assert set(ad_identifiers(ad)[IdentifierKind.PHONE]) == {"+33700303030", "+33700404040"}


def test_an_import_is_all_or_nothing(worker, org_a):
    with pytest.raises(ValidationError):
        ads_import(actor=worker, organisation=org_a, items=[ad_input(), ad_input(declared_age=3)])
    assert not Advertisement.objects.exists()


def test_ads_sharing_a_phone_are_clustered_after_each_change(worker, org_a):
    one = ad_record(actor=worker, organisation=org_a, data=ad_input(phones=["0700505050"]))
    two = ad_record(actor=worker, organisation=org_a, data=ad_input(phones=["07 00 50 50 50"]))
    one.refresh_from_db()
    assert (
        one.cluster is not None
        and one.cluster_id == Advertisement.objects.get(pk=two.pk).cluster_id
    )
    assert one.cluster.ads_count == 2 and one.cluster.phones_count == 1
    ad_update(actor=worker, ad=two, data=AdInput(**{**ad_input_from(two).__dict__, "phones": []}))
    assert not Advertisement.objects.filter(cluster__isnull=False).exists()


def test_an_update_replaces_signs_and_identifiers_and_is_audited(worker, org_a):
    ad = ad_record(actor=worker, organisation=org_a, data=ad_input(declared_age=25))
    assert ad.priority == 0
    data = ad_input_from(ad)
    changed = AdInput(
        **{
            **data.__dict__,
            "text": "Lycéenne, dispo après les cours",
            "handles": ["telegram:nina_x"],
            "phones": [],
        }
    )
    ad_update(actor=worker, ad=ad, data=changed)
    ad.refresh_from_db()
    assert ad.priority == 3 and "school.pupil" in ad.signs
    assert ad_identifiers(ad) == {
        IdentifierKind.PHONE: [],
        IdentifierKind.HANDLE: ["telegram:nina_x"],
        IdentifierKind.IMAGE: [],
    }
    event = AuditEvent.objects.get(action=AuditAction.OUTREACH_AD_UPDATE)
    assert event.object_uuids == [str(ad.uuid)]


def test_an_update_cannot_take_another_ads_address(worker, org_a):
    first = ad_record(actor=worker, organisation=org_a, data=ad_input())
    second = ad_record(actor=worker, organisation=org_a, data=ad_input())
    with pytest.raises(ValidationError) as refused:
        ad_update(
            actor=worker,
            ad=second,
            data=AdInput(**{**ad_input_from(second).__dict__, "url": first.url}),
        )
    assert "url" in refused.value.message_dict


def test_text_phones_and_identifiers_are_encrypted_at_rest(worker, org_a):
    ad = ad_record(
        actor=worker,
        organisation=org_a,
        data=ad_input(
            url="https://site.test/secret-annonce",
            text="Appelle Nadia au 07 00 61 61 61",
            city="Roubaix",
            pseudonyms=["Nadia"],
            observations="Semble très jeune",
            handles=["snapchat:nadia_x"],
        ),
    )
    for column, plain in (
        ("text", "Nadia"),
        ("url", "secret-annonce"),
        ("city", "Roubaix"),
        ("pseudonyms", "Nadia"),
        ("observations", "jeune"),
    ):
        raw = _raw("outreach_advertisement", column, ad.pk)
        assert raw.startswith("fernet:") and plain not in raw, column
    for identifier in AdIdentifier.objects.filter(ad=ad):
        raw = _raw("outreach_adidentifier", "value", identifier.pk)
        assert raw.startswith("fernet:")
        assert "616161" not in raw and "nadia" not in raw
        assert "616161" not in identifier.value_index


def test_a_contact_or_report_moves_retention_forward_only(worker, org_a):
    ad = ad_record(
        actor=worker,
        organisation=org_a,
        data=ad_input(first_seen_on=date(2026, 1, 2), last_seen_on=date(2026, 1, 5)),
    )
    assert ad.last_activity_on == date(2026, 1, 5)
    ads_touch([ad], date(2026, 2, 1))
    ads_touch([ad], date(2026, 1, 20))
    ad.refresh_from_db()
    assert ad.last_activity_on == date(2026, 2, 1)
