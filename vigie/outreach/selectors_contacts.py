"""What the ad page shows of the contacts made (owned by the contact-log part)."""

from typing import Any

from .models import Advertisement


def ad_contacts_context(*, ad: Advertisement, user: Any) -> dict[str, Any]:
    return {}
