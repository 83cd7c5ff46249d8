"""The API's documentation page (/api/v1/docs), built from the same OpenAPI schema as
/api/v1/openapi.json.

Not ninja's Swagger UI: it fails the accessibility rules Vigie's pages follow (RGAA / WCAG 2.1
AA) and needs inline styles and scripts the Content-Security-Policy refuses. This page is plain
HTML: headings per resource and operation, tables with captions and header cells. Public like
the schema itself: it describes what the API accepts, never data.
"""

import functools
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .forms import RESOURCE_LABELS
from .scopes import ApiScope

_METHODS = ("get", "post", "put", "patch", "delete")
# Nested objects are spelled out as dotted names to this depth (deeper: the type's name).
_MAX_DEPTH = 3

# What each status means in Vigie's API, with the stable error codes a client branches on.
STATUS_MEANINGS: dict[int, Promise] = {
    200: _("Success."),
    201: _("Created."),
    202: _("Accepted: the work goes on in the background."),
    204: _("Done; no content."),
    400: _("malformed_request: the body is not a JSON object."),
    401: _("unauthorized: no token, or a token that is unknown, expired or revoked."),
    403: _(
        "insufficient_scope: the token lacks the operation's scope; forbidden: the person's "
        "role does not allow it."
    ),
    404: _("not_found: no such object, or not one this token's owner may see."),
    409: _("stale_version: the object changed since the version sent; read it again."),
    422: _("validation_error: a value is refused; field names it."),
    429: _("rate_limited: too many requests for this token; wait, then try again."),
}
ERROR_CODES: list[tuple[str, int, Promise]] = [
    ("malformed_request", 400, _("The request body is not JSON, or not a JSON object.")),
    ("unauthorized", 401, _("No token, or a token that is unknown, expired or revoked.")),
    ("insufficient_scope", 403, _("The token does not have the scope the operation needs.")),
    ("forbidden", 403, _("The role of the token's owner does not allow the operation.")),
    ("not_found", 404, _("No such object, or not one the token's owner may see.")),
    ("stale_version", 409, _("The object changed since the version sent: read it again.")),
    ("validation_error", 422, _("A value is refused: field and errors say which and why.")),
    ("rate_limited", 429, _("Too many requests for this token: wait, then try again.")),
]
_LOCATIONS: dict[str, Promise] = {
    "path": _("path"),
    "query": _("query"),
    "header": _("header"),
    "cookie": _("cookie"),
}
_PERIODS = {"s": "second", "m": "minute", "h": "hour", "d": "day"}


@dataclass
class FieldDoc:
    name: str
    type: str
    required: bool
    enum: list[str] = field(default_factory=list)
    description: str = ""
    location: str = ""


@dataclass
class ResponseDoc:
    status: int
    meaning: str
    type: str


@dataclass
class OperationDoc:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    scope: str
    scope_label: str
    parameters: list[FieldDoc]
    body_type: str
    body_fields: list[FieldDoc]
    responses: list[ResponseDoc]
    result_fields: list[FieldDoc]


@dataclass
class TagDoc:
    anchor: str
    name: str
    label: str
    operations: list[OperationDoc]


@functools.cache
def openapi_schema() -> dict[str, Any]:
    """Generated once per process: the operations do not change while it runs, and a public page
    must not cost a schema generation per visit."""
    from .api import api

    return api.get_openapi_schema()


class _Schemas:
    """Reads the schema's types as a person would say them."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.components: dict[str, Any] = schema.get("components", {}).get("schemas", {})

    def resolve(self, node: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """(component name or "", the node with references, single allOf and nullable anyOf
        unwrapped)."""
        name = ""
        for _hop in range(10):
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                node = self.components.get(name, {})
            elif len(node.get("allOf", ())) == 1:
                node = {**node["allOf"][0], **{k: v for k, v in node.items() if k != "allOf"}}
            elif "anyOf" in node or "oneOf" in node:
                options = [o for o in node.get("anyOf", node.get("oneOf", ())) if o != NULL]
                if len(options) != 1:
                    break
                node = options[0]
            else:
                break
        return name, node

    @staticmethod
    def nullable(node: dict[str, Any]) -> bool:
        return NULL in node.get("anyOf", ()) or NULL in node.get("oneOf", ())

    def type_of(self, node: dict[str, Any]) -> str:
        name, resolved = self.resolve(node)
        options = resolved.get("anyOf") or resolved.get("oneOf")
        if options:
            text = " | ".join(self.type_of(o) for o in options if o != NULL)
        elif resolved.get("type") == "array":
            text = f"array[{self.type_of(resolved.get('items', {}))}]"
        elif resolved.get("type") == "object" or "properties" in resolved:
            text = name or "object"
        else:
            text = str(resolved.get("type", "any"))
            if resolved.get("format"):
                text += f" ({resolved['format']})"
            if name and "enum" not in resolved:
                text = f"{name}: {text}"
        bounds = _bounds(resolved)
        if bounds:
            text += f", {bounds}"
        if self.nullable(node):
            text += " | null"
        return text

    def enum_of(self, node: dict[str, Any]) -> list[str]:
        _name, resolved = self.resolve(node)
        if resolved.get("type") == "array":
            _name, resolved = self.resolve(resolved.get("items", {}))
        return [str(value) for value in resolved.get("enum", ())]

    def fields_of(self, node: dict[str, Any], prefix: str = "", depth: int = 0) -> list[FieldDoc]:
        """The object's fields, nested objects spelled out as ``parent.child`` (``parent[].child``
        for a list of objects)."""
        _name, resolved = self.resolve(node)
        required = set(resolved.get("required", ()))
        fields = []
        for name, prop in resolved.get("properties", {}).items():
            full = f"{prefix}{name}"
            fields.append(
                FieldDoc(
                    name=full,
                    type=self.type_of(prop),
                    required=name in required,
                    enum=self.enum_of(prop),
                    description=str(prop.get("description", "")),
                )
            )
            if depth + 1 < _MAX_DEPTH:
                _inner, inner = self.resolve(prop)
                if inner.get("type") == "array":
                    _inner, inner = self.resolve(inner.get("items", {}))
                    full += "[]"
                if "properties" in inner:
                    fields.extend(self.fields_of(inner, prefix=f"{full}.", depth=depth + 1))
        return fields


NULL = {"type": "null"}


def _bounds(node: dict[str, Any]) -> str:
    texts = {
        "minLength": gettext("at least %(n)s characters"),
        "maxLength": gettext("at most %(n)s characters"),
        "minimum": "≥ %(n)s",
        "maximum": "≤ %(n)s",
    }
    return ", ".join(text % {"n": node[key]} for key, text in texts.items() if key in node)


def _json_schema_of(content: dict[str, Any]) -> dict[str, Any]:
    for media in ("application/json", "multipart/form-data"):
        if media in content:
            return dict(content[media].get("schema", {}))
    return {}


def _operation(schemas: _Schemas, path: str, method: str, spec: dict[str, Any]) -> OperationDoc:
    scope = str(spec.get("x-vigie-scope", ""))
    parameters = []
    for parameter in spec.get("parameters", ()):
        node = parameter.get("schema", {})
        parameters.append(
            FieldDoc(
                name=parameter["name"],
                type=schemas.type_of(node),
                required=bool(parameter.get("required")),
                enum=schemas.enum_of(node),
                description=str(parameter.get("description", "")),
                location=str(_LOCATIONS.get(parameter.get("in", ""), parameter.get("in", ""))),
            )
        )
    body = _json_schema_of(spec.get("requestBody", {}).get("content", {}))
    responses: list[ResponseDoc] = []
    result_fields: list[FieldDoc] = []
    # Status codes are integers in ninja's schema, strings once it is JSON: either is read.
    declared = sorted(
        ((int(status), response) for status, response in spec.get("responses", {}).items()),
        key=lambda pair: pair[0],
    )
    for status, response in declared:
        result = _json_schema_of(response.get("content", {}))
        responses.append(
            ResponseDoc(
                status=status,
                meaning=str(STATUS_MEANINGS.get(status, response.get("description", ""))),
                type=schemas.type_of(result) if result else "",
            )
        )
        if 200 <= status < 300 and result and not result_fields:
            result_fields = schemas.fields_of(result)
    return OperationDoc(
        anchor=str(spec.get("operationId", f"{method}-{path}")),
        method=method.upper(),
        path=path,
        summary=str(spec.get("summary", "")),
        description=str(spec.get("description", "")),
        scope=scope,
        scope_label=str(ApiScope(scope).label) if scope in ApiScope.values else "",
        parameters=parameters,
        body_type=schemas.type_of(body) if body else "",
        body_fields=schemas.fields_of(body) if body else [],
        responses=responses,
        result_fields=result_fields,
    )


def api_reference(schema: dict[str, Any]) -> list[TagDoc]:
    """Every operation of the schema, grouped by tag in the schema's order."""
    schemas = _Schemas(schema)
    tags: dict[str, list[OperationDoc]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in _METHODS:
            if method in item:
                spec = item[method]
                tag = (spec.get("tags") or ["api"])[0]
                tags.setdefault(tag, []).append(_operation(schemas, path, method, spec))
    return [
        TagDoc(
            anchor=f"tag-{name}",
            name=name,
            label=str(RESOURCE_LABELS.get(name, name)),
            operations=operations,
        )
        for name, operations in tags.items()
    ]


def rate_limit_text(rate: str) -> str:
    """ "600/m" as a sentence; the setting as written when it is not in ninja's form."""
    count_text, _slash, period = rate.partition("/")
    unit = _PERIODS.get(period[:1])
    if not count_text.isdigit() or unit is None:
        return rate
    count = int(count_text)
    sentences = {
        "second": ngettext("%(count)s request per second", "%(count)s requests per second", count),
        "minute": ngettext("%(count)s request per minute", "%(count)s requests per minute", count),
        "hour": ngettext("%(count)s request per hour", "%(count)s requests per hour", count),
        "day": ngettext("%(count)s request per day", "%(count)s requests per day", count),
    }
    return sentences[unit] % {"count": count}


@login_not_required
@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    schema = openapi_schema()
    context = {
        "info": schema.get("info", {}),
        "tags": api_reference(schema),
        "rate_limit": rate_limit_text(str(settings.VIGIE_API_RATE_LIMIT)),
        "max_days": settings.VIGIE_API_TOKEN_MAX_DAYS,
        "error_codes": [(code, status, str(text)) for code, status, text in ERROR_CODES],
    }
    return render(request, "api/docs.html", context)
