"""Outreach URLs (ads): the list, the form and the ad's page."""

from django.urls import path

from . import views_ads as views

urlpatterns = [
    path("annonces/", views.AdListView.as_view(), name="ads"),
    path("annonces/nouvelle/", views.AdCreateView.as_view(), name="ad_create"),
    path("annonces/<uuid:ad_uuid>/", views.AdDetailView.as_view(), name="ad_detail"),
    path("annonces/<uuid:ad_uuid>/modifier/", views.AdUpdateView.as_view(), name="ad_update"),
]
