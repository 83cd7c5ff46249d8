from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    """Advocacy: the recommendations tracker and the alternative report to the UN Committee."""

    name = "vigie.advocacy"
    label = "advocacy"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .seeds import seeds_on_migrate

        # The frameworks and the seed reports' recommendations are there from the first day.
        post_migrate.connect(seeds_on_migrate, sender=self, dispatch_uid="advocacy_seeds")
