"""Outreach URLs (contacts): the contact log of an ad, the contact templates and the settings."""

from django.urls import path

from . import views_contacts as views

urlpatterns = [
    path(
        "annonces/<uuid:ad_uuid>/contacts/nouveau/",
        views.ContactCreateView.as_view(),
        name="contact_create",
    ),
    path("modeles/", views.TemplatesView.as_view(), name="templates"),
    path("modeles/nouveau/", views.TemplateCreateView.as_view(), name="template_create"),
    path(
        "modeles/<uuid:template_uuid>/modifier/",
        views.TemplateUpdateView.as_view(),
        name="template_update",
    ),
    path(
        "modeles/<uuid:template_uuid>/desactiver/",
        views.TemplateDeactivateView.as_view(),
        name="template_deactivate",
    ),
    path("parametres/", views.OutreachSettingsView.as_view(), name="settings"),
]
