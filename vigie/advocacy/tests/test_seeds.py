"""The seed reports' recommendations and questions are all in the tracker and searchable."""

from collections import Counter

import pytest
import yaml

from vigie.advocacy.models import Framework, Recommendation
from vigie.advocacy.search import RecommendationFilters, recommendations_search
from vigie.advocacy.seeds import FRAMEWORKS_FILE, SEEDS_FILE, seeds_ensure

pytestmark = pytest.mark.django_db

SEEDS = yaml.safe_load(SEEDS_FILE.read_text(encoding="utf-8"))
FRAMEWORKS = yaml.safe_load(FRAMEWORKS_FILE.read_text(encoding="utf-8"))


def test_every_recommendation_and_question_of_both_reports_is_there_after_migrating():
    # Loaded by the post_migrate receiver when the test database was migrated.
    stored = {r.reference: r for r in Recommendation.objects.prefetch_related("themes")}
    for entry in SEEDS["entries"]:
        recommendation = stored[entry["reference"]]
        assert recommendation.text_en == entry["text_en"]
        assert recommendation.framework.code == entry["source"]
        assert recommendation.kind == entry["kind"]
        assert entry["theme"] in {theme.code for theme in recommendation.themes.all()}
    kinds = Counter((e["source"], e["kind"]) for e in SEEDS["entries"])
    assert kinds[("collective_2022", "recommendation")] >= 60
    assert kinds[("ecpat_2007", "question")] >= 9
    assert {f["code"] for f in FRAMEWORKS["frameworks"]} <= set(
        Framework.objects.values_list("code", flat=True)
    )


def test_loading_again_changes_nothing_and_keeps_the_users_edits():
    first = Recommendation.objects.get(reference=SEEDS["entries"][0]["reference"])
    first.text_fr = "Traduction saisie par l’équipe"
    first.save()
    count = Recommendation.objects.count()
    assert seeds_ensure() == count
    first.refresh_from_db()
    assert first.text_fr == "Traduction saisie par l’équipe"


@pytest.mark.parametrize("entry", SEEDS["entries"], ids=lambda entry: entry["reference"])
def test_each_entry_is_found_by_words_of_its_text(entry):
    words = [word for word in entry["text_en"].split() if len(word) > 3][:4]
    found = recommendations_search(" ".join(words))
    assert found.filter(reference=entry["reference"]).exists()
    by_source = recommendations_search(
        " ".join(words), RecommendationFilters(framework=entry["source"])
    )
    assert by_source.filter(reference=entry["reference"]).exists()


def test_french_words_are_found_with_or_without_accents():
    assert recommendations_search("Défenseur des Enfants").exists()
    assert (
        recommendations_search("defenseur enfants").count()
        == recommendations_search("Défenseur des Enfants").count()
    )
