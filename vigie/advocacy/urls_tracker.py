"""The recommendations tracker, under /plaidoyer/recommandations/."""

from django.urls import path

from . import views_recommendations as entering
from . import views_tracker as views

urlpatterns = [
    path("", views.RecommendationListView.as_view(), name="recommendations"),
    path("nouvelle/", entering.RecommendationCreateView.as_view(), name="recommendation_add"),
    path(
        "<uuid:recommendation_uuid>/modifier/",
        entering.RecommendationEditView.as_view(),
        name="recommendation_edit",
    ),
    path(
        "<uuid:recommendation_uuid>/liens/",
        entering.RecommendationLinkView.as_view(),
        name="recommendation_link",
    ),
    path(
        "<uuid:recommendation_uuid>/",
        views.RecommendationDetailView.as_view(),
        name="recommendation",
    ),
    path(
        "<uuid:recommendation_uuid>/evaluation/",
        views.AssessmentAddView.as_view(),
        name="assessment_add",
    ),
    path(
        "evaluations/<uuid:assessment_uuid>/preuve/",
        views.EvidenceAddView.as_view(),
        name="evidence_add",
    ),
    path("<uuid:recommendation_uuid>/mesure/", views.MeasureAddView.as_view(), name="measure_add"),
    path("echeances/", views.MeasuresDueView.as_view(), name="measures_due"),
]
