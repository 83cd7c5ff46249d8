from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """Digital outreach: online advertisements, their links and networks, contacts and reports."""

    name = "vigie.outreach"
    label = "outreach"
    verbose_name = _("Digital outreach")

    def ready(self) -> None:
        # The signs-of-a-minor and contact-template catalogues are validated at start-up: a
        # broken file stops Vigie instead of silently never raising an ad, or failing at the
        # moment a worker writes to someone.
        from .services.templates_messages import contact_templates_check
        from .signs import signs_catalogue_check

        signs_catalogue_check()
        contact_templates_check()
