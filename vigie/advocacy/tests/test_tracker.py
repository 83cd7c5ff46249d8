"""The recommendations tracker: French search, filters, assessments and their history, evidence
(live figures follow new releases, pinned ones do not), measures and reminders, permissions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from vigie.advocacy.models import (
    Assessment,
    AssessmentSource,
    AssessmentStatus,
    Evidence,
    EvidenceKind,
    TrackerChange,
)
from vigie.advocacy.search import RecommendationFilters, recommendations_search, search_normalise
from vigie.advocacy.services.tracker import (
    assessment_add,
    evidence_add,
    measure_add,
    measure_update,
    measures_due,
)
from vigie.audit.services import Actor
from vigie.tests_support.factories_advocacy import (
    AssessmentFactory,
    FrameworkFactory,
    MeasureFactory,
    RecommendationFactory,
    ThemeFactory,
)
from vigie.tests_support.factories_releases import release_published

pytestmark = pytest.mark.django_db

# The seed recommendations are in the database too: only ours are looked at.
OURS = {"CRC 41(c)", "ECPAT 3"}
GIRLS = {("gender",): {("girl",): 40, ("boy",): 25, ("other",): 3}}


@pytest.fixture
def analyst(users):
    return Actor(user=users[("analyst", "a")])


@pytest.fixture
def seeds():
    crc = FrameworkFactory(code="test_crc", document_reference="CRC/C/TEST/CO/1")
    ngo = FrameworkFactory(code="test_ecpat")
    exploitation = ThemeFactory(code="test_exploitation", title_fr="Exploitation sexuelle")
    justice = ThemeFactory(code="test_justice", title_fr="Accès à la justice")
    return {
        "hotels": RecommendationFactory(
            framework=crc,
            reference="CRC 41(c)",
            text_fr="Mettre fin à l’hébergement des enfants protégés à l’hôtel.",
            text_en="End the placement of children in care in hotels.",
            themes=[exploitation],
            articles=["CRC 20"],
            sdg_targets=["16.2"],
            authorities=["Départements"],
        ),
        "judges": RecommendationFactory(
            framework=ngo,
            reference="ECPAT 3",
            text_fr="Former les magistrats à l’identification des victimes de traite.",
            text_en="Train judges to identify victims of trafficking.",
            themes=[justice],
            articles=["OPSC 8"],
            sdg_targets=["8.7"],
            authorities=["Ministère de la Justice"],
        ),
    }


# --- search -----------------------------------------------------------------------------------


def test_search_normalise_removes_accents_case_and_punctuation():
    assert search_normalise("L’Hébergement à l’HÔTEL, des «enfants»!") == (
        "l hebergement a l hotel des enfants"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hébergement", {"CRC 41(c)"}),
        ("hebergement", {"CRC 41(c)"}),
        ("HÔTEL enfants protégés", {"CRC 41(c)"}),
        ("proteges hotel", {"CRC 41(c)"}),
        ("les victimes de la traite", {"ECPAT 3"}),  # stop words ignored
        ("magistrats hôtel", set()),  # every word must occur
        ("traite", {"ECPAT 3"}),
        ("trafficking", {"ECPAT 3"}),  # the English text is searched too
        ("ministere justice", {"ECPAT 3"}),  # authorities, without their accents
        ("", {"CRC 41(c)", "ECPAT 3"}),
    ],
)
def test_french_search_finds_accented_and_unaccented_words(seeds, query, expected):
    found = {r.reference for r in recommendations_search(query)}
    assert found & OURS == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (RecommendationFilters(framework="test_crc"), {"CRC 41(c)"}),
        (RecommendationFilters(theme="test_justice"), {"ECPAT 3"}),
        (RecommendationFilters(article="OPSC 8"), {"ECPAT 3"}),
        (RecommendationFilters(article="OPSC"), set()),  # an article is matched whole
        (RecommendationFilters(sdg_target="16.2"), {"CRC 41(c)"}),
        (RecommendationFilters(authority="Départements"), {"CRC 41(c)"}),
        (RecommendationFilters(kind="question"), set()),
        (RecommendationFilters(status="partially"), {"CRC 41(c)"}),
        (RecommendationFilters(status="unknown"), {"ECPAT 3"}),
        (RecommendationFilters(status="implemented"), set()),
    ],
)
def test_filters(seeds, filters, expected):
    # Our latest assessment counts; an older one, and the State's claim, do not.
    hotels = seeds["hotels"]
    AssessmentFactory(recommendation=hotels, status="implemented", assessed_on=date(2024, 1, 1))
    AssessmentFactory(recommendation=hotels, status="partially", assessed_on=date(2025, 1, 1))
    AssessmentFactory(
        recommendation=hotels,
        source=AssessmentSource.STATE_CLAIM,
        status="implemented",
        assessed_on=date(2025, 6, 1),
    )
    AssessmentFactory(
        recommendation=seeds["judges"],
        source=AssessmentSource.STATE_CLAIM,
        status="implemented",
    )
    assert {r.reference for r in recommendations_search("", filters)} & OURS == expected


def test_search_and_filters_together(seeds):
    found = recommendations_search("enfants", RecommendationFilters(theme="test_justice"))
    assert list(found) == []
    found = recommendations_search("victimes", RecommendationFilters(theme="test_justice"))
    assert [r.reference for r in found] == ["ECPAT 3"]
    found = recommendations_search("victimes", RecommendationFilters(framework="test_crc"))
    assert list(found) == []


# --- assessments and history ------------------------------------------------------------------


def test_an_assessment_is_recorded_with_its_history(seeds, analyst):
    hotels = seeds["hotels"]
    first = assessment_add(
        actor=analyst,
        recommendation=hotels,
        source=AssessmentSource.ASSESSMENT,
        assessed_on=date(2025, 1, 10),
        status=AssessmentStatus.NOT_IMPLEMENTED,
        rationale="  Des enfants sont encore placés à l’hôtel.  ",
    )
    assessment_add(
        actor=analyst,
        recommendation=hotels,
        source=AssessmentSource.ASSESSMENT,
        assessed_on=date(2025, 6, 10),
        status=AssessmentStatus.PARTIALLY,
        rationale="La loi du 7 février 2022 l’interdit, avec des dérogations.",
    )

    assert first.rationale == "Des enfants sont encore placés à l’hôtel."
    assert first.assessor == analyst.user
    changes = list(TrackerChange.objects.filter(recommendation=hotels).order_by("id"))
    assert [c.action for c in changes] == ["assessment_add", "assessment_add"]
    assert changes[0].details["before"] == {"status": None}
    assert changes[1].details["before"] == {"status": "not_implemented"}
    assert changes[1].details["after"] == {"status": "partially", "assessed_on": "2025-06-10"}
    assert changes[1].changed_by == analyst.user


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "done"}, "status"),
        ({"source": "rumour"}, "source"),
        ({"rationale": "   "}, "rationale"),
        ({"assessed_on": date.today() + timedelta(days=2)}, "assessed_on"),  # noqa: DTZ011
    ],
)
def test_a_bad_assessment_is_refused_naming_the_field(seeds, analyst, changes, field):
    values = {
        "source": AssessmentSource.ASSESSMENT,
        "assessed_on": date(2025, 1, 10),
        "status": AssessmentStatus.PARTIALLY,
        "rationale": "Observé.",
    }
    with pytest.raises(ValidationError) as error:
        assessment_add(actor=analyst, recommendation=seeds["hotels"], **(values | changes))
    assert field in error.value.error_dict
    assert not Assessment.objects.exists()
    assert not TrackerChange.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "caseworker", "org_admin"])
def test_only_advocacy_editors_may_change_the_tracker(seeds, users, role):
    actor = Actor(user=users[(role, "a")])
    assessment = AssessmentFactory(recommendation=seeds["hotels"])
    with pytest.raises(PermissionDenied):
        assessment_add(
            actor=actor,
            recommendation=seeds["hotels"],
            source=AssessmentSource.ASSESSMENT,
            assessed_on=date(2025, 1, 10),
            status=AssessmentStatus.PARTIALLY,
            rationale="Observé.",
        )
    with pytest.raises(PermissionDenied):
        evidence_add(actor=actor, assessment=assessment, kind="link", title="x", url="https://a.b")
    with pytest.raises(PermissionDenied):
        measure_add(actor=actor, recommendation=seeds["hotels"], title="Mesure")
    with pytest.raises(PermissionDenied):
        measure_update(actor=actor, measure=MeasureFactory(), title="Autre")
    with pytest.raises(PermissionDenied):
        assessment_add(
            actor=Actor(user=None),
            recommendation=seeds["hotels"],
            source=AssessmentSource.ASSESSMENT,
            assessed_on=date(2025, 1, 10),
            status=AssessmentStatus.PARTIALLY,
            rationale="Observé.",
        )
    assert Assessment.objects.count() == 1
    assert not TrackerChange.objects.exists()


# --- evidence: live and pinned figures ----------------------------------------------------------


def _figure_evidence(actor, assessment, *, release=None, title="Filles identifiées"):
    return evidence_add(
        actor=actor,
        assessment=assessment,
        kind=EvidenceKind.FIGURE,
        title=title,
        table=["gender"],
        cell=["girl"],
        release_uuid=release.uuid if release else None,
    )


def _evidence_text(client, recommendation, evidence):
    page = client.get(reverse("advocacy:recommendation", args=[recommendation.uuid]))
    assert page.status_code == 200
    content = page.content.decode()
    start = content.index(f'data-evidence="{evidence.uuid}"')
    return content[start : content.index("</li>", start)]


def test_live_evidence_follows_a_new_release_and_pinned_evidence_does_not(
    seeds, analyst, users, client_for
):
    hotels = seeds["hotels"]
    first = release_published(name="Bilan 2025", tables=GIRLS, epsilon=1.0)
    assessment = AssessmentFactory(recommendation=hotels)
    live = _figure_evidence(analyst, assessment, title="Filles (en direct)")
    pinned = _figure_evidence(analyst, assessment, release=first, title="Filles (2025)")
    assert live.release is None and pinned.release == first
    reader = client_for(users[("coordinator", "a")])

    live_text = _evidence_text(reader, hotels, live)
    assert "<strong data-figure>40</strong>" in live_text
    assert "Bilan 2025" in live_text and "ε = 1" in live_text

    release_published(
        name="Bilan 2026",
        tables={("gender",): {("girl",): 7, ("boy",): 30}},
        epsilon=0.5,
        published_at=timezone.now() + timedelta(minutes=1),
    )

    live_text = _evidence_text(reader, hotels, live)
    assert "<strong data-figure>&lt; 11</strong>" in live_text  # 7: below the threshold
    assert "Bilan 2026" in live_text and "ε = 0.5" in live_text
    assert ">40<" not in live_text
    pinned_text = _evidence_text(reader, hotels, pinned)
    assert "<strong data-figure>40</strong>" in pinned_text
    assert "Bilan 2025" in pinned_text and "Bilan 2026" not in pinned_text
    history = TrackerChange.objects.filter(action="evidence_add").order_by("id")
    assert [c.details["after"]["value_when_added"] for c in history] == ["40", "40"]


@pytest.mark.parametrize(
    ("table", "cell", "field"),
    [
        (["form"], ["forced_begging"], "table"),  # no published release has this table
        (["gender"], ["martian"], "cell"),
        (["gender"], [], "cell"),
    ],
)
def test_an_unavailable_figure_is_refused_naming_the_field(seeds, analyst, table, cell, field):
    release_published(tables=GIRLS)
    assessment = AssessmentFactory(recommendation=seeds["hotels"])
    with pytest.raises(ValidationError) as error:
        evidence_add(
            actor=analyst,
            assessment=assessment,
            kind=EvidenceKind.FIGURE,
            title="Chiffre",
            table=table,
            cell=cell,
        )
    assert list(error.value.error_dict) == [field]
    assert not Evidence.objects.exists()
    assert not TrackerChange.objects.exists()


def test_a_figure_from_an_unpublished_release_is_refused(seeds, analyst):
    draft = release_published(tables=GIRLS, status="running")
    assessment = AssessmentFactory(recommendation=seeds["hotels"])
    with pytest.raises(ValidationError) as error:
        _figure_evidence(analyst, assessment, release=draft)
    assert list(error.value.error_dict) == ["release"]
    with pytest.raises(ValidationError) as error:
        _figure_evidence(analyst, assessment)  # live, but no release is published
    assert list(error.value.error_dict) == ["table"]


def test_evidence_form_shows_the_error_on_its_field(seeds, users, client_for):
    release_published(tables=GIRLS)
    assessment = AssessmentFactory(recommendation=seeds["hotels"])
    client = client_for(users[("analyst", "a")])
    url = reverse("advocacy:evidence_add", args=[assessment.uuid])
    data = {"kind": "figure", "title": "Chiffre", "table": "gender", "cell": "martian"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "cell" in response.context["form"].errors
    assert not Evidence.objects.exists()

    response = client.post(url, data | {"cell": "girl"})
    assert response.status_code == 302
    assert Evidence.objects.get().cell == ["girl"]


# --- measures and reminders -------------------------------------------------------------------


def test_measures_history_and_reminders(seeds, analyst):
    today = date(2026, 3, 1)
    hotels = seeds["hotels"]
    soon = measure_add(
        actor=analyst,
        recommendation=hotels,
        title="Décret d’application",
        indicator="Nombre d’enfants à l’hôtel",
        due_on=today + timedelta(days=10),
    )
    late = measure_add(
        actor=analyst, recommendation=hotels, title="Rapport", due_on=today - timedelta(days=3)
    )
    measure_add(
        actor=analyst, recommendation=hotels, title="Plus tard", due_on=today + timedelta(days=90)
    )
    measure_add(actor=analyst, recommendation=hotels, title="Sans date")
    assert list(measures_due(today=today)) == [late, soon]

    measure_update(actor=analyst, measure=late, done_on=date(2026, 2, 27))
    assert list(measures_due(today=today)) == [soon]
    change = TrackerChange.objects.filter(action="measure_update").get()
    assert change.details == {
        "measure": str(late.uuid),
        "before": {"done_on": None},
        "after": {"done_on": "2026-02-27"},
    }
    with pytest.raises(ValidationError) as error:
        measure_update(actor=analyst, measure=soon, title=" ")
    assert list(error.value.error_dict) == ["title"]
    assert TrackerChange.objects.filter(action="measure_add").count() == 4


# --- pages ------------------------------------------------------------------------------------


def test_list_page_searches_and_filters(seeds, users, client_for):
    client = client_for(users[("coordinator", "a")])
    url = reverse("advocacy:recommendations")
    page = client.get(url, {"q": "hotel proteges", "framework": "test_crc"})
    assert page.status_code == 200
    assert [r.recommendation.reference for r in page.context["recommendations"]] == ["CRC 41(c)"]
    page = client.get(url, {"theme": "test_justice", "article": "OPSC 8", "status": "unknown"})
    assert [r.recommendation.reference for r in page.context["recommendations"]] == ["ECPAT 3"]
    assert "ECPAT 3" in page.content.decode()


def test_detail_page_shows_both_texts_claims_apart_and_history(seeds, analyst, users, client_for):
    hotels, judges = seeds["hotels"], seeds["judges"]
    hotels.related.add(judges)
    assessment_add(
        actor=analyst,
        recommendation=hotels,
        source=AssessmentSource.ASSESSMENT,
        assessed_on=date(2025, 1, 10),
        status=AssessmentStatus.REGRESSED,
        rationale="Plus d’enfants à l’hôtel qu’en 2023.",
    )
    assessment_add(
        actor=analyst,
        recommendation=hotels,
        source=AssessmentSource.STATE_CLAIM,
        assessed_on=date(2025, 2, 1),
        status=AssessmentStatus.IMPLEMENTED,
        rationale="Rapport de l’État.",
    )
    client = client_for(users[("analyst", "a")])
    content = client.get(reverse("advocacy:recommendation", args=[hotels.uuid])).content.decode()
    assert 'lang="fr" data-text="fr"' in content and "hébergement" in content
    assert 'lang="en" data-text="en"' in content and "hotels" in content
    ours = content[content.index('data-list="assessments"') : content.index('data-list="claims"')]
    claims = content[content.index('data-list="claims"') :]
    assert 'data-status="regressed"' in ours and 'data-status="implemented"' not in ours
    assert 'data-status="implemented"' in claims.split("</section>")[0]
    assert "ECPAT 3" in content  # related
    assert content.count('data-action="assessment_add"') == 2


def test_an_analyst_adds_an_assessment_and_a_measure_through_the_pages(seeds, users, client_for):
    hotels = seeds["hotels"]
    client = client_for(users[("analyst", "a")])
    response = client.post(
        reverse("advocacy:assessment_add", args=[hotels.uuid]),
        {"source": "assessment", "assessed_on": "2025-01-10", "status": "partially",
         "rationale": "Observé."},
    )  # fmt: skip
    assert response.status_code == 302
    assert Assessment.objects.get().status == "partially"
    response = client.post(
        reverse("advocacy:measure_add", args=[hotels.uuid]),
        {"title": "Décret", "due_on": (timezone.localdate() + timedelta(days=5)).isoformat()},
    )
    assert response.status_code == 302
    page = client.get(reverse("advocacy:measures_due"))
    assert "Décret" in page.content.decode()
    response = client.post(reverse("advocacy:measure_add", args=[hotels.uuid]), {"title": ""})
    assert response.status_code == 422


def test_coordinators_read_but_cannot_edit(seeds, users, client_for):
    hotels = seeds["hotels"]
    client = client_for(users[("coordinator", "a")])
    page = client.get(reverse("advocacy:recommendation", args=[hotels.uuid]))
    assert page.status_code == 200
    assert reverse("advocacy:assessment_add", args=[hotels.uuid]) not in page.content.decode()
    response = client.post(
        reverse("advocacy:assessment_add", args=[hotels.uuid]),
        {"source": "assessment", "assessed_on": "2025-01-10", "status": "partially",
         "rationale": "Observé."},
    )  # fmt: skip
    assert response.status_code == 404
    assert not Assessment.objects.exists()
    caseworker = client_for(users[("caseworker", "a")])
    assert caseworker.get(reverse("advocacy:recommendations")).status_code == 403


def test_unknown_uuids_are_404(users, client_for):
    import uuid

    client = client_for(users[("analyst", "a")])
    assert client.get(reverse("advocacy:recommendation", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("advocacy:evidence_add", args=[uuid.uuid4()])).status_code == 404
