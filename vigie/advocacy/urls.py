"""Advocacy pages, under /plaidoyer/. Each part keeps its own URL module."""

from django.urls import include, path

app_name = "advocacy"

urlpatterns = [
    path("recommandations/", include("vigie.advocacy.urls_tracker")),
    path("rapports/", include("vigie.advocacy.urls_reports")),
]
