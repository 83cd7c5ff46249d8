"""Coordination pages, under /reseau/. Each part keeps its own URL module."""

from django.urls import include, path

app_name = "network"

urlpatterns = [
    path("", include("vigie.network.urls_referrals")),
    path("", include("vigie.network.urls_transfers")),
    path("annuaire/", include("vigie.network.urls_directory")),
    path("", include("vigie.network.urls_places")),
    path("notifications/", include("vigie.network.urls_notifications")),
]
