"""/healthz, /readyz and /metrics: for load balancers, orchestrators and Prometheus.

Plain JSON and text, no templates, no sessions, no language: machines read these.
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from postdesk.ops import health, metrics


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches nothing else, so a database outage does not get
    every web process restarted."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database reachable and migrated, job queue and cache reachable, storage
    writable. 503 names the failing checks."""
    checks = health.readiness()
    failing = [name for name, result in checks.items() if result != "ok"]
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing, "checks": checks},
                            status=503)
    return JsonResponse({"status": "ok", "checks": checks})


def _forwarded(request: HttpRequest) -> bool:
    # Through a reverse proxy REMOTE_ADDR is the proxy's: the real client is unknown.
    return any(request.META.get(header) for header in
               ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"))


def _address_allowed(request: HttpRequest) -> bool:
    if _forwarded(request):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "").split("%")[0])
    except ValueError:
        return False
    return any(address in network for network in settings.POSTDESK_METRICS_ALLOW)


def _token_given(request: HttpRequest) -> str | None:
    scheme, _space, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text format. Allowed from the addresses in ``POSTDESK_METRICS_ALLOW`` (not
    through a proxy), or anywhere with ``Authorization: Bearer <POSTDESK_METRICS_TOKEN>``."""
    token = settings.POSTDESK_METRICS_TOKEN
    given = _token_given(request)
    if given is not None:
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            response = JsonResponse({"error": "invalid_token",
                                     "detail": "The bearer token for /metrics is wrong."}, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    elif not _address_allowed(request):
        detail = ("Send Authorization: Bearer <token>, or scrape from an address listed in "
                  "POSTDESK_METRICS_ALLOW." if token else
                  "Scrape from an address listed in POSTDESK_METRICS_ALLOW, or set "
                  "POSTDESK_METRICS_TOKEN and send it as a bearer token.")
        return JsonResponse({"error": "forbidden", "detail": detail}, status=403)
    # The 0.0.4 text format: read by every Prometheus version (all names are legacy-safe).
    from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

    return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_PLAIN_0_0_4)
