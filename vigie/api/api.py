"""The REST API, version 1: its routers, its errors, its rate limit and its schema.

django-ninja rather than DRF + drf-spectacular: the schema is generated from the same typed
pydantic models that validate the requests, so the OpenAPI document cannot drift from what the
code accepts; operations are plain typed functions calling the services, with no serializer
layer where business rules could creep in (STYLE.md: rules live in services).
"""

from ninja import NinjaAPI

from . import (
    cases,
    directory,
    holds,
    identification,
    places,
    referrals,
    releases,
    rights,
    transfers,
)
from .errors import JsonObjectParser, exception_handlers_install
from .throttling import TokenRateThrottle

api = NinjaAPI(
    title="Vigie API",
    version="1",
    description=(
        "Case files, identification, rights plans, referrals and transfers, directory, "
        "accommodation places and statistics releases of Vigie. Authenticate with a personal "
        "token (`Authorization: Bearer vigie_…`), created on the account page after "
        "re-authentication; each operation names the scope it needs. Errors are JSON with a "
        "stable `code` and the offending `field`."
    ),
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
    throttle=[TokenRateThrottle()],
    parser=JsonObjectParser(),
)
exception_handlers_install(api)
for module in (
    cases,
    identification,
    rights,
    referrals,
    transfers,
    directory,
    places,
    holds,
    releases,
):
    api.add_router("", module.router)
