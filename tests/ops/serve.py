"""Serve Postdesk's WSGI application on 127.0.0.1 in this process, for tests that need a real
server in a process of its own (a wrong DATABASE_URL, JSON logs on stderr). Prints the port."""

from __future__ import annotations

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # Postdesk logs its own line per request
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postdesk.config.settings")
    # Django's own application, without postdesk.config.wsgi's warm-up (the triage model needs
    # a database, and some of these servers are started without one on purpose).
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    server = make_server("127.0.0.1", 0, application, server_class=ThreadingServer,
                         handler_class=QuietHandler)
    print(server.server_port, flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
