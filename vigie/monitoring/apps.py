from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Monitoring: disaggregated statistics, differentially private releases, standard exports."""

    name = "vigie.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        # The country list and HTCDS's field list are reference data: a broken file stops Vigie
        # at start-up.
        from .countries import countries_load
        from .exports.htcds_fields import htcds_fields_load

        countries_load()
        htcds_fields_load()
