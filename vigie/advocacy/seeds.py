"""The tracker's reference content, present from the first day: the frameworks, the SDG targets,
and every recommendation and question of the two seed reports (data/*.yaml).

Loaded after every migration (post_migrate), idempotently: what exists (by code or reference) is
left as the users may have edited it; only what is missing is added.
"""

from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from vigie.core.data_files import yaml_file_read

from .models import Framework, FrameworkKind, Recommendation, RecommendationKind, Theme
from .services.tracker import recommendation_save_search_text

DATA = Path(__file__).with_name("data")
FRAMEWORKS_FILE = DATA / "frameworks.yaml"
SEEDS_FILE = DATA / "seed_recommendations.yaml"

# The CRC reporting clusters, as themes every framework's entries can share.
CRC_CLUSTERS = {
    "general_measures": ("General measures of implementation", "Mesures d’application générales"),
    "definition_of_child": ("Definition of the child", "Définition de l’enfant"),
    "general_principles": ("General principles", "Principes généraux"),
    "civil_rights": ("Civil rights and freedoms", "Libertés et droits civils"),
    "violence_against_children": (
        "Violence against children",
        "Violence à l’égard des enfants",
    ),
    "family_environment": (
        "Family environment and alternative care",
        "Milieu familial et protection de remplacement",
    ),
    "disability_health_welfare": (
        "Disability, basic health and welfare",
        "Handicap, santé et bien-être",
    ),
    "education_leisure": (
        "Education, leisure and cultural activities",
        "Éducation, loisirs et activités culturelles",
    ),
    "special_protection": ("Special protection measures", "Mesures de protection spéciales"),
    "opsc": (
        "Sale of children, child prostitution and child pornography (OPSC)",
        "Vente d’enfants, prostitution et pornographie mettant en scène des enfants (PFVE)",
    ),
}


class SeedError(Exception):
    """A reference file is missing or malformed."""


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _mapping(path: Path) -> dict[str, Any]:
    document = yaml_file_read(path, error=SeedError)
    if not isinstance(document, dict):
        raise SeedError(f"{path}: expected a mapping")
    return document


def _frameworks(document: dict[str, Any]) -> dict[str, Framework]:
    frameworks = {f.code: f for f in Framework.objects.all()}
    for row in document.get("frameworks", []):
        if row["code"] in frameworks:
            continue
        frameworks[row["code"]] = Framework.objects.create(
            code=row["code"],
            kind=FrameworkKind(row["kind"]),
            name_en=row["name_en"],
            name_fr=row["name_fr"],
            document_reference=row.get("document_reference", ""),
            author=row.get("author", ""),
            published_on=_date(row.get("published_on")),
        )
    return frameworks


def _clusters() -> dict[str, Theme]:
    themes = {}
    for position, (code, (title_en, title_fr)) in enumerate(CRC_CLUSTERS.items()):
        themes[code], _created = Theme.objects.get_or_create(
            code=f"crc-{code}".replace("_", "-"),
            defaults={"title_en": title_en, "title_fr": title_fr, "position": position},
        )
    return themes


def _entry(row: dict[str, Any], framework: Framework, kind: str, themes: list[Theme]) -> None:
    if Recommendation.objects.filter(reference=row["reference"]).exists():
        return
    text_en, text_fr = row.get("text_en", ""), row.get("text_fr", "")
    recommendation = Recommendation.objects.create(
        framework=framework,
        reference=row["reference"],
        kind=RecommendationKind(kind),
        section=str(row.get("section", "")),
        text_en=text_en,
        text_fr=text_fr,
        crc_clusters=list(row.get("crc_clusters", [])),
        articles=list(row.get("articles", [])),
        sdg_targets=list(row.get("sdg_targets", [])),
        authorities=list(row.get("authorities", [])),
    )
    recommendation.themes.set(themes)
    # Searchable by its themes, articles, targets and authorities too, as every entry.
    recommendation_save_search_text(recommendation=recommendation)


@transaction.atomic
def seeds_ensure() -> int:
    """Add what is missing; returns the number of recommendations afterwards."""
    try:
        document = _mapping(FRAMEWORKS_FILE)
        frameworks = _frameworks(document)
        clusters = _clusters()
        for row in document.get("provisions", []):
            _entry(row, frameworks[row["framework"]], RecommendationKind.PROVISION, [])
        if SEEDS_FILE.exists():
            seeds = _mapping(SEEDS_FILE)
            _seed_reports(seeds, frameworks, clusters)
    except (KeyError, TypeError, ValueError) as problem:
        raise SeedError(f"malformed reference data: {problem}") from problem
    return Recommendation.objects.count()


def _seed_reports(
    seeds: dict[str, Any], frameworks: dict[str, Framework], clusters: dict[str, Theme]
) -> None:
    sections: dict[str, Theme] = {}
    for source in seeds["sources"]:
        framework = frameworks.get(source["code"])
        if framework is None:
            framework = frameworks[source["code"]] = Framework.objects.create(
                code=source["code"],
                kind=FrameworkKind.NGO_REPORT,
                name_en=source["title"],
                name_fr=source.get("title_fr") or source["title"],
                author=source.get("author", ""),
                published_on=_date(source.get("published_on")),
            )
        for position, theme in enumerate(source.get("themes", [])):
            sections[theme["code"]], _created = Theme.objects.get_or_create(
                code=theme["code"],
                defaults={
                    "framework": framework,
                    "section": str(theme.get("section", "")),
                    "title_en": theme.get("title_en", ""),
                    "title_fr": theme.get("title_fr", ""),
                    "position": position,
                },
            )
    for row in seeds["entries"]:
        themes = [sections[row["theme"]]] if row.get("theme") in sections else []
        themes += [clusters[c] for c in row.get("crc_clusters", []) if c in clusters]
        _entry(row, frameworks[row["source"]], row["kind"], themes)


def seeds_on_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate receiver (sent for this app once its tables exist): the content is there."""
    seeds_ensure()
