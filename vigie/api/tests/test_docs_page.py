"""The API's documentation page: public, built from the OpenAPI schema, accessible markup."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from vigie.api.views_docs import api_reference, openapi_schema, rate_limit_text

pytestmark = pytest.mark.django_db


def _docs(client: Client | None = None, language: str = "en") -> str:
    response = (client or Client()).get(reverse("api_docs"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _operations() -> list[tuple[str, str, str]]:
    schema = openapi_schema()
    return [
        (method.upper(), path, spec["x-vigie-scope"])
        for path, item in schema["paths"].items()
        for method, spec in item.items()
    ]


class _Structure(HTMLParser):
    """Headings in order, and for each table whether it has a caption and scoped header cells."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tables: list[dict[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables.append({"caption": 0, "th": 0, "th_scoped": 0})
        elif tag == "caption" and self.tables:
            self.tables[-1]["caption"] += 1
        elif tag == "th" and self.tables:
            self.tables[-1]["th"] += 1
            if dict(attrs).get("scope") in ("col", "row"):
                self.tables[-1]["th_scoped"] += 1


def test_the_page_is_public(users):
    assert "Authorization: Bearer" in _docs()


def test_every_operation_is_documented_with_the_scope_it_needs():
    html = _docs()
    operations = _operations()
    assert len(operations) >= 4  # the case files' operations at least
    for method, path, scope in operations:
        block = re.search(
            rf'<article [^>]*data-operation="{method} {re.escape(path)}">(.*?)</article>',
            html,
            re.S,
        )
        assert block, f"{method} {path} is not documented"
        assert f"<code>{scope}</code>" in block.group(1), f"{method} {path}: scope {scope}"


def test_an_operation_shows_its_parameters_body_fields_with_enums_and_responses():
    html = _docs()
    create = re.search(r'data-operation="POST /api/v1/cases">(.*?)</article>', html, re.S).group(1)
    assert "Open a case file" in create
    gender = re.search(r'<tr data-field="gender">(.*?)</tr>', create, re.S).group(1)
    for value in ("girl", "boy", "other", "unknown"):
        assert f"<code>{value}</code>" in gender
    statuses = re.findall(r'<tr data-status="(\d+)">', create)
    declared = openapi_schema()["paths"]["/api/v1/cases"]["post"]["responses"]
    assert statuses == sorted(str(status) for status in declared) and {
        "201",
        "401",
        "403",
        "422",
        "429",
    } <= set(statuses)
    listing = re.search(r'data-operation="GET /api/v1/cases">(.*?)</article>', html, re.S).group(1)
    limit = re.search(r'<tr data-field="limit">(.*?)</tr>', listing, re.S).group(1)
    assert "integer" in limit and "≤ 200" in limit and "query" in limit


def test_the_introduction_gives_the_rate_limit_and_the_error_codes(settings):
    settings.VIGIE_API_RATE_LIMIT = "120/h"
    html = _docs()
    assert "120 requests per hour" in html
    codes = dict(
        re.findall(r'<tr data-code="(\w+)"><th scope="row"><code>\w+</code></th><td>(\d+)', html)
    )
    assert codes == {
        "malformed_request": "400",
        "unauthorized": "401",
        "insufficient_scope": "403",
        "forbidden": "403",
        "not_found": "404",
        "stale_version": "409",
        "validation_error": "422",
        "rate_limited": "429",
    }
    assert f'href="{reverse("api:openapi-json")}"' in html
    assert f'href="{reverse("api_pages:list")}"' in html


def test_headings_nest_and_every_table_has_a_caption_and_scoped_headers():
    structure = _Structure()
    structure.feed(_docs(language="fr"))
    assert structure.headings[0] == 1 and structure.headings.count(1) == 1
    for before, after in zip(structure.headings, structure.headings[1:], strict=False):
        assert after <= before + 1, structure.headings
    assert structure.tables
    for table in structure.tables:
        assert table["caption"] == 1 and table["th"] == table["th_scoped"] > 0


def test_the_interface_is_in_french_by_default():
    html = _docs(language="fr")
    assert '<html lang="fr">' in html
    # Operation summaries come from the code, in English: marked as such for screen readers.
    assert '<span lang="en">Open a case file</span>' in html


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        ("600/m", "600 requests per minute"),
        ("1/s", "1 request per second"),
        ("5/day", "5 requests per day"),
        ("lots", "lots"),
    ],
)
def test_rate_limit_sentences(rate, text):
    with override("en"):
        assert rate_limit_text(rate) == text


def test_nested_objects_and_lists_are_spelled_out():
    tags = {tag.name: tag for tag in api_reference(openapi_schema())}
    listing = next(
        op for op in tags["cases"].operations if op.method == "GET" and op.path == "/api/v1/cases"
    )
    names = [field.name for field in listing.result_fields]
    assert "items" in names and "items[].uuid" in names and "next" in names
