"""WebAuthn endpoints, under the namespace the library's templates and scripts expect."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from . import webauthn

app_name = "otp_webauthn"

urlpatterns = [
    path(
        "enregistrement/debut/",
        webauthn.PasskeyRegistrationBeginView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "enregistrement/fin/",
        webauthn.PasskeyRegistrationCompleteView.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentification/debut/",
        webauthn.PasskeyAuthenticationBeginView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentification/fin/",
        webauthn.PasskeyAuthenticationCompleteView.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
