"""Agent pages of triage: the needs-triage queue, its one-click "route to", entity search."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from postdesk.cases import selectors as case_selectors
from postdesk.cases.models import Topic
from postdesk.console.views import agent_required
from postdesk.triage import selectors, services

PAGE_SIZE = 50


@require_GET
@agent_required
def queue(request):
    cases = selectors.needs_triage_cases(request.user)
    # Ids first (from indexes), then the joins for one page only (see console.views.home).
    page = Paginator(cases.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.needs_triage_rows(list(page.object_list))
    topics = {topic.slug: topic for topic in Topic.objects.filter(active=True).select_related("department")}
    rows = []
    for case in page.object_list:
        suggestions = [(topics[slug], probability) for slug, probability in case.triage.suggestions
                       if slug in topics]
        rows.append({"case": case, "triage": case.triage, "suggestions": suggestions})
    return render(request, "triage/queue.html", {"page": page, "rows": rows,
                                                 "topics": list(topics.values())})


@require_POST
@agent_required
def route(request, number: str):
    case = case_selectors.agent_case(request.user, number)
    if case is None:
        raise Http404
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/console/"):
        back = reverse("triage:queue")
    topic = Topic.objects.select_related("department").filter(slug=request.POST.get("topic", ""), active=True).first()
    if topic is None:
        messages.error(request, _("Choose one of the topics."))
        return redirect(back)
    try:
        services.case_topic_change(case=case, agent=request.user, topic=topic,
                                   reason=_("Routed from the needs-triage queue"))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, _("Case %(number)s routed to %(topic)s (%(department)s).") % {
        "number": case.number, "topic": topic.display_name, "department": topic.department.display_name})
    if case_selectors.agent_case(request.user, case.number) is None:
        # Routed out of the agent's departments: its page is a 404 for them now.
        return redirect("triage:queue")
    return redirect(back)


@require_GET
@agent_required
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    cases = selectors.entity_search(request.user, query) if query else None
    return render(request, "triage/search.html", {"query": query, "cases": cases[:100] if cases is not None else None})
