from django.urls import include, path

urlpatterns = [
    path("", include("vigie.core.urls")),
    path("comptes/", include("vigie.accounts.urls")),
    path("comptes/cle-de-securite/", include("vigie.accounts.webauthn_urls")),
    path("comptes/jetons-api/", include("vigie.api.urls_pages")),
    path("dossiers/", include("vigie.cases.urls")),
    path("dossiers/", include("vigie.identification.urls")),
    path("dossiers/", include("vigie.rights.urls")),
    path("reseau/", include("vigie.network.urls")),
    path("suivi/", include("vigie.monitoring.urls")),
    path("plaidoyer/", include("vigie.advocacy.urls")),
    path("import/", include("vigie.imports.urls")),
    path("en-ligne/", include("vigie.outreach.urls")),
    path("api/", include("vigie.api.urls")),
]
