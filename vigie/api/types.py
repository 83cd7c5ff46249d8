"""Value types shared by the API's schemas: what the OpenAPI schema promises, pydantic checks
before any service runs (422 naming the field), and schemathesis generates from.

Request bodies are JSON, so their values are typed exactly: ``true`` is a flag, ``"true"`` or
``1`` is not, a number is not a date. (Query strings are text by nature: their schemas keep
pydantic's usual conversions.)
"""

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import BeforeValidator, Field, StrictBool, StrictInt, StrictStr, StringConstraints

# No NUL character: PostgreSQL text cannot hold one, and no person types one.
NO_NUL = r"^[^\x00]*$"


def _text_only(value: Any) -> Any:
    if not isinstance(value, str | date | UUID):
        raise ValueError("expected a string")
    return value


ShortText = Annotated[StrictStr, StringConstraints(pattern=NO_NUL, max_length=200)]
LongText = Annotated[StrictStr, StringConstraints(pattern=NO_NUL, max_length=20_000)]
# Codes: ISO 3166 alpha-2 country, département ("75", "2A", "971"), cursors and UUID-like filters.
CountryCode = Annotated[StrictStr, StringConstraints(pattern=NO_NUL, max_length=2)]
DepartementCode = Annotated[StrictStr, StringConstraints(pattern=NO_NUL, max_length=3)]
Token = Annotated[str, StringConstraints(pattern=NO_NUL, max_length=100)]
# Dates of a child's life and of the work with them: nothing before 1900 is a real date here,
# and the far future overflows deadline arithmetic. An ISO string ("2024-05-02"), not a number.
Day = Annotated[
    date, BeforeValidator(_text_only), Field(ge=date(1900, 1, 1), le=date(2200, 12, 31))
]
Year = Annotated[StrictInt, Field(ge=1900, le=2200)]
# An object's public id in a body.
Ref = Annotated[UUID, BeforeValidator(_text_only)]
Flag = StrictBool
# Small counts and amounts kept in 32-bit integers.
Count = Annotated[StrictInt, Field(ge=0, le=2_147_483_647)]
# Optimistic lock versions.
Version = Annotated[StrictInt, Field(ge=1, le=2_147_483_647)]
# Query parameters (text in the URL, converted).
PageSize = Annotated[int, Field(ge=1, le=200)]
