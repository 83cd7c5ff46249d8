"""Accommodation places and holds, under /reseau/ (namespace "network")."""

from django.urls import path

from . import views_places as views

urlpatterns = [
    path("places/", views.PlacesView.as_view(), name="places"),
    path("places/miennes/", views.PlacesMineView.as_view(), name="places_mine"),
    path("places/nouvelle/", views.PlaceCreateView.as_view(), name="place_create"),
    path(
        "places/<uuid:place_uuid>/modifier/",
        views.PlaceUpdateView.as_view(),
        name="place_update",
    ),
    path(
        "dossiers/<uuid:case_uuid>/places/",
        views.PlacesForCaseView.as_view(),
        name="places_for_case",
    ),
    path(
        "dossiers/<uuid:case_uuid>/places/<uuid:place_uuid>/reserver/",
        views.PlaceHoldView.as_view(),
        name="place_hold",
    ),
    path(
        "reservations/<uuid:hold_uuid>/confirmer/",
        views.HoldConfirmView.as_view(),
        name="hold_confirm",
    ),
    path(
        "reservations/<uuid:hold_uuid>/liberer/",
        views.HoldReleaseView.as_view(),
        name="hold_release",
    ),
]
