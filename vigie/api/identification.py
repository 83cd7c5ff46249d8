"""Identification through the API: the same selectors, service and engine as the screening pages
and the ``vigie screen`` command.

A screening's result is the engine's answer as the output schema documents it
(vigie/identification/schema/screening-output.schema.json): codes, and every text in French and
English, as ``vigie screen`` prints it without ``--lang``; the indicators found come with their
catalogue labels, as the result page names them.
"""

import difflib
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.responses import Status
from pydantic import AfterValidator, ConfigDict, Field, StrictBool, StrictInt, WithJsonSchema
from pydantic_core import PydanticCustomError

from vigie.cases.models import ExploitationForm
from vigie.cases.selectors import case_get_for_user
from vigie.identification.catalogue import load_catalogue
from vigie.identification.engine import ACTIONS, MAX_AGE, SITUATIONS, ScreeningInputError, screen
from vigie.identification.models import Assessment, MinorStatus, Screening
from vigie.identification.services import screening_record

from .auth import actor_of, token
from .errors import COMMON_ERRORS, OBJECT_ERRORS
from .routing import ScopedRouter
from .scopes import ApiScope
from .types import PageSize

router = ScopedRouter(tags=["identification"])

# The engine's vocabularies as enums of the OpenAPI schema (the engine is their only source).
if TYPE_CHECKING:
    Situation = str
    ProtectiveAction = str
else:
    Situation = StrEnum("Situation", {code: code for code in SITUATIONS})
    ProtectiveAction = StrEnum("ProtectiveAction", {code: code for code in ACTIONS})

# Indicator ids of the catalogue in use: an enum in the schema, and an unknown one is refused
# with its position and the nearest id (the engine's own check, said before it runs).
_INDICATOR_IDS: tuple[str, ...] = tuple(load_catalogue().indicators)


def _known_indicator(value: str) -> str:
    if value in load_catalogue().indicators:
        return value
    close = difflib.get_close_matches(value, _INDICATOR_IDS, n=1)
    if close:
        message = _("Unknown indicator “%(indicator)s”: did you mean “%(close)s”?") % {
            "indicator": value[:100],
            "close": close[0],
        }
    else:
        message = _("Unknown indicator “%(indicator)s”.") % {"indicator": value[:100]}
    raise PydanticCustomError("unknown_indicator", "{message}", {"message": message})


IndicatorId = Annotated[
    str,
    AfterValidator(_known_indicator),
    WithJsonSchema({"type": "string", "enum": list(_INDICATOR_IDS)}),
]


class ScreeningIn(Schema):
    """What was observed, as the screening form and ``vigie screen`` take it (the screening
    input schema): every field optional, a missing boolean false, a missing list empty."""

    # Strict, as the engine is: "yes" or 1 is not a boolean, "15" not an age; no unknown field.
    model_config = ConfigDict(extra="forbid")

    age: StrictInt | None = Field(default=None, ge=0, le=MAX_AGE)
    age_doubt: StrictBool = False
    situations: list[Situation] = Field(default_factory=list, max_length=50)
    indicators: list[IndicatorId] = Field(default_factory=list, max_length=500)
    unaccompanied: StrictBool = False
    drug_dependence: StrictBool = False
    disability: StrictBool = False
    complete: StrictBool = False

    def engine_input(self) -> dict[str, Any]:
        """The engine's input, as the form builds it (no age key when the age is not known)."""
        data = self.model_dump(mode="json")
        if data["age"] is None:
            del data["age"]
        return data


class Text(Schema):
    """The same text in French and English."""

    fr: str
    en: str


class IndicatorCounts(Schema):
    strong: int
    medium: int
    weak: int


class DimensionResultOut(Schema):
    id: str
    group: Literal["recruitment", "exploitation"]
    # A positive dimension with means true is a means element (deception, coercion, abuse).
    means: bool
    label: Text
    positive: bool
    # Ids of the indicators observed in this dimension.
    indicators: list[str]
    counts: IndicatorCounts


class RuleOut(Schema):
    id: str
    source: str
    detail: Text


class IndicatorFoundOut(Schema):
    """An indicator observed, as the catalogue names it (null strength: no longer catalogued)."""

    id: str
    dimension: str
    strength: Literal["strong", "medium", "weak"] | None
    label: Text
    source: str
    reference: str


class ScreeningResultOut(Schema):
    """The engine's answer: a presumption that triggers protection, never a formal
    identification, which belongs to the authorities."""

    assessment: Assessment
    minor: MinorStatus
    forms: list[ExploitationForm]
    dimensions: list[DimensionResultOut]
    rules: list[RuleOut]
    actions: list[ProtectiveAction]
    explanation: Text
    catalogue_version: str
    indicators_found: list[IndicatorFoundOut]


class ScreeningInputOut(Schema):
    age: int | None = None
    age_doubt: bool = False
    situations: list[Situation] = []
    indicators: list[str] = []
    unaccompanied: bool = False
    drug_dependence: bool = False
    disability: bool = False
    complete: bool = False


class ScreeningOut(Schema):
    uuid: UUID
    created_at: datetime
    created_by: UUID | None
    catalogue_version: str
    input: ScreeningInputOut
    result: ScreeningResultOut

    @staticmethod
    def resolve_created_by(screening: Screening) -> UUID | None:
        return screening.created_by.uuid if screening.created_by is not None else None

    @staticmethod
    def resolve_result(screening: Screening) -> dict[str, Any]:
        return _explained(screening.result)


class ScreeningPageOut(Schema):
    items: list[ScreeningOut]
    # Give it back as ``after`` for the next page; null on the last page.
    next: UUID | None


class ScreeningListQuery(Schema):
    after: UUID | None = None
    limit: PageSize = 50


def _explained(result: dict[str, Any]) -> dict[str, Any]:
    """The engine's result with the indicators it found named as the catalogue names them."""
    catalogue = load_catalogue()
    found = []
    for dimension in result.get("dimensions", []):
        for indicator_id in dimension.get("indicators", []):
            indicator = catalogue.indicators.get(indicator_id)
            if indicator is None:
                found.append(
                    {
                        "id": indicator_id,
                        "dimension": dimension["id"],
                        "strength": None,
                        "label": {"fr": indicator_id, "en": indicator_id},
                        "source": "",
                        "reference": "",
                    }
                )
                continue
            found.append(
                {
                    "id": indicator.id,
                    "dimension": indicator.dimension,
                    "strength": indicator.strength,
                    "label": {
                        "fr": indicator.label["fr"],
                        "en": indicator.label.get("en") or indicator.label["fr"],
                    },
                    "source": indicator.source,
                    "reference": indicator.reference,
                }
            )
    return {**result, "indicators_found": found}


@router.post(
    "/cases/{uuid:case_uuid}/screenings",
    response={201: ScreeningOut, **OBJECT_ERRORS},
    auth=token(ApiScope.IDENTIFICATION_WRITE),
    summary="Screen a case",
)
def screenings_create(request: HttpRequest, case_uuid: UUID, payload: ScreeningIn) -> Any:
    """Screen the child's situation against the indicator catalogue and keep the result with the
    file, as the screening page does (audited; its protective actions open rights in the plan)."""
    actor = actor_of(request)
    case = case_get_for_user(actor=actor, case_uuid=case_uuid)
    screening = screening_record(actor=actor, case=case, data=payload.engine_input())
    return Status(201, screening)


@router.get(
    "/cases/{uuid:case_uuid}/screenings",
    response={200: ScreeningPageOut, **OBJECT_ERRORS},
    auth=token(ApiScope.IDENTIFICATION_READ),
    summary="List a case's screenings",
)
def screenings_list(
    request: HttpRequest, case_uuid: UUID, filters: Query[ScreeningListQuery]
) -> Any:
    """The case's screenings with their results, newest first. Keyset pagination: pass
    ``next`` back as ``after``."""
    case = case_get_for_user(actor=actor_of(request), case_uuid=case_uuid)
    screenings = case.screenings.select_related("created_by").order_by("-created_at", "-pk")
    if filters.after is not None:
        cursor = case.screenings.filter(uuid=filters.after).values("created_at", "pk").first()
        if cursor is None:
            raise ValidationError({"after": _("This is not a cursor of this list.")})
        screenings = screenings.filter(
            Q(created_at__lt=cursor["created_at"])
            | Q(created_at=cursor["created_at"], pk__lt=cursor["pk"])
        )
    page = list(screenings[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {"items": page, "next": page[-1].uuid if more else None}


@router.post(
    "/screenings/anonymous",
    response={200: ScreeningResultOut, **COMMON_ERRORS},
    auth=token(ApiScope.IDENTIFICATION_READ),
    summary="Screen an anonymous situation",
)
def screenings_anonymous(request: HttpRequest, payload: ScreeningIn) -> Any:
    """Run the engine on a situation that names nobody, exactly as ``vigie screen`` does:
    nothing is stored and nothing is audited (there is no child to audit a read of)."""
    try:
        result = screen(payload.engine_input(), catalogue=load_catalogue())
    except ScreeningInputError as error:
        raise ValidationError({error.field: str(error)}) from error
    return _explained(result)
