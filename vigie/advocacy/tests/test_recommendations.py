"""Entering the official frameworks' paragraphs, changing them, linking the same demand."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from vigie.advocacy.models import Framework, Recommendation, Theme, TrackerChange
from vigie.advocacy.search import recommendations_search
from vigie.advocacy.services.recommendations import (
    RecommendationData,
    recommendation_save,
    recommendations_link,
)
from vigie.audit.services import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(users):
    return Actor(user=users[("analyst", "a")])


def _data(**changes) -> RecommendationData:
    values = {
        "framework": Framework.objects.get(code="crc_co_2023"),
        "reference": "CRC/C/FRA/CO/6-7 §test",
        "kind": "recommendation",
        "text_fr": "Désigner sans délai un administrateur ad hoc pour chaque enfant isolé.",
        "articles": ["CRC 20", "OPSC 8"],
        "themes": (Theme.objects.get(code="crc-special-protection"),),
    }
    return RecommendationData(**{**values, **changes})


def test_an_entered_recommendation_is_searchable_and_its_history_kept(analyst):
    recommendation = recommendation_save(actor=analyst, data=_data())

    assert (
        recommendations_search("designer administrateur enfant isole")
        .filter(pk=recommendation.pk)
        .exists()
    )
    # Searchable by its article and theme too.
    assert recommendations_search("OPSC 8").filter(pk=recommendation.pk).exists()
    recommendation_save(
        actor=analyst,
        data=_data(text_en="Appoint an ad hoc administrator without delay."),
        recommendation=recommendation,
    )
    changes = list(TrackerChange.objects.filter(recommendation=recommendation).order_by("id"))
    assert [c.action for c in changes] == ["recommendation_add", "recommendation_edit"]
    assert changes[1].details == {
        "before": {"text_en": ""},
        "after": {"text_en": "Appoint an ad hoc administrator without delay."},
    }
    assert all(c.changed_by == analyst.user for c in changes)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reference": " "}, "reference"),
        ({"text_fr": "", "text_en": ""}, "text_fr"),
        ({"kind": "wish"}, "kind"),
        ({"reference": "SDG 8.7"}, "reference"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(analyst, changes, field):
    count = Recommendation.objects.count()
    with pytest.raises(ValidationError) as refused:
        recommendation_save(actor=analyst, data=_data(**changes))
    assert field in refused.value.message_dict
    assert Recommendation.objects.count() == count


def test_linking_the_same_demand_shows_on_both_sides(analyst):
    ours = recommendation_save(actor=analyst, data=_data())
    recommendations_link(actor=analyst, recommendation=ours, other_reference="SDG 8.7")

    sdg = Recommendation.objects.get(reference="SDG 8.7")
    assert sdg in ours.related.all() and ours in sdg.related.all()
    assert TrackerChange.objects.filter(recommendation=sdg, action="related_add").exists()
    with pytest.raises(ValidationError) as refused:
        recommendations_link(actor=analyst, recommendation=ours, other_reference=ours.reference)
    assert "reference" in refused.value.message_dict


def test_only_editors_enter_recommendations(users):
    with pytest.raises(PermissionDenied):
        recommendation_save(actor=Actor(user=users[("coordinator", "a")]), data=_data())


def test_the_pages_enter_change_and_link(users, client_for):
    analyst = client_for(users[("analyst", "a")])
    response = analyst.post(
        reverse("advocacy:recommendation_add"),
        {
            "framework": "crc_co_2023",
            "reference": "CRC/C/FRA/CO/6-7 §page",
            "kind": "recommendation",
            "text_fr": "Texte officiel recopié.",
            "articles": "CRC 34\nCRC 35",
        },
    )
    recommendation = Recommendation.objects.get(reference="CRC/C/FRA/CO/6-7 §page")
    assert response.status_code == 302
    assert recommendation.articles == ["CRC 34", "CRC 35"]
    page = analyst.get(reverse("advocacy:recommendation_edit", args=[recommendation.uuid]))
    assert "Texte officiel recopié." in page.content.decode()
    linked = analyst.post(
        reverse("advocacy:recommendation_link", args=[recommendation.uuid]),
        {"reference": "SDG 16.2"},
    )
    assert linked.status_code == 302
    detail = analyst.get(reverse("advocacy:recommendation", args=[recommendation.uuid]))
    assert "SDG 16.2" in detail.content.decode()
