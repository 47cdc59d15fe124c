"""The first middleware: request id, one log line and the request metrics for every request,
and the probe endpoints answered before anything else runs."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings

from postdesk.ops import logs, metrics, views

log = logging.getLogger("postdesk.request")

_INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# Probes and scrapers address processes by IP: answered here, before host validation, sessions
# and language negotiation.
PROBES = {"/healthz": ("healthz", views.healthz), "/readyz": ("readyz", views.readyz),
          "/metrics": ("metrics", views.metrics_view)}
# URL values that are identifiers and may be logged; anything else (signed status and rating
# tokens are bearer credentials) is logged as its name only.
LOGGABLE_URL_VALUES = {"number", "slug", "pk", "id"}
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _route(request) -> str:
    """A bounded label: the URL pattern, never the raw path (case numbers, tokens)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return "/" + match.route
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


def _loggable_path(request) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        return path if request.path.startswith(settings.STATIC_URL) else path[:200]
    for name, value in match.kwargs.items():
        if name in LOGGABLE_URL_VALUES or name.endswith("_id"):
            continue
        text = str(value)
        if text:
            path = path.replace(text, f"<{name}>")
    return path[:200]


class RequestObservationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = logs.request_id.set(request_id)
        started = time.perf_counter()
        try:
            probe = PROBES.get(request.path)
            if probe is not None:
                route = probe[0]
                response = probe[1](request)
            else:
                response = self.get_response(request)
                route = _route(request)
            duration = time.perf_counter() - started
            status = response.status_code
            method = request.method if request.method in METHODS else "other"
            metrics.REQUESTS.labels(route=route, method=method, status=str(status)).inc()
            metrics.REQUEST_SECONDS.labels(route=route).observe(duration)
            if probe is None:  # probes every few seconds would drown the log
                path = _loggable_path(request)
                log.info("%s %s %s %.1fms", method, path, status, duration * 1000,
                         extra={"method": method, "path": path, "route": route,
                                "status": status, "duration_ms": round(duration * 1000, 2)})
            response["X-Request-ID"] = request_id
            return response
        finally:
            logs.request_id.reset(token)
