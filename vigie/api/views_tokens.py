"""The pages where a person manages their own API tokens: list, create (after re-authentication,
the secret shown once), revoke.

Thin: reading through vigie.api.selectors (someone else's token is a 404), writing through
vigie.api.services, which check the scopes against the role and write the audit.

The secret is only ever in the body of the answer to the creating POST: it is not stored (only
its hash), not put in the session or a message for a later page, never in a URL (no redirect
after creation: a redirect would need to carry it), and that answer is marked not cacheable.
"""

import uuid
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from vigie.accounts.views import reauthentication_required
from vigie.core.forms import form_errors_add
from vigie.core.views import SIGNED_IN, ProtectedView

from .forms import ApiTokenCreateForm, max_days, scope_groups
from .models import ApiToken
from .selectors import TokenState, api_token_get_for_user, api_token_state, api_tokens_for_user
from .services import api_token_create, api_token_revoke


def token_row(token: ApiToken, now: datetime) -> dict[str, Any]:
    """What the pages show of a token (never its secret, which is not stored)."""
    state = api_token_state(token, now=now)
    return {
        "token": token,
        "groups": scope_groups(list(token.scopes)),
        "state": state,
        "state_label": state.label,
        "active": state == TokenState.ACTIVE,
    }


@method_decorator(never_cache, name="dispatch")
class ApiTokenListView(ProtectedView):
    permission = SIGNED_IN

    def get(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        rows = [token_row(t, now) for t in api_tokens_for_user(actor=self.actor)]
        return render(request, "api/token_list.html", {"rows": rows})


@method_decorator(never_cache, name="dispatch")
@method_decorator(reauthentication_required, name="dispatch")
class ApiTokenCreateView(ProtectedView):
    """GET: the form. POST: the token, its secret on the answer page (once)."""

    permission = SIGNED_IN
    template_name = "api/token_create.html"

    def _form_page(
        self, request: HttpRequest, form: ApiTokenCreateForm, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "chosen": form.chosen(), "max_days": max_days()}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._form_page(request, ApiTokenCreateForm(user=self.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ApiTokenCreateForm(request.POST, user=self.user)
        if form.is_valid():
            try:
                created = api_token_create(
                    actor=self.actor,
                    user=self.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_on=form.expires_at(),
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                context = {
                    "row": token_row(created.token, timezone.now()),
                    "secret": created.secret,
                }
                return render(request, "api/token_created.html", context)
        return self._form_page(request, form, status=422)


@method_decorator(never_cache, name="dispatch")
class ApiTokenRevokeView(ProtectedView):
    """GET: the confirmation. POST: revoke (the integration using it stops at its next call)."""

    permission = SIGNED_IN

    def get(self, request: HttpRequest, token_uuid: uuid.UUID) -> HttpResponse:
        token = api_token_get_for_user(actor=self.actor, token_uuid=token_uuid)
        context = {"row": token_row(token, timezone.now())}
        return render(request, "api/token_revoke.html", context)

    def post(self, request: HttpRequest, token_uuid: uuid.UUID) -> HttpResponse:
        token = api_token_get_for_user(actor=self.actor, token_uuid=token_uuid)
        already = token.revoked_at is not None
        api_token_revoke(actor=self.actor, token=token)
        if already:
            messages.info(
                request, _("The token “%(name)s” was already revoked.") % {"name": token.name}
            )
        else:
            messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("api_pages:list")
