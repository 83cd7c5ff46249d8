from django.apps import AppConfig


class IdentificationConfig(AppConfig):
    name = "vigie.identification"
    label = "identification"

    def ready(self) -> None:
        # The indicator catalogue is validated at start-up: a broken catalogue stops Vigie
        # instead of screening children against a wrong grid.
        from .catalogue import load_catalogue

        load_catalogue()
