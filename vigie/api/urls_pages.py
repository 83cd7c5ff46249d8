"""The pages of a person's API tokens (mounted by the project at ``comptes/jetons-api/``)."""

from django.urls import path

from . import views_tokens

app_name = "api_pages"

urlpatterns = [
    path("", views_tokens.ApiTokenListView.as_view(), name="list"),
    path("nouveau/", views_tokens.ApiTokenCreateView.as_view(), name="create"),
    path(
        "<uuid:token_uuid>/revoquer/",
        views_tokens.ApiTokenRevokeView.as_view(),
        name="revoke",
    ),
]
