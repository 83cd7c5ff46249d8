"""The advertisement pages over HTTP: the list (order, filters, search, audit), the form (record,
change, photos) and the ad's page, for each role and organisation."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from vigie.audit.models import AuditAction, AuditEvent
from vigie.outreach.models import AdIdentifier, Advertisement, IdentifierKind
from vigie.outreach.selectors_ads import ADS_PER_PAGE
from vigie.outreach.services.ads import ad_identifiers
from vigie.outreach.services.images import image_fingerprint
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_ad_photos import photo_bytes
from vigie.tests_support.factories_outreach import (
    ad_for_tests,
    ad_input,
    ads_for_tests,
    network_for_tests,
)

pytestmark = pytest.mark.django_db

ADS = reverse("outreach:ads")
CREATE = reverse("outreach:ad_create")


def _detail(ad: Advertisement) -> str:
    return reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid})


def _update(ad: Advertisement) -> str:
    return reverse("outreach:ad_update", kwargs={"ad_uuid": ad.uuid})


def _upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _form(**overrides: object) -> dict[str, object]:
    today = timezone.localdate()
    data: dict[str, object] = {
        "site": "annonces-exemple.test",
        "url": "https://annonces-exemple.test/annonce/form-1",
        "first_seen_on": (today - timedelta(days=2)).isoformat(),
        "last_seen_on": today.isoformat(),
        "text": "Nouvelle en ville, écrire sur snap. Appelle le 07 00 11 22 33",
        "declared_age": "17",
        "city": "Marseille",
        "pseudonyms": "Lola\nLolita\n",
        "phones": "07.00.44.55.66\n",
        "handles": "snapchat:Lola_x\nhttps://www.instagram.com/lola.x/\n",
        "observations": "Vue deux fois cette semaine.",
    }
    data.update(overrides)
    return data


def _events(action: AuditAction) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


# --- The list --------------------------------------------------------------------------------


def test_the_list_puts_signs_of_a_minor_first_then_the_most_recently_seen(
    users, org_a, org_b, client_for
):
    today = timezone.localdate()
    adult_recent = ad_for_tests(org_a, last_seen_on=today, first_seen_on=today)
    adult_older = ad_for_tests(
        org_a, last_seen_on=today - timedelta(days=5), first_seen_on=today - timedelta(days=6)
    )
    minor_old = ad_for_tests(
        org_a,
        declared_age=16,
        last_seen_on=today - timedelta(days=20),
        first_seen_on=today - timedelta(days=21),
    )
    theirs = ad_for_tests(org_b)
    response = client_for(users[("caseworker", "a")]).get(ADS)
    assert response.status_code == 200
    body = response.content.decode()
    positions = [body.index(f'data-ad="{ad.uuid}"') for ad in (minor_old, adult_recent)]
    assert positions == sorted(positions)
    assert body.index(f'data-ad="{adult_recent.uuid}"') < body.index(
        f'data-ad="{adult_older.uuid}"'
    )
    assert f'data-ad="{theirs.uuid}"' not in body
    # The order is said in words, and the strongest sign is named (not colour alone).
    with translation.override("fr"):
        assert "signes de minorité" in body or "signs of a minor" in body
    row = body[body.index(f'data-ad="{minor_old.uuid}"') :].split("</tr>")[0]
    assert 'data-signs="1"' in row


def test_the_list_names_the_strongest_sign_and_the_network(users, org_a, client_for):
    network = network_for_tests(org_a, size=3)
    ad = ad_for_tests(org_a, text="Lycéenne dispo après les cours", declared_age=None)
    client = client_for(users[("coordinator", "a")])
    with translation.override("en"):
        body = client.get(ADS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = body[body.index(f'data-ad="{ad.uuid}"') :].split("</tr>")[0]
    assert "Says they are at middle or high school" in row
    network_row = body[body.index(f'data-ad="{network[0].uuid}"') :].split("</tr>")[0]
    cluster_url = reverse("outreach:cluster", kwargs={"ad_uuid": network[0].uuid})
    assert f'href="{cluster_url}"' in network_row and "possible network of 3 ads" in network_row
    assert reverse("outreach:clusters") in body and reverse("imports:ads") in body


def test_the_list_filters_ads_with_signs_and_by_site(users, org_a, client_for):
    minor = ad_for_tests(org_a, declared_age=15, site="site-un.test")
    adult = ad_for_tests(org_a, declared_age=30, site="site-deux.test")
    client = client_for(users[("caseworker", "a")])
    body = client.get(ADS, {"signs_only": "on"}).content.decode()
    assert f'data-ad="{minor.uuid}"' in body and f'data-ad="{adult.uuid}"' not in body
    body = client.get(ADS, {"site": "site-deux.test"}).content.decode()
    assert f'data-ad="{adult.uuid}"' in body and f'data-ad="{minor.uuid}"' not in body
    # A site the organisation never recorded is an error shown, not an empty list.
    assert client.get(ADS, {"site": "inconnu.test"}).status_code == 422
    assert client.get(ADS, {"page": "0"}).status_code == 422


@pytest.mark.parametrize(
    "query", ["07 00 12 34 56", "+33700123456", "0033 7 00 12 34 56", "07.00.12.34.56"]
)
def test_a_phone_written_differently_finds_the_ad(users, org_a, org_b, client_for, query):
    ad = ad_for_tests(org_a, phones=["0700123456"])
    other = ad_for_tests(org_a)
    # Organisation B's ad with the same number stays out of A's search.
    theirs = ad_for_tests(org_b, phones=["0700123456"])
    body = client_for(users[("caseworker", "a")]).post(ADS, {"identifier": query}).content.decode()
    assert f'data-ad="{ad.uuid}"' in body
    assert f'data-ad="{other.uuid}"' not in body and f'data-ad="{theirs.uuid}"' not in body


def test_a_phone_in_the_text_and_an_account_are_found(users, org_a, client_for):
    in_text = ad_for_tests(org_a, text="Appelez-moi au 07 00 98 76 54 ce soir", phones=[])
    snap = ad_for_tests(org_a, handles=["snapchat:Lea_X"])
    client = client_for(users[("caseworker", "a")])
    body = client.post(ADS, {"identifier": "+33 7 00 98 76 54"}).content.decode()
    assert f'data-ad="{in_text.uuid}"' in body
    for query in ("snapchat:lea_x", "https://www.snapchat.com/add/lea_x", "@Lea_X", "lea_x"):
        body = client.post(ADS, {"identifier": query}).content.decode()
        assert f'data-ad="{snap.uuid}"' in body, query
        assert f'data-ad="{in_text.uuid}"' not in body, query
    body = client.post(ADS, {"identifier": "instagram:lea_x"}).content.decode()
    assert f'data-ad="{snap.uuid}"' not in body
    # A platform Vigie does not list, and a name with a dot on a listed one.
    other = ad_for_tests(org_a, handles=["onlyfans:Nina.Z", "instagram:nina.z"])
    for query in ("onlyfans:nina.z", "@nina.z", "https://instagram.com/nina.z/"):
        body = client.post(ADS, {"identifier": query}).content.decode()
        assert f'data-ad="{other.uuid}"' in body, query


def test_each_list_page_is_one_audit_event_naming_the_ads_shown(users, org_a, client_for):
    ads = ads_for_tests(org_a, *(ad_input() for _ in range(ADS_PER_PAGE + 2)))
    client = client_for(users[("caseworker", "a")])
    first = client.get(ADS).content.decode()
    second = client.get(ADS, {"page": "2"}).content.decode()
    events = _events(AuditAction.OUTREACH_AD_LIST)
    assert len(events) == 2
    shown_first = {str(ad.uuid) for ad in ads if f'data-ad="{ad.uuid}"' in first}
    shown_second = {str(ad.uuid) for ad in ads if f'data-ad="{ad.uuid}"' in second}
    assert len(shown_first) == ADS_PER_PAGE and len(shown_second) == 2
    assert set(events[0].object_uuids) == shown_first
    assert set(events[1].object_uuids) == shown_second
    assert 'rel="next"' in first and 'rel="prev"' in second


# --- Recording an ad -------------------------------------------------------------------------


def test_recording_an_ad_normalises_it_and_shows_its_page(users, org_a, client_for):
    client = client_for(users[("caseworker", "a")])
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, _form(worker_flags=["photos_look_young"]))
    assert response.status_code == 302
    ad = Advertisement.objects.get(organisation=org_a)
    assert response["Location"] == _detail(ad)
    assert ad.reference.startswith("ANN-") and ad.declared_minor and ad.priority == 3
    assert ad.pseudonym_list == ["Lola", "Lolita"]
    assert ad.worker_flags == ["photos_look_young"]
    found = ad_identifiers(ad)
    assert found[IdentifierKind.PHONE] == ["+33700445566", "+33700112233"]
    assert found[IdentifierKind.HANDLE] == ["snapchat:lola_x", "instagram:lola.x"]
    assert [e.object_uuids for e in _events(AuditAction.OUTREACH_AD_CREATE)] == [[str(ad.uuid)]]
    page = client.get(response["Location"]).content.decode()
    assert "Nouvelle en ville" in page and "+33700445566" in page and "Marseille" in page


def test_an_invalid_ad_names_each_field_and_writes_nothing(users, client_for):
    client = client_for(users[("coordinator", "a")])
    today = timezone.localdate()
    response = client.post(
        CREATE,
        _form(
            site="",
            declared_age="7",
            phones="pas un numéro",
            last_seen_on=(today - timedelta(days=10)).isoformat(),
        ),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {"site"}
    response = client.post(
        CREATE,
        _form(declared_age="7", last_seen_on=(today - timedelta(days=10)).isoformat()),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"declared_age", "last_seen_on"} <= set(errors)
    response = client.post(CREATE, _form(phones="pas un numéro", handles="@sans_plateforme"))
    errors = response.context["form"].errors
    assert {"phones", "handles"} == set(errors)
    body = response.content.decode()
    assert "pas un numéro" in body and 'href="#id_phones"' in body
    assert not Advertisement.objects.exists() and not AdIdentifier.objects.exists()
    assert not _events(AuditAction.OUTREACH_AD_CREATE)


def test_an_address_already_recorded_is_refused_by_its_reference(users, org_a, client_for):
    known = ad_for_tests(org_a, url="https://annonces-exemple.test/annonce/form-1")
    response = client_for(users[("caseworker", "a")]).post(
        CREATE, _form(url="HTTPS://Annonces-Exemple.test/annonce/form-1/#photos")
    )
    assert response.status_code == 422
    assert known.reference in " ".join(response.context["form"].errors["url"])
    assert Advertisement.objects.count() == 1


def _distance(one: str, other: str) -> int:
    return bin(int(one, 16) ^ int(other, 16)).count("1")


def test_photos_become_fingerprints_and_are_kept_nowhere(
    users, org_a, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    photo, resized, other = (
        photo_bytes(1),
        photo_bytes(1, (120, 160), "JPEG"),
        photo_bytes(2),
    )
    expected = [image_fingerprint(BytesIO(content)) for content in (photo, resized, other)]
    # The same picture resized and recompressed keeps a near fingerprint; another one does not.
    assert _distance(expected[0], expected[1]) <= settings.VIGIE_OUTREACH_IMAGE_DISTANCE
    assert _distance(expected[0], expected[2]) > settings.VIGIE_OUTREACH_IMAGE_DISTANCE
    client = client_for(users[("caseworker", "a")])
    response = client.post(
        CREATE,
        _form(photos=[_upload("photo-1.png", photo), _upload("photo-2.png", other)]),
    )
    assert response.status_code == 302
    ad = Advertisement.objects.get()
    assert ad_identifiers(ad)[IdentifierKind.IMAGE] == [expected[0], expected[2]]
    # Another ad with the resized photo only (its phone and text differ): one possible network.
    response = client.post(
        CREATE,
        _form(
            url="https://autre-site.test/annonce/9",
            text="Autre texte sans rapport avec la première annonce du tout",
            phones="07 00 77 77 77",
            handles="",
            photos=[_upload("small.jpg", resized, "image/jpeg")],
        ),
    )
    assert response.status_code == 302
    second = Advertisement.objects.exclude(pk=ad.pk).get()
    ad.refresh_from_db()
    assert ad.cluster_id is not None and second.cluster_id == ad.cluster_id
    # Nothing on disk, nothing in the database but the fingerprints.
    assert list(tmp_path.iterdir()) == []
    values = list(
        AdIdentifier.objects.filter(kind=IdentifierKind.IMAGE).values_list("value", flat=True)
    )
    assert sorted(values) == sorted([expected[0], expected[2], expected[1]])


def test_a_file_that_is_not_a_photo_is_refused_by_name(users, client_for):
    response = client_for(users[("caseworker", "a")]).post(
        CREATE, _form(photos=[_upload("page.png", b"<html>not a picture</html>")])
    )
    assert response.status_code == 422
    assert "page.png" in " ".join(response.context["form"].errors["photos"])
    assert response.context["form"].photos_to_send_again == 1
    assert not Advertisement.objects.exists()


# --- Changing an ad --------------------------------------------------------------------------


def test_changing_an_ad_keeps_ticked_off_fingerprints_out_and_adds_new_ones(
    users, org_a, client_for
):
    ad = ad_for_tests(
        org_a,
        image_hashes=["00ff00ff00ff00ff", "0f0f0f0f0f0f0f0f"],
        text="Première version",
        phones=["07 00 00 00 01"],
    )
    client = client_for(users[("caseworker", "a")])
    page = client.get(_update(ad))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Première version" in body and "00ff00ff00ff00ff" in body
    response = client.post(
        _update(ad),
        _form(
            url=ad.url,
            text="Deuxième version",
            phones="",
            remove_image_hashes=["00ff00ff00ff00ff"],
            photos=[_upload("nouvelle.png", photo_bytes(3))],
        ),
    )
    assert response.status_code == 302 and response["Location"] == _detail(ad)
    ad.refresh_from_db()
    assert ad.text == "Deuxième version"
    hashes = ad_identifiers(ad)[IdentifierKind.IMAGE]
    assert hashes[0] == "0f0f0f0f0f0f0f0f" and len(hashes) == 2
    assert "+33700000001" not in ad_identifiers(ad)[IdentifierKind.PHONE]
    assert [e.object_uuids for e in _events(AuditAction.OUTREACH_AD_UPDATE)] == [[str(ad.uuid)]]


def test_changing_an_ad_to_another_ads_address_is_refused(users, org_a, client_for):
    first = ad_for_tests(org_a)
    second = ad_for_tests(org_a)
    response = client_for(users[("caseworker", "a")]).post(_update(second), _form(url=first.url))
    assert response.status_code == 422 and "url" in response.context["form"].errors
    second.refresh_from_db()
    assert second.url != first.url


# --- The ad's page ---------------------------------------------------------------------------


def test_the_ad_page_explains_each_sign_and_links_network_and_case(users, org_a, client_for):
    case = CaseFactory(organisation=org_a)
    network = network_for_tests(
        org_a, size=2, text="Toute jeune lycéenne 👧 dispo", declared_age=17
    )
    ad = network[0]
    Advertisement.objects.filter(pk=ad.pk).update(case=case)
    client = client_for(users[("caseworker", "a")])
    with translation.override("en"):
        body = client.get(_detail(ad), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Declared age under 18" in body and "Declared age: 17" in body
    assert "Found in the text: lycéenne" in body
    assert "Pharos" in body  # the why of the declared-age sign cites it
    assert 'data-sign="declared_age.minor"' in body and 'data-sign="emoji.child_figure"' in body
    assert "Strong sign of a minor" in body
    assert "possible network: 2 ads" in body.lower()
    assert case.get_absolute_url() in body and case.reference in body
    assert _update(ad) in body
    events = _events(AuditAction.OUTREACH_AD_VIEW)
    assert [e.object_uuids for e in events] == [[str(ad.uuid)]]


# --- Who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["org_admin", "analyst", "platform_admin"])
def test_roles_without_outreach_get_403_on_pages_and_404_on_ads(users, org_a, client_for, role):
    ad = ad_for_tests(org_a)
    user = users[(role, None if role == "platform_admin" else "a")]
    client = client_for(user)
    assert client.get(ADS).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _form()).status_code == 403
    assert client.get(_detail(ad)).status_code == 404
    assert client.get(_update(ad)).status_code == 404
    assert client.post(_update(ad), _form(url=ad.url)).status_code == 404
    assert not _events(AuditAction.OUTREACH_AD_VIEW)


def test_another_organisations_ad_is_a_404(users, org_b, client_for):
    ad = ad_for_tests(org_b)
    client = client_for(users[("coordinator", "a")])
    assert client.get(_detail(ad)).status_code == 404
    assert client.get(_update(ad)).status_code == 404
    assert client.post(_update(ad), _form(url=ad.url, text="changed")).status_code == 404
    ad.refresh_from_db()
    assert ad.text != "changed"


def test_the_list_costs_the_same_queries_for_one_ad_or_a_full_page(
    users, org_a, client_for, django_assert_max_num_queries
):
    client = client_for(users[("caseworker", "a")])
    linked = ad_for_tests(org_a)
    Advertisement.objects.filter(pk=linked.pk).update(case=CaseFactory(organisation=org_a))
    network_for_tests(org_a, size=2)
    client.get(ADS)  # the session's first request warms what every page loads once
    with CaptureQueriesContext(connection) as few:
        client.get(ADS)
    ads_for_tests(org_a, *(ad_input() for _ in range(ADS_PER_PAGE)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(ADS).status_code == 200


def test_a_number_deleted_from_the_text_leaves_the_ad(users, org_a, client_for):
    ad = ad_for_tests(org_a, text="Appelle le 07 00 42 42 42 ce soir", phones=["07 00 43 43 43"])
    client = client_for(users[("caseworker", "a")])
    form = client.get(_update(ad)).context["form"]
    # Typed numbers are shown; the one found in the text stays in the text.
    assert form.initial["phones"] == "+33700434343"
    data = {
        name: value
        for name, value in form.initial.items()
        if value not in (None, []) and name != "worker_flags"
    }
    data["text"] = "Écris-moi sur snap ce soir"
    response = client.post(_update(ad), data)
    assert response.status_code == 302
    assert ad_identifiers(ad)[IdentifierKind.PHONE] == ["+33700434343"]


def test_coordinators_find_the_contact_templates_from_the_list(users, client_for):
    templates = reverse("outreach:templates")
    coordinator = client_for(users[("coordinator", "a")]).get(reverse("outreach:ads"))
    caseworker = client_for(users[("caseworker", "a")]).get(reverse("outreach:ads"))
    assert f'href="{templates}"' in coordinator.content.decode()
    assert f'href="{templates}"' not in caseworker.content.decode()


def test_a_number_is_searched_by_post_and_never_enters_an_address(users, org_a, client_for):
    ad = ad_for_tests(org_a, phones=["0700123456"], declared_age=17)
    other = ad_for_tests(org_a)
    client = client_for(users[("caseworker", "a")])

    # In an address the number is ignored: the whole list, the number not put back in the form.
    body = client.get(ADS, {"identifier": "0700123456"}).content.decode()
    assert f'data-ad="{ad.uuid}"' in body and f'data-ad="{other.uuid}"' in body
    assert 'value="0700123456"' not in body

    # Filters alone sent by the form come back to the bookmarkable address, without a number.
    response = client.post(ADS, {"signs_only": "on", "identifier": "  "})
    assert response.status_code == 302 and response["Location"] == f"{ADS}?signs_only=on"


def test_the_pages_of_a_search_keep_the_number_in_the_body(users, org_a, client_for):
    phone = "07 00 11 22 33"
    ads_for_tests(org_a, *(ad_input(phones=[phone]) for _ in range(ADS_PER_PAGE + 1)))
    client = client_for(users[("caseworker", "a")])

    first = client.post(ADS, {"identifier": phone}).content.decode()
    assert first.count("data-ad=") == ADS_PER_PAGE
    assert 'name="page" value="2"' in first and "identifier=" not in first
    second = client.post(ADS, {"identifier": phone, "page": "2"}).content.decode()
    assert second.count("data-ad=") == 1
