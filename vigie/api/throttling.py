"""The per-token rate limit (ninja's throttle on the shared cache; see settings CACHES)."""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AuthRateThrottle


class TokenRateThrottle(AuthRateThrottle):
    """Counts each token's requests (keyed on its public UUID, never its secret)."""

    scope = "token"

    def __init__(self) -> None:
        super().__init__(rate=settings.VIGIE_API_RATE_LIMIT)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read at each request, so that a deployment (or a test) changing the setting applies it.
        self.rate = settings.VIGIE_API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)
