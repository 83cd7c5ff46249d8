"""What the project-wide tests need to know about the API's pages (not the API itself, which a
token opens and vigie/api/tests test through HTTP).

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
- A person's own API tokens: any signed-in person lists them and may open the creation form
  (signing in counts as a fresh re-authentication). Creating gives the secret page (200, no
  redirect: the secret is never carried to another page) with a scope the role allows, and 422
  with one it does not allow (the form offers only the role's scopes) or a past expiry date. The
  platform administrator's role allows no scope at all.
- Someone else's token is a 404 (the URL names it); one's own: the confirmation, then the list.
- The documentation page is public, like the OpenAPI schema.
READS: none of these URLs names a case.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from vigie.core.tests.url_matrix import (
    GET,
    HIDDEN,
    INVALID_FORM,
    OK,
    OTHER,
    POST,
    Answer,
    Probe,
    Route,
    World,
    every_role,
    to,
)


def _token_data(scope: str, days: int = 30) -> dict[str, Any]:
    expires_on = timezone.localdate() + timedelta(days=days)
    return {"name": "Logiciel du département", "scopes": [scope], "expires_on": str(expires_on)}


# directory:read needs DIRECTORY_VIEW: case workers and organisation administrators.
_DIRECTORY_READERS: dict[str, Answer | tuple[Answer, Answer]] = {
    "caseworker": OK,
    "coordinator": OK,
    "org_admin": OK,
    "analyst": INVALID_FORM,
    "platform_admin": INVALID_FORM,
}
# releases:read needs AGGREGATES_VIEW: analysts only.
_RELEASE_READERS: dict[str, Answer | tuple[Answer, Answer]] = {
    "caseworker": INVALID_FORM,
    "coordinator": INVALID_FORM,
    "org_admin": INVALID_FORM,
    "analyst": OK,
    "platform_admin": INVALID_FORM,
}


def token_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """Own: a live token of the actor. Other: someone else's."""
    from vigie.tests_support.factories_api import api_token_for_tests

    owner = world.members[OTHER] if scope == OTHER else actor
    return {"token_uuid": api_token_for_tests(owner).uuid}


ROUTES: dict[str, Route] = {
    "api_pages:list": Route(probes=(Probe(GET, every_role(OK)),)),
    "api_pages:create": Route(
        probes=(
            Probe(GET, every_role(OK)),
            Probe(POST, _DIRECTORY_READERS, data=_token_data("directory:read")),
            Probe(POST, _RELEASE_READERS, data=_token_data("releases:read")),
            # Expiring yesterday: refused for everyone.
            Probe(POST, every_role(INVALID_FORM), data=_token_data("directory:read", days=-1)),
        )
    ),
    "api_pages:revoke": Route(
        kwargs=token_of,
        probes=(
            Probe(GET, every_role((OK, HIDDEN))),
            Probe(POST, every_role((to("api_pages:list"), HIDDEN))),
        ),
    ),
    "api_docs": Route(probes=(Probe(GET, every_role(OK), anonymous=OK),)),
}

READS: dict[str, Any] = {}
