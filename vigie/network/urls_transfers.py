"""Transfers of a child's file (issue 6), under /reseau/."""

from django.urls import URLPattern, path

from . import views_transfers as views

urlpatterns: list[URLPattern] = [
    path(
        "dossiers/<uuid:case_uuid>/transferer/",
        views.TransferCreateView.as_view(),
        name="transfer_create",
    ),
    path("transferts/", views.TransferListView.as_view(), name="transfers"),
    path(
        "transferts/<uuid:transfer_uuid>/",
        views.TransferDetailView.as_view(),
        name="transfer_detail",
    ),
    path(
        "transferts/<uuid:transfer_uuid>/synthese.pdf",
        views.TransferSummaryPdfView.as_view(),
        name="transfer_summary_pdf",
    ),
    path(
        "transferts/<uuid:transfer_uuid>/accepter/",
        views.TransferAcceptView.as_view(),
        name="transfer_accept",
    ),
    path(
        "transferts/<uuid:transfer_uuid>/refuser/",
        views.TransferDeclineView.as_view(),
        name="transfer_decline",
    ),
    path(
        "transferts/<uuid:transfer_uuid>/annuler/",
        views.TransferCancelView.as_view(),
        name="transfer_cancel",
    ),
    path(
        "transferts/<uuid:transfer_uuid>/envoyer-a-l-etranger/",
        views.TransferSendAbroadView.as_view(),
        name="transfer_send_abroad",
    ),
]
