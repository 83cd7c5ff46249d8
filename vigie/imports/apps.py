from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Bulk data in: children's files, directory entries and places from spreadsheets."""

    name = "vigie.imports"
    label = "imports"
    verbose_name = _("Imports")
