"""Outreach URLs (possible networks). A network's address is that of any of its ads: the anchor's
in the list, whichever ad the worker came from elsewhere."""

from django.urls import URLPattern, path

from . import views_clusters as views

urlpatterns: list[URLPattern] = [
    path("reseaux/", views.ClustersView.as_view(), name="clusters"),
    path("reseaux/<uuid:ad_uuid>/", views.ClusterView.as_view(), name="cluster"),
]
