"""The organisation's statistics page: exact internal numbers, for coordinators.

Thin: the form checks the parameters, selectors_dashboard counts (and audits the view), charts
draws. An invalid parameter answers 422 with the errors on their fields, as the network's
search pages do, and shows no numbers.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigie.accounts.roles import Permission
from vigie.core.views import ProtectedView

from .charts import MAX_BARS, Bar, Series, bar_chart, grouped_bar_chart
from .forms_dashboard import DEFAULT_BY, DashboardForm
from .indicators import Indicator, Measure
from .selectors_dashboard import DashboardTable, organisation_dashboard

CHART_ID = "dashboard-chart"


def _percent(share: float | None) -> str:
    if share is None:
        return "-"
    return _("%(percent)s%%") % {"percent": number_format(share * 100, decimal_pos=1)}


def _indicator_value(indicator: Indicator) -> str:
    value = indicator.value
    if value is None:
        return "-"
    if indicator.measure == Measure.SHARE:
        return _percent(float(value))
    if indicator.measure == Measure.MEDIAN_DAYS:
        days = float(value)
        shown = number_format(days, decimal_pos=0 if days.is_integer() else 1)
        return ngettext("%(days)s day", "%(days)s days", round(days)) % {"days": shown}
    return _("%(amount)s €") % {"amount": number_format(value, decimal_pos=2, force_grouping=True)}


def _indicator_base(indicator: Indicator) -> str:
    return _("%(numerator)s of %(denominator)s %(population)s") % {
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "population": indicator.population,
    }


def _in_sentence(label: object) -> str:
    # "Age at identification (CTDC bands)" -> "age at identification (CTDC bands)".
    text = str(label)
    return text[:1].lower() + text[1:]


def _title(table: DashboardTable) -> str:
    if table.columns is None:
        return _("Files by %(dimension)s") % {"dimension": _in_sentence(table.rows.label)}
    return _("Files by %(first)s and %(second)s") % {
        "first": _in_sentence(table.rows.label),
        "second": _in_sentence(table.columns.label),
    }


def _chart(table: DashboardTable) -> SafeString | None:
    """The table as a chart; None when it would have too many bars to be read."""
    title = _title(table)
    description = _("The numbers are in the table that follows the chart.")
    lines = table.lines()
    if table.columns is None:
        if len(lines) > MAX_BARS:
            return None
        bars = [
            Bar(
                key=line.value,
                label=line.label,
                count=line.total.count,
                text=_("%(count)s (%(percent)s)")
                % {"count": line.total.count, "percent": _percent(line.total.share)},
            )
            for line in lines
        ]
        return bar_chart(chart_id=CHART_ID, title=title, description=description, bars=bars)
    if len(lines) * len(table.column_values) > MAX_BARS:
        return None
    return grouped_bar_chart(
        chart_id=CHART_ID,
        title=title,
        description=description,
        groups=[Series(line.value, line.label) for line in lines],
        series=[
            Series(value, label)
            for value, label in zip(table.column_values, table.column_labels, strict=True)
        ],
        counts=[[cell.count for cell in line.cells] for line in lines],
    )


def _table_context(table: DashboardTable) -> dict[str, object]:
    """The table with its numbers formatted, and its chart."""
    two_dimensions = table.columns is not None
    return {
        "table": table,
        "title": _title(table),
        "chart": _chart(table),
        "lines": [
            {
                "line": line,
                "cells": [
                    {
                        "cell": cell,
                        "key": f"{line.value}:{column}",
                        "percent": _percent(cell.share),
                    }
                    for cell, column in zip(line.cells, table.column_values, strict=True)
                ]
                if two_dimensions
                else [],
                "percent": _percent(line.total.share),
            }
            for line in table.lines()
        ],
        "column_totals": [
            {"cell": cell, "percent": _percent(cell.share)} for cell in table.column_total_cells()
        ]
        if two_dimensions
        else [],
        "total_percent": _percent(1.0 if table.total else None),
        "colspan": 3 + len(table.column_values),
    }


class DashboardView(ProtectedView):
    permission = Permission.STATS_ORG_VIEW
    template_name = "monitoring/dashboard.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        # The first visit (no parameters) shows the files by year.
        form = DashboardForm(request.GET or {"by": DEFAULT_BY}, today=today)
        context: dict[str, object] = {
            "form": form,
            "perms_case_export": self.user.has_vigie_permission(Permission.STATS_CASE_EXPORT),
        }
        if not form.is_valid():
            return render(request, self.template_name, context, status=422)
        dashboard = organisation_dashboard(
            actor=self.actor, group_by=form.group_by(), filters=form.filters(), today=today
        )
        context |= {
            "dashboard": dashboard,
            **_table_context(dashboard.table),
            "indicators": [
                {
                    "indicator": indicator,
                    "value": _indicator_value(indicator),
                    "base": _indicator_base(indicator),
                }
                for indicator in dashboard.indicators
            ],
        }
        return render(request, self.template_name, context)
