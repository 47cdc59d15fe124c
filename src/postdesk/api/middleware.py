"""Every answer under /api/ is JSON, errors included.

django-ninja answers a method the route does not take with a plain-text 405, and Django answers a
path nobody routes with an HTML 404: a client of the API would have to parse prose. Those two
become ``{"detail": "..."}`` with the same status (and the 405's ``Allow`` header). JSON answers
the API wrote itself pass untouched.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (not request.path.startswith(API_PREFIX) or response.status_code not in (404, 405)
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        if response.status_code == 405:
            allowed = response.get("Allow", "")
            answer = JsonResponse({"detail": _("Method %(method)s is not allowed here; use %(allowed)s.")
                                   % {"method": request.method, "allowed": allowed or "-"}}, status=405)
            if allowed:
                answer["Allow"] = allowed
            return answer
        return JsonResponse({"detail": _("No API endpoint at %(path)s.") % {"path": request.path}}, status=404)
