"""Every API error has one JSON shape: a stable ``code``, a message for a person (in the language
of ``Accept-Language``), the offending ``field`` and the list of field errors.

Codes are part of the API contract: a client branches on them, never on the message.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from vigie.cases.services.editing import CaseEditConflict

from .auth import InsufficientScope

logger = logging.getLogger(__name__)

# Where a request value sits in ninja's error locations; the field is what follows.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


class JsonObjectParser(Parser):
    """A request body is one JSON object: a list or a bare value is refused (400), never read
    as an empty object."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise TypeError("not a JSON object")
        return data


@csrf_exempt
def not_found_json(request: HttpRequest) -> HttpResponse:
    """The 404 of an API address that matches no operation (a malformed UUID in a path...)."""
    return JsonResponse(_body("not_found", _("Not found.")), status=404)


class FieldError(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
    errors: list[FieldError] = []
    # On a stale update (409): the version the file is at now, to read it again.
    current_version: int | None = None


# The errors every operation may answer, declared in the schema so that clients (and
# schemathesis) know them.
COMMON_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
OBJECT_ERRORS: dict[int, Any] = {**COMMON_ERRORS, 404: ErrorOut}


def _body(
    code: str,
    message: str,
    errors: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    errors = errors or []
    first_field = next((e["field"] for e in errors if e["field"]), None)
    return {"code": code, "message": message, "field": first_field, "errors": errors, **extra}


def _django_validation_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": None if name == "__all__" else name, "message": message}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "message": message} for message in exc.messages]


def _ninja_validation_errors(exc: NinjaValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in _LOCATIONS:
            location = location[1:]
        # ninja names the whole body after the view's parameter ("payload"): not a field.
        if len(location) > 1 and location[0] == "payload":
            location = location[1:]
        errors.append({"field": ".".join(location) or None, "message": error.get("msg", "")})
    return errors


def exception_handlers_install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            401,
            _body("unauthorized", _("A valid API token is needed (Authorization: Bearer …).")),
        )
        response["WWW-Authenticate"] = 'Bearer realm="vigie"'
        return response

    @api.exception_handler(InsufficientScope)
    def insufficient_scope(request: HttpRequest, exc: InsufficientScope) -> HttpResponse:
        message = _("This token does not have the scope %(scope)s.") % {"scope": exc.scope}
        response = respond(request, 403, _body("insufficient_scope", message))
        response["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{exc.scope}"'
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return respond(
            request, 429, _body("rate_limited", _("Too many requests for this token: wait."))
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, _body("not_found", _("Not found.")))

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # As on the pages: on a URL naming an object, answer as if it did not exist (for this
        # person it does not, and a 403 would confirm that it does).
        match = request.resolver_match
        if match is not None and match.kwargs:
            return not_found(request, Http404())
        return respond(request, 403, _body("forbidden", _("Your role does not allow this.")))

    @api.exception_handler(CaseEditConflict)
    def stale_version(request: HttpRequest, exc: CaseEditConflict) -> HttpResponse:
        message = _(
            "The file was changed by someone else since version %(expected)s: read it again."
        ) % {"expected": exc.expected_version}
        body = _body("stale_version", message, current_version=exc.current.version)
        return respond(request, 409, body)

    @api.exception_handler(DjangoValidationError)
    def invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = _django_validation_errors(exc)
        return respond(request, 422, _body("validation_error", _("Invalid data."), errors))

    @api.exception_handler(NinjaValidationError)
    def malformed(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = _ninja_validation_errors(exc)
        return respond(request, 422, _body("validation_error", _("Invalid data."), errors))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            # ninja's answer to a body that is not JSON, or (JsonObjectParser) not an object.
            message = _("The request body must be a JSON object.")
            return respond(request, 400, _body("malformed_request", message))
        return respond(request, exc.status_code, _body("error", str(exc)))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, _body("server_error", _("Internal error.")))
