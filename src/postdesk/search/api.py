"""``GET /api/v1/cases/search``: the console's search for agents' scripts and tools.

Authentication: an agent's console session (cookie) or HTTP Basic with the agent's username and
password. 401 without either; 429 after too many failed sign-ins (``accounts.throttle``); 403 for an account that is not a desk agent. Bad filters are a 422
``{"errors": {field: [messages]}}`` with the console form's messages.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.security import HttpBasicAuth, django_auth

from postdesk.accounts import throttle
from postdesk.api.schemas import DetailOut
from postdesk.cases.permissions import is_staff_agent
from postdesk.search.forms import SearchForm
from postdesk.search.schemas import SearchErrorsOut, SearchPageOut
from postdesk.search.selectors import search_cases


class AgentBasicAuth(HttpBasicAuth):
    def authenticate(self, request, username, password):
        user = authenticate(request, username=username, password=password)
        if user is not None:
            request.user = user
        elif throttle.blocked(request, username):
            raise HttpError(429, _("Too many failed sign-ins. Wait %(minutes)d minutes, then try again.")
                            % {"minutes": throttle.window_minutes()})
        return user


router = Router(tags=["search"])


@router.get(
    "/search",
    response={200: SearchPageOut, 401: DetailOut, 403: DetailOut, 429: DetailOut, 422: SearchErrorsOut},
    auth=[django_auth, AgentBasicAuth()],
    summary="Search cases (agents)",
)
def case_search(request, q: str = "", department: str = "", status: str = "", topic: str = "",
                created_from: str = "", created_to: str = "", page: str = "", page_size: str = ""):
    """Cases the agent may see matching ``q`` (case number, tracking number, customer name,
    email or phone, or words of subjects and messages in English, German or Spanish) and the
    filters (department and topic slugs, status, ``created_from``/``created_to`` as YYYY-MM-DD),
    newest first, archived cases included. ``next_page`` is null on the last page."""
    user = request.auth
    if not is_staff_agent(user):
        return Status(403, {"detail": _("Only desk agents may search cases.")})
    form = SearchForm(request.GET, user=user)
    if not form.is_valid():
        return Status(422, {"errors": {field: [str(message) for message in messages]
                                       for field, messages in form.errors.items()}})
    results = search_cases(user, form.query, form.filters, page=form.page_number, page_size=form.size)
    return Status(200, {
        "page": results.page,
        "page_size": results.page_size,
        "next_page": results.page + 1 if results.has_next else None,
        "ignored_words": list(results.ignored_words),
        "results": [{
            "case_number": hit.number,
            "subject": hit.subject,
            "status": hit.status,
            "status_label": hit.status_label,
            "department": hit.department.slug,
            "topic": hit.topic.slug,
            "customer_name": hit.customer.name,
            "customer_email": hit.customer.email,
            "created_at": hit.created_at,
            "archived": hit.archived,
            "url": reverse("archive:case" if hit.archived else "console:case", args=[hit.number]),
        } for hit in results.hits],
    })
