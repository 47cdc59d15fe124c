"""Supervisor dashboards: SVG charts over the rollups, each with its CSV export.

The numbers come from ``postdesk.sla.selectors`` (pre-counted rollups and the latest backlog
snapshot), so a page view never counts the cases table.
"""

from __future__ import annotations

import csv
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from postdesk.cases.permissions import is_supervisor
from postdesk.sla import charts, selectors
from postdesk.sla.forms import DashboardFilterForm


def supervisor_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_supervisor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filters(request):
    form = DashboardFilterForm(request.GET or None)
    days, department = form.filters() if form.is_bound else (30, None)
    return form, selectors.period_for(days), department


@require_GET
@supervisor_required
def index(request):
    form, period, department = _filters(request)
    snapshot = selectors.latest_snapshot()
    tables = selectors.dashboard_tables(period, department_id=department.pk if department else None,
                                        snapshot=snapshot)
    query = request.GET.urlencode()
    return render(request, "sla/dashboards.html", {
        "form": form, "period": period, "snapshot": snapshot, "department": department,
        "blocks": [{"table": table, "chart": charts.chart_for(table)} for table in tables],
        "filter_query": query,
    })


# Spreadsheets run a cell that starts like a formula; names are typed by admins.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@require_GET
@supervisor_required
def export_csv(request, name: str):
    _form, period, department = _filters(request)
    table = selectors.dashboard_table(name, period, department_id=department.pk if department else None)
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    scope = f"-{department.slug}" if department else ""
    response["Content-Disposition"] = (
        f'attachment; filename="postdesk-{name}{scope}-{period.start}-{period.end}.csv"')
    writer = csv.writer(response)
    writer.writerow(table.columns)
    for row in table.all_rows():
        writer.writerow([_cell(value) for value in row])
    return response
