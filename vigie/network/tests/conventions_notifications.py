"""What the project-wide tests need to know about the notification pages.

ROUTES: the authorisation matrix of every URL of this part (see vigie/core/tests/url_matrix.py).
READS: none of these URLs names a case.
"""

from typing import Any

from vigie.core.tests.url_matrix import (
    GET,
    HIDDEN,
    OTHER,
    OWN,
    POST,
    Probe,
    Route,
    World,
    every_role,
    to,
)


def notification_of(world: World, actor: Any, scope: str) -> dict[str, Any]:
    """Own: a notification of the actor. Other: one of someone in organisation B."""
    from vigie.network.models import Notification

    recipient = actor if scope == OWN else world.members[OTHER]
    notification = Notification.objects.create(
        recipient=recipient, kind="referral_received", counterpart="Organisation B", url="/"
    )
    return {"notification_id": notification.pk}


ROUTES: dict[str, Route] = {
    # Everyone has a notification centre; a notification is its recipient's only.
    "network:notifications": Route(probes=(Probe(GET, every_role(200)),)),
    "network:notifications_read_all": Route(
        probes=(Probe(POST, every_role(to("network:notifications"))),)
    ),
    "network:notification_open": Route(
        kwargs=notification_of,
        probes=(Probe(POST, every_role((to("core:home"), HIDDEN))),),
    ),
}
READS: dict[str, Any] = {}
