"""The web process: one ASGI application on one port.

* ``http``: Django, as a WSGI application on a fixed pool of threads (a2wsgi). Every view is
  synchronous; Django's own ASGI handler would run each request on a fresh thread with a fresh
  database connection (about 30 % of a worker's CPU in bench/), while a fixed pool keeps one
  persistent connection per thread, as Granian's WSGI interface did.
* ``websocket``: live chat (Django Channels), behind an Origin check against ALLOWED_HOSTS and
  Django's session and auth, which say who the socket belongs to.
* ``lifespan``: acknowledged, so servers that send it (Granian, uvicorn) start cleanly.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postdesk.config.settings")

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

# Loads Django and warms what the first request would pay for (holidays, the triage model).
from postdesk.config.wsgi import application as wsgi_application  # noqa: E402
from postdesk.chat.routing import websocket_urlpatterns  # noqa: E402

WEB_THREADS = int(os.environ.get("WEB_THREADS", "4") or 4)


async def lifespan(scope, receive, send):
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _coroutine_receive(app):
    """a2wsgi hands ``receive()`` to ``asyncio.run_coroutine_threadsafe``, which accepts only
    coroutines; Granian's ``receive`` returns another kind of awaitable (request bodies then
    failed with a TypeError). Wrapping it in a coroutine function serves both servers."""

    async def http(scope, receive, send):
        async def receive_coroutine():
            return await receive()

        await app(scope, receive_coroutine, send)

    return http


application = ProtocolTypeRouter({
    "http": _coroutine_receive(WSGIMiddleware(wsgi_application, workers=WEB_THREADS)),
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    "lifespan": lifespan,
})
