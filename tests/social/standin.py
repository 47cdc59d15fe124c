"""A local HTTP server in the place of the platforms' APIs (X API v2, Meta Graph API).

It listens on 127.0.0.1, records every request (method, path, query, headers, JSON body) and
answers from a script of statuses (``standin.script([500, 201])``), then 200/201 forever.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class PlatformStandIn:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self._script: list[int] = []
        self._lock = threading.Lock()
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urlsplit(self.path)
                with standin._lock:
                    standin.requests.append({
                        "method": "POST", "path": parts.path, "query": parse_qs(parts.query),
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "json": json.loads(raw or b"null"),
                    })
                    status = standin._script.pop(0) if standin._script else None
                if status is None:
                    status = 201 if parts.path.startswith("/2/") else 200
                if status >= 400:
                    body = {"error": {"message": "stand-in failure", "code": status}}
                elif parts.path.startswith("/2/"):
                    body = {"data": {"dm_conversation_id": "c-1", "dm_event_id": f"dm-{len(standin.requests)}"}}
                else:
                    body = {"recipient_id": "psid", "message_id": f"m_{len(standin.requests)}"}
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def script(self, statuses: list[int]) -> None:
        with self._lock:
            self._script = list(statuses)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
