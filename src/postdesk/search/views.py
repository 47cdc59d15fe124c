"""The console's search page. Views parse, call one selector, render."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from postdesk.console.views import agent_required
from postdesk.search.forms import SearchForm
from postdesk.search.selectors import search_cases


@require_GET
@agent_required
def search(request):
    """The header's search box leads here: the form with every filter, and one page of results."""
    form = SearchForm(request.GET or None, user=request.user)
    results = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            if form.has_criteria:
                results = search_cases(request.user, form.query, form.filters,
                                       page=form.page_number, page_size=form.size)
        else:
            status = 400
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "search/search.html", {"form": form, "results": results, "filter_query": query.urlencode()},
                  status=status)
