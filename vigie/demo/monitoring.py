"""A demo statistics release, so that the analyst's login has published numbers to read."""

from django.conf import settings
from django.utils.translation import gettext as _

from vigie.monitoring.models import Release
from vigie.monitoring.services.releases import ReleaseRequest, release_compute, release_request
from vigie.monitoring.tables_spec import presets


def demo_release_ensure() -> bool:
    """Publish the standard tables at ε = 1 once; False when a release already exists."""
    if Release.objects.exists():
        return False
    request = ReleaseRequest(
        name=_("Demonstration: every one- and two-way table"),
        epsilon=1.0,
        delta=1e-6,
        tables=presets()["standard"],
        threshold=settings.VIGIE_RELEASE_THRESHOLD,
    )
    release_compute(release_request(actor=None, request=request))
    return True
