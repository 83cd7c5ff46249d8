"""Digital outreach pages, under /en-ligne/ (namespace "outreach"). Each part keeps its own URL
module."""

from django.urls import include, path

app_name = "outreach"

urlpatterns = [
    path("", include("vigie.outreach.urls_ads")),
    path("", include("vigie.outreach.urls_clusters")),
    path("", include("vigie.outreach.urls_contacts")),
    path("", include("vigie.outreach.urls_reports")),
]
