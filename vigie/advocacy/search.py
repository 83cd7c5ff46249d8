"""Full-text search of the recommendations, in French, the same on SQLite and PostgreSQL.

Each recommendation keeps a ``search_text``: its words lower-case, accents removed, punctuation
turned to spaces (``search_normalise``). A query is normalised the same way, its French stop
words dropped, and every word left must occur in ``search_text``: "traite des enfants" finds
"Traite d’enfants", "protégés" finds "proteges". No database-specific search engine is needed
for a few hundred recommendations, and the suite runs on both databases.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery

from .models import Assessment, AssessmentSource, AssessmentStatus, Recommendation

# Words too common in French (and a few in English) to narrow a search.
STOP_WORDS = frozenset(
    {
        "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "a", "au", "aux",
        "en", "ou", "dans", "sur", "par", "pour", "que", "qui", "ne", "se", "sa", "son", "ses",
        "ce", "cette", "ces", "leur", "leurs", "il", "elle", "ils", "elles", "est", "sont",
        "avec", "the", "of", "and", "to", "in",
    }
)  # fmt: skip

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def search_normalise(text: str) -> str:
    """Lower-case, accents removed, every run of punctuation or spaces made one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", bare.casefold()).strip()


def search_words(query: str) -> list[str]:
    """The query's words that count: normalised, without stop words, each once."""
    words: list[str] = []
    for word in search_normalise(query).split():
        if word not in STOP_WORDS and word not in words:
            words.append(word)
    return words


@dataclass(frozen=True)
class RecommendationFilters:
    """What the list can be narrowed to; an empty value does not narrow."""

    framework: str = ""  # Framework.code
    theme: str = ""  # Theme.code
    article: str = ""  # "CRC 34", "OPSC 8"
    sdg_target: str = ""  # "8.7"
    authority: str = ""
    kind: str = ""  # RecommendationKind
    status: str = ""  # AssessmentStatus of our latest assessment; "unknown": none yet


def _ids_listing(field: str, value: str) -> list[int]:
    """Ids of the recommendations whose JSON list ``field`` holds ``value`` exactly.

    Read in Python: JSON containment is not available on SQLite, and a text match on the
    stored JSON would differ between the databases (escaped accents on SQLite only).
    """
    return [
        pk
        for pk, values in Recommendation.objects.values_list("pk", field)
        if value in (values or [])
    ]


def recommendations_annotated() -> QuerySet[Recommendation]:
    """Recommendations with ``latest_status``: the status of our latest assessment, or None."""
    latest = Assessment.objects.filter(
        recommendation=OuterRef("pk"), source=AssessmentSource.ASSESSMENT
    ).order_by("-assessed_on", "-created_at")
    return Recommendation.objects.select_related("framework").annotate(
        latest_status=Subquery(latest.values("status")[:1])
    )


def recommendations_search(
    query: str = "", filters: RecommendationFilters | None = None
) -> QuerySet[Recommendation]:
    """The recommendations matching every word of ``query`` and every filter given."""
    filters = filters or RecommendationFilters()
    found = recommendations_annotated()
    for word in search_words(query):
        found = found.filter(search_text__icontains=word)
    if filters.framework:
        found = found.filter(framework__code=filters.framework)
    if filters.theme:
        found = found.filter(themes__code=filters.theme)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    for field, value in (
        ("articles", filters.article),
        ("sdg_targets", filters.sdg_target),
        ("authorities", filters.authority),
    ):
        if value:
            found = found.filter(pk__in=_ids_listing(field, value))
    if filters.status == AssessmentStatus.UNKNOWN:
        found = found.filter(
            Q(latest_status__isnull=True) | Q(latest_status=AssessmentStatus.UNKNOWN)
        )
    elif filters.status:
        found = found.filter(Q(latest_status=filters.status))
    return found.distinct()
