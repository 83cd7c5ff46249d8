from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.VigieLoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("verification/", views.MfaVerifyView.as_view(), name="mfa_verify"),
    path("double-authentification/", views.MfaEnrolView.as_view(), name="mfa_enrol"),
    path("codes-de-secours/", views.BackupCodesRegenerateView.as_view(), name="backup_codes"),
    path("cles-de-securite/", views.SecurityKeyListView.as_view(), name="security_keys"),
    path(
        "cles-de-securite/<int:credential_id>/supprimer/",
        views.SecurityKeyDeleteView.as_view(),
        name="security_key_delete",
    ),
    path("reauthentification/", views.ReauthView.as_view(), name="reauth"),
    path("sessions/", views.SessionListView.as_view(), name="sessions"),
    path(
        "sessions/<int:session_id>/fin/", views.SessionRevokeView.as_view(), name="session_revoke"
    ),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("equipe/", views.OrganisationUserListView.as_view(), name="org_users"),
    path(
        "equipe/<uuid:user_uuid>/desactiver/",
        views.OrganisationUserDisableView.as_view(),
        name="org_user_disable",
    ),
    path("mot-de-passe/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisations"),
]
