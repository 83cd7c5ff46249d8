from django.apps import AppConfig


class NetworkConfig(AppConfig):
    """Coordination and continuity: referrals, transfers, the directory, accommodation places."""

    name = "vigie.network"
    label = "network"

    def ready(self) -> None:
        # The 101 départements are reference data: a broken file stops Vigie at start-up.
        from .departements import departements_load

        departements_load()
