"""Referral pages, in the ``network`` namespace under /reseau/."""

from django.urls import path

from . import views_referrals as views

urlpatterns = [
    path(
        "dossiers/<uuid:case_uuid>/orienter/",
        views.ReferralCreateView.as_view(),
        name="referral_create",
    ),
    path("orientations/", views.ReferralListView.as_view(), name="referrals"),
    path(
        "orientations/<uuid:referral_uuid>/",
        views.ReferralDetailView.as_view(),
        name="referral_detail",
    ),
    path(
        "orientations/<uuid:referral_uuid>/accepter/",
        views.ReferralAcceptView.as_view(),
        name="referral_accept",
    ),
    path(
        "orientations/<uuid:referral_uuid>/refuser/",
        views.ReferralDeclineView.as_view(),
        name="referral_decline",
    ),
    path(
        "orientations/<uuid:referral_uuid>/prestation/",
        views.ReferralServiceView.as_view(),
        name="referral_service",
    ),
    path(
        "orientations/<uuid:referral_uuid>/revoquer/",
        views.ReferralRevokeView.as_view(),
        name="referral_revoke",
    ),
]
