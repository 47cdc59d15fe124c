"""``/metrics`` served by a worker process, for machines (and containers) that run workers and
no web process: set ``POSTDESK_WORKER_METRICS_PORT``.

The first worker thread to start opens a small HTTP server on that port in a daemon thread. It
runs Django's own request handling, so the same middleware answers ``/metrics`` with the same
access rules (``POSTDESK_METRICS_ALLOW``, ``POSTDESK_METRICS_TOKEN``); every other path is 404.
Like any ``/metrics``, it reports every Postdesk process sharing ``POSTDESK_METRICS_DIR``.
"""

from __future__ import annotations

import logging
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.conf import settings

log = logging.getLogger("postdesk.jobs")

_lock = threading.Lock()
_server: WSGIServer | None = None


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # the middleware logs what matters
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def _metrics_only(application):
    def app(environ, start_response):
        if environ.get("PATH_INFO") != "/metrics":
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"error": "not_found", "detail": "Only /metrics is served here."}']
        return application(environ, start_response)

    return app


def start_once() -> None:
    """Huey start-up hook (runs in every worker thread): the first one opens the server."""
    global _server
    port = settings.POSTDESK_WORKER_METRICS_PORT
    if not port:
        return
    with _lock:
        if _server is not None:
            return
        from django.core.wsgi import get_wsgi_application

        try:
            _server = make_server(settings.POSTDESK_WORKER_METRICS_HOST, port,
                                  _metrics_only(get_wsgi_application()),
                                  server_class=_ThreadingServer, handler_class=_QuietHandler)
        except OSError as error:
            # Another worker process of this machine has the port: it reports this one too
            # (the metrics directory is shared), so this is not an error.
            log.info("worker metrics port %s not opened: %s", port, error)
            _server = False  # type: ignore[assignment]
            return
        threading.Thread(target=_server.serve_forever, name="postdesk-metrics", daemon=True).start()
        log.info("worker metrics on %s:%s/metrics", settings.POSTDESK_WORKER_METRICS_HOST, port)
