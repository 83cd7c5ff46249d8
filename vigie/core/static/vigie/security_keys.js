// Refresh the list of security keys once django-otp-webauthn reports a new one registered.
document.addEventListener("otp_webauthn.register_complete", () => {
  window.setTimeout(() => window.location.reload(), 800);
});
