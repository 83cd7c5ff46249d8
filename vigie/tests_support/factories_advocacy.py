"""factory_boy factories of the advocacy app (tracker and alternative report).

    RecommendationFactory(text_fr="…", themes=[theme], articles=["CRC 34"])

A recommendation is saved with its ``search_text`` filled, as the seeds loader does, so that the
search finds it. Assessments, evidence and measures are written directly (no history row): to
test the services, call them.
"""

import factory
from django.utils import timezone

from vigie.advocacy.models import (
    Assessment,
    AssessmentSource,
    AssessmentStatus,
    Evidence,
    EvidenceKind,
    Framework,
    FrameworkKind,
    Measure,
    Recommendation,
    RecommendationKind,
    Theme,
)
from vigie.advocacy.services.tracker import recommendation_save_search_text


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"framework-{n}")
    name_fr = factory.Sequence(lambda n: f"Cadre {n}")
    name_en = factory.Sequence(lambda n: f"Framework {n}")
    kind = FrameworkKind.NGO_REPORT


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"theme-{n}")
    title_fr = factory.Sequence(lambda n: f"Thème {n}")
    title_en = factory.Sequence(lambda n: f"Theme {n}")
    framework = None
    position = factory.Sequence(int)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    framework = factory.SubFactory(FrameworkFactory)
    reference = factory.Sequence(lambda n: f"REC-{n:04d}")
    kind = RecommendationKind.RECOMMENDATION
    text_fr = "Garantir la protection des enfants victimes de traite."
    text_en = "Ensure the protection of child victims of trafficking."

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def related(self, create, extracted, **kwargs):
        if create and extracted:
            self.related.set(extracted)

    @factory.post_generation
    def search_text(self, create, extracted, **kwargs):
        # Last: after the themes, whose titles are searched too.
        if create:
            recommendation_save_search_text(recommendation=self)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    recommendation = factory.SubFactory(RecommendationFactory)
    source = AssessmentSource.ASSESSMENT
    assessed_on = factory.LazyFunction(timezone.localdate)
    status = AssessmentStatus.PARTIALLY
    rationale = "Observé sur le terrain par les associations."


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A link by default; kind=EvidenceKind.FIGURE with table, cell (and release to pin it)."""

    class Meta:
        model = Evidence

    assessment = factory.SubFactory(AssessmentFactory)
    kind = EvidenceKind.LINK
    title = factory.Sequence(lambda n: f"Preuve {n}")
    url = "https://example.org/rapport"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    recommendation = factory.SubFactory(RecommendationFactory)
    title = factory.Sequence(lambda n: f"Mesure {n}")
    due_on = None
