"""Signing a test client in for real: password form, then the TOTP step."""

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .factories import TEST_PASSWORD


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client: Client, user, password: str = TEST_PASSWORD) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": password}
    )
    assert response.status_code == 302, response.content[:500]
    response = client.post(reverse("accounts:mfa_verify"), {"token": current_code(user)})
    assert response.status_code == 302, response.content[:500]


def sign_in_directly(client: Client, user) -> None:
    """The session the two sign-in forms leave behind, made by the same functions they call
    (django.contrib.auth's login, session_start, complete_second_factor), without the two HTTP
    round trips and the password hash. For tests about what a signed-in person may do; the sign-in
    itself is tested through its forms (accounts/tests). A test checks both give the same session.
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import login
    from django.http import HttpRequest

    from vigie.accounts.sessions import session_start
    from vigie.accounts.views import complete_second_factor

    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # What the authentication and django-otp middlewares give every signed-in request.
    request.user = user
    user.otp_device = None
    session_start(request, user=user)
    complete_second_factor(request, TOTPDevice.objects.get(user=user, confirmed=True))
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
