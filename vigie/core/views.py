"""The base view every page uses, and the few pages that belong to no domain."""

from typing import Any, ClassVar

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor

from .http import signed_in_user

SIGNED_IN = "signed-in"


class ProtectedView(View):
    """Base of every signed-in page. Denies by default.

    A concrete view must declare ``permission``: a Permission, or SIGNED_IN for pages any
    signed-in person may open (their own account pages). A view that declares nothing cannot even
    be defined. Without the permission: 404 on a URL naming an object, 403 otherwise.
    Sign-in and second factor are enforced before, by middleware; objects are scoped
    by the selectors, which answer 404 out of scope.
    """

    permission: ClassVar[Permission | str | None] = None
    abstract: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("abstract", False):
            return
        cls.abstract = False
        if cls.permission is None:
            raise ImproperlyConfigured(f"{cls.__qualname__} declares no permission.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            raise PermissionDenied
        self.user = signed_in_user(request)
        if isinstance(self.permission, Permission) and not self.user.has_vigie_permission(
            self.permission
        ):
            # A URL naming an object (a case, a person) answers as if the object did not exist:
            # for this person it does not, and a 403 would confirm that it does.
            if kwargs:
                raise Http404
            raise PermissionDenied
        self.actor = Actor.from_request(request)
        return super().dispatch(request, *args, **kwargs)


class ProtectedTemplateView(ProtectedView, TemplateView):
    abstract = True


class HomeView(ProtectedTemplateView):
    permission = SIGNED_IN
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from vigie.cases.selectors import case_count_for_user
        from vigie.rights.alerts import daily_view_for_user

        context = super().get_context_data(**kwargs)
        if self.user.has_vigie_permission(Permission.CASE_VIEW):
            context["open_case_count"] = case_count_for_user(actor=self.actor)
            # The worker's day: what is overdue, due soon or at risk across their files.
            context["daily_view"] = daily_view_for_user(actor=self.actor)
        context["can_open_archives"] = self.user.has_vigie_permission(Permission.CASE_ARCHIVE_VIEW)
        return context


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: the process answers and the database responds. No data, no auth."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
