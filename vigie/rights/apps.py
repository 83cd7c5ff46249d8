from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "vigie.rights"
    label = "rights"

    def ready(self) -> None:
        # The rights catalogue is validated at start-up, like the indicator catalogue: a broken
        # catalogue stops Vigie instead of silently dropping a child's right from every plan.
        from .catalogue import load_catalogue

        load_catalogue()
