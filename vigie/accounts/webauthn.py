"""Security keys and passkeys (WebAuthn) as a second factor, through django-otp-webauthn.

Vigie's rules on top of the library's views: a passkey is never a first factor (no passwordless
sign-in); it can be added only by a verified, recently re-authenticated user; adding one is a
credentials change (other sessions end, audited); signing in with one cycles the session key
like a TOTP code does. The relying party is the host the person reached, already validated by
ALLOWED_HOSTS, so the same build works on localhost, on a test port and in production.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from vigie.audit.services import Actor
from vigie.core.http import signed_in_user

from . import services


def relying_party_id(request: HttpRequest) -> str:
    """The host name without its port (WebAuthn refuses IP addresses as relying parties)."""
    domain, _port = split_domain_port(request.get_host())
    return domain


class VigieWebAuthnHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]


class ReauthenticationRequired(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = _("Confirm it is you (password and code) before adding a security key.")
    default_code = "reauthentication_required"


class _RegistrationGuard:
    def check_can_register(self) -> None:
        from .views import reauthenticated_recently

        if not reauthenticated_recently(self.request):  # type: ignore[attr-defined]
            raise ReauthenticationRequired()


class PasskeyRegistrationBeginView(_RegistrationGuard, BeginCredentialRegistrationView):
    pass


class PasskeyRegistrationCompleteView(_RegistrationGuard, CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().post(*args, **kwargs)
        services.security_key_added(request=self.request, actor=Actor.from_request(self.request))
        return response


class _SecondFactorOnly:
    """A key completes a sign-in that the password started; it never starts one."""

    request: HttpRequest

    def get_user(self) -> Any:
        return signed_in_user(self.request) if self.request.user.is_authenticated else None

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.request.user.is_authenticated:
            raise exceptions.PasswordlessLoginDisabled()
        response: HttpResponse = super().post(*args, **kwargs)  # type: ignore[misc]
        return response


class PasskeyAuthenticationBeginView(_SecondFactorOnly, BeginCredentialAuthenticationView):
    pass


class PasskeyAuthenticationCompleteView(_SecondFactorOnly, CompleteCredentialAuthenticationView):
    def complete_auth(self, device: Any) -> None:
        from .views import complete_second_factor

        complete_second_factor(self.request, device)
