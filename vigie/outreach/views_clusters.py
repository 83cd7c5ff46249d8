"""The possible networks pages: the list, and one network as a graph and as tables. Thin: scope
and audit come from the selectors (vigie/outreach/selectors_clusters.py), the drawing from
vigie/outreach/graph.py."""

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vigie.accounts.roles import Permission
from vigie.core.views import ProtectedView

from .graph import GRAPH_MAX_NODES, LINK_STYLES
from .models import Advertisement
from .selectors_clusters import (
    ClusterFilters,
    cluster_detail_for_user,
    clusters_list_for_user,
)
from .selectors_reports import cluster_reports_context

# A network is two linked ads at least; beyond this, a minimum would hide everything.
_MIN_SIZE_LIMIT = 1000


class ClusterFilterForm(forms.Form):
    declared_minor_only = forms.BooleanField(
        label=_("Only networks with a declared minor"), required=False
    )
    signs_only = forms.BooleanField(label=_("Only networks with a sign of a minor"), required=False)
    min_size = forms.IntegerField(
        label=_("Minimum number of ads"),
        min_value=2,
        max_value=_MIN_SIZE_LIMIT,
        required=False,
    )

    def filters(self) -> ClusterFilters:
        data = self.cleaned_data
        return ClusterFilters(
            declared_minor_only=bool(data.get("declared_minor_only")),
            signs_only=bool(data.get("signs_only")),
            min_size=data.get("min_size") or 2,
        )


def _ad_href(ad: Advertisement) -> str:
    return reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid})


def _how_networks_are_found() -> dict[str, Any]:
    return {
        "text_threshold_percent": round(settings.VIGIE_OUTREACH_TEXT_THRESHOLD * 100),
        "image_distance": settings.VIGIE_OUTREACH_IMAGE_DISTANCE,
    }


class ClustersView(ProtectedView):
    permission = Permission.OUTREACH_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ClusterFilterForm(request.GET)
        status, page = 200, None
        if form.is_valid():
            page = clusters_list_for_user(
                actor=self.actor, filters=form.filters(), page=request.GET.get("page", 1)
            )
        else:
            status = 422
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "outreach/cluster_list.html",
            {
                "form": form,
                "page": page,
                "query": query.urlencode(),
                **_how_networks_are_found(),
            },
            status=status,
        )


class ClusterView(ProtectedView):
    permission = Permission.OUTREACH_VIEW

    def get(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        detail = cluster_detail_for_user(actor=self.actor, ad_uuid=ad_uuid, ad_href=_ad_href)
        context: dict[str, Any] = {
            "detail": detail,
            "cluster": detail.cluster,
            "graph": detail.graph,
            "graph_limit": GRAPH_MAX_NODES,
            "link_styles": list(LINK_STYLES.values()),
            "ad_uuid": ad_uuid,
            **_how_networks_are_found(),
        }
        context |= cluster_reports_context(cluster=detail.cluster, ads=detail.ads, user=self.user)
        return render(request, "outreach/cluster_detail.html", context)
