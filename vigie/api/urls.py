from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.urls import URLPattern, URLResolver, path, re_path

from .api import api
from .errors import not_found_json
from .views_docs import api_docs


def _token_only(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API's views open with a token, not a session: the sign-in middleware lets them through
    (the token auth decides), and they leave ATOMIC_REQUESTS (each operation has its own
    transaction: see vigie.api.routing)."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            view = transaction.non_atomic_requests(pattern.callback)
            pattern.callback = login_not_required(view)
    return patterns


_api_patterns, _app_name, _namespace = api.urls
# Last: any other address under /api/v1/ (a malformed id in a path) answers the API's JSON 404,
# not the pages' HTML one.
_not_found = re_path(r"^[\s\S]*$", not_found_json, name="not_found")
urlpatterns = [
    # The documentation page: public like the schema, and a page (outside the API's namespace).
    path("v1/docs", api_docs, name="api_docs"),
    path("v1/", (_token_only([*_api_patterns, _not_found]), _app_name, _namespace)),
]
