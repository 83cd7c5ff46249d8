"""What the ad and network pages show of the reports to the authorities (owned by the reports
part)."""

from typing import Any

from .models import AdCluster, Advertisement


def ad_reports_context(*, ad: Advertisement, user: Any) -> dict[str, Any]:
    return {}


def cluster_reports_context(
    *, cluster: AdCluster, ads: list[Advertisement], user: Any
) -> dict[str, Any]:
    return {}
