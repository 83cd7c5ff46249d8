"""Sign-in, second factor, re-authentication, sessions and account administration pages."""

from datetime import datetime
from functools import wraps
from typing import Any, cast

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigie.core.http import is_verified
from vigie.core.views import SIGNED_IN, ProtectedView

from . import services, sessions
from .forms import (
    EnrolForm,
    LoginForm,
    OtpTokenForm,
    PasswordChangeForm,
    ReauthForm,
    SetPasswordForm,
)
from .models import Organisation, User, UserSession
from .roles import Permission

ENROL_DEVICE_SESSION_KEY = "vigie_enrol_device"


def lockout_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this once an account is locked; same page for known and unknown emails."""
    form = LoginForm(request)
    # Unbound on purpose (the page must not echo the email tried), but add_error needs
    # cleaned_data, which only validation of a bound form creates.
    form.cleaned_data = {}
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form.add_error(
        None,
        _(
            "Too many failed attempts: this account is locked for %(minutes)s minutes. "
            "Contact your organisation's administrator if you need access sooner."
        )
        % {"minutes": minutes},
    )
    return render(request, "accounts/login.html", {"form": form}, status=429)


@method_decorator(login_not_required, name="dispatch")
@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class VigieLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = cast(User, form.get_user())
        auth_login(self.request, user)  # cycles the session key
        sessions.session_start(self.request, user=user)
        return redirect(self.get_success_url())


def _safe_next(request: HttpRequest, default: str = "core:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    from django.urls import reverse

    return reverse(default)


def complete_second_factor(request: HttpRequest, device: Any) -> None:
    """Second factor verified: new session key; the moment counts as a re-authentication."""
    old_key = request.session.session_key
    otp_login(request, device)
    request.session.cycle_key()
    UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)
    request.session[sessions.REAUTH_AT_KEY] = timezone.now().isoformat()


class MfaVerifyView(ProtectedView):
    permission = SIGNED_IN

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not user_has_device(request.user):
            return redirect("accounts:mfa_enrol")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if is_verified(request):
            return redirect("core:home")
        return render(request, "accounts/mfa_verify.html", {"form": OtpTokenForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OtpTokenForm(request.POST)
        if form.is_valid():
            device = match_token(self.user, form.cleaned_data["token"].strip())
            if device is not None:
                complete_second_factor(request, device)
                return redirect(_safe_next(request))
            form.add_error(
                "token", _("This code is not valid. Check your device's clock and try again.")
            )
        return render(request, "accounts/mfa_verify.html", {"form": form}, status=400)


class MfaEnrolView(ProtectedView):
    """Enrolment of a TOTP authenticator. Replacing an existing one needs re-authentication."""

    permission = SIGNED_IN

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not is_verified(request):
            if user_has_device(request.user):
                # The password alone must never replace an enrolled second factor.
                return redirect("accounts:mfa_verify")
        elif not reauthenticated_recently(request):
            return redirect_to_reauth(request)
        return super().dispatch(request, *args, **kwargs)

    def _device(self, request: HttpRequest) -> TOTPDevice:
        device_id = request.session.get(ENROL_DEVICE_SESSION_KEY)
        device = TOTPDevice.objects.filter(pk=device_id, user=self.user, confirmed=False).first()
        if device is None:
            device = services.totp_device_start(user=self.user)
            request.session[ENROL_DEVICE_SESSION_KEY] = device.pk
        return device

    def _render(self, request: HttpRequest, form: EnrolForm, status: int = 200) -> HttpResponse:
        import base64

        device = self._device(request)
        qr = segno.make(device.config_url, error="m")
        context = {
            "form": form,
            "qr_svg": qr.svg_inline(
                scale=5, title=_("QR code to scan with your authenticator app")
            ),
            "secret": base64.b32encode(device.bin_key).decode(),
        }
        return render(request, "accounts/mfa_enrol.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, EnrolForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EnrolForm(request.POST)
        if form.is_valid():
            device = self._device(request)
            codes = services.totp_device_confirm(
                user=self.user,
                device=device,
                token=form.cleaned_data["token"],
                actor=self.actor,
            )
            if codes is not None:
                request.session.pop(ENROL_DEVICE_SESSION_KEY, None)
                # Credentials changed: every other session ends; this one continues, verified.
                services.sessions_end_all_but_current(request)
                complete_second_factor(request, device)
                request.session[sessions.LOGIN_AT_KEY] = timezone.now().isoformat()
                return render(request, "accounts/backup_codes.html", {"codes": codes})
            form.add_error(
                "token", _("This code is not valid. Check your device's clock and try again.")
            )
        return self._render(request, form, status=400)


def reauthenticated_recently(request: HttpRequest) -> bool:
    raw = request.session.get(sessions.REAUTH_AT_KEY)
    if not raw:
        return False
    return timezone.now() - datetime.fromisoformat(raw) <= settings.REAUTH_MAX_AGE


def redirect_to_reauth(request: HttpRequest) -> HttpResponse:
    from django.urls import reverse
    from django.utils.http import urlencode

    return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': request.get_full_path()})}")


def reauthentication_required(view: Any) -> Any:
    """Exports and changes to the second factor need a fresh password + code."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reauthenticated_recently(request):
            return redirect_to_reauth(request)
        return view(request, *args, **kwargs)

    return wrapped


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class ReauthView(ProtectedView):
    permission = SIGNED_IN

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "accounts/reauth.html", {"form": ReauthForm(), "next": _safe_next(request)}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ReauthForm(request.POST)
        if form.is_valid():
            user = self.user
            password_ok = user.check_password(form.cleaned_data["password"])
            device = match_token(user, form.cleaned_data["token"].strip())
            if password_ok and device is not None:
                request.session[sessions.REAUTH_AT_KEY] = timezone.now().isoformat()
                return redirect(_safe_next(request))
            form.add_error(None, _("Incorrect password or code."))
        return render(
            request, "accounts/reauth.html", {"form": form, "next": _safe_next(request)}, status=400
        )


@method_decorator(reauthentication_required, name="dispatch")
class BackupCodesRegenerateView(ProtectedView):
    permission = SIGNED_IN

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/backup_codes_confirm.html")

    def post(self, request: HttpRequest) -> HttpResponse:
        codes = services.backup_codes_regenerate(user=self.user, actor=self.actor)
        return render(request, "accounts/backup_codes.html", {"codes": codes})


class LogoutView(ProtectedView):
    permission = SIGNED_IN

    def post(self, request: HttpRequest) -> HttpResponse:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
        auth_logout(request)
        return redirect(settings.LOGOUT_REDIRECT_URL)


class SessionListView(ProtectedView):
    permission = SIGNED_IN

    def get(self, request: HttpRequest) -> HttpResponse:
        tracked = sessions.sessions_live(user=self.user)
        return render(
            request,
            "accounts/sessions.html",
            {"tracked_sessions": tracked, "current_key": request.session.session_key},
        )


class SessionRevokeView(ProtectedView):
    permission = SIGNED_IN

    def post(self, request: HttpRequest, session_id: int) -> HttpResponse:
        if not sessions.session_end(user=self.user, session_id=session_id):
            raise Http404
        messages.success(request, _("The session has been ended."))
        return redirect("accounts:sessions")


@method_decorator(sensitive_post_parameters("old_password", "new_password"), name="dispatch")
class PasswordChangeView(ProtectedView):
    permission = SIGNED_IN

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/password_change.html", {"form": PasswordChangeForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PasswordChangeForm(request.POST)
        if form.is_valid():
            user = self.user
            if not user.check_password(form.cleaned_data["old_password"]):
                form.add_error("old_password", _("Incorrect password."))
            else:
                try:
                    services.user_set_password(
                        user=user, password=form.cleaned_data["new_password"], actor=self.actor
                    )
                except ValidationError as error:
                    form.add_error("new_password", error)
                else:
                    auth_logout(request)
                    messages.success(request, _("Password changed. Please sign in again."))
                    return redirect("accounts:login")
        return render(request, "accounts/password_change.html", {"form": form}, status=400)


class OrganisationUserListView(ProtectedView):
    permission = Permission.ORG_USERS_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        members = User.objects.filter(organisation=self.user.organisation).order_by("full_name")
        return render(request, "accounts/org_users.html", {"members": members})


class OrganisationUserDisableView(ProtectedView):
    permission = Permission.ORG_USERS_MANAGE

    def post(self, request: HttpRequest, user_uuid: str) -> HttpResponse:
        member = User.objects.filter(
            organisation=self.user.organisation,
            uuid=user_uuid,
        ).first()
        if member is None:
            raise Http404
        if member.pk == self.user.pk:
            messages.error(request, _("You cannot disable your own account."))
        else:
            services.user_disable(user=member, actor=self.actor)
            messages.success(request, _("Account %(email)s disabled.") % {"email": member.email})
        return redirect("accounts:org_users")


class OrganisationListView(ProtectedView):
    permission = Permission.PLATFORM_ORGS_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        from django.db.models import Count

        organisations = Organisation.objects.annotate(member_count=Count("members"))
        return render(request, "accounts/organisations.html", {"organisations": organisations})


@method_decorator(login_not_required, name="dispatch")
@method_decorator(sensitive_post_parameters("new_password"), name="dispatch")
class SetPasswordView(View):
    """The page a new account's emailed link opens (single use: the token dies with the change)."""

    def _user(self, uidb64: str, token: str) -> User | None:
        from django.contrib.auth.tokens import default_token_generator
        from django.utils.http import urlsafe_base64_decode

        try:
            pk = int(urlsafe_base64_decode(uidb64).decode())
        except (ValueError, UnicodeDecodeError):
            return None
        user = User.objects.filter(pk=pk, is_active=True).first()
        if user is None or not default_token_generator.check_token(user, token):
            return None
        return user

    def get(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        if self._user(uidb64, token) is None:
            return render(request, "accounts/set_password_invalid.html", status=404)
        return render(request, "accounts/set_password.html", {"form": SetPasswordForm()})

    def post(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        user = self._user(uidb64, token)
        if user is None:
            return render(request, "accounts/set_password_invalid.html", status=404)
        form = SetPasswordForm(request.POST)
        if form.is_valid():
            try:
                services.user_set_password(user=user, password=form.cleaned_data["new_password"])
            except ValidationError as error:
                form.add_error("new_password", error)
            else:
                messages.success(
                    request, _("Your password is set. Sign in, then set up your second factor.")
                )
                return redirect("accounts:login")
        return render(request, "accounts/set_password.html", {"form": form}, status=400)


@method_decorator(reauthentication_required, name="dispatch")
class SecurityKeyListView(ProtectedView):
    """Security keys and passkeys of the signed-in person: list, add, remove."""

    permission = SIGNED_IN

    def get(self, request: HttpRequest) -> HttpResponse:
        from django_otp_webauthn.models import WebAuthnCredential

        keys = WebAuthnCredential.objects.filter(user=self.user).order_by("-created_at")
        return render(request, "accounts/security_keys.html", {"keys": keys})


@method_decorator(reauthentication_required, name="dispatch")
class SecurityKeyDeleteView(ProtectedView):
    permission = SIGNED_IN

    def post(self, request: HttpRequest, credential_id: int) -> HttpResponse:
        if not services.security_key_remove(
            request=request, credential_id=credential_id, actor=self.actor
        ):
            raise Http404
        messages.success(request, _("The security key has been removed."))
        return redirect("accounts:security_keys")
