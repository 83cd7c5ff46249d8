from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """Digital outreach: online advertisements, their links and networks, contacts and reports."""

    name = "vigie.outreach"
    label = "outreach"
    verbose_name = _("Digital outreach")

    def ready(self) -> None:
        # The signs-of-a-minor catalogue is validated at start-up: a broken file stops Vigie
        # instead of silently never raising an ad.
        from .signs import signs_catalogue_check

        signs_catalogue_check()
