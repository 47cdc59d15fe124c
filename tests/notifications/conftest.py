"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the outbox tests: mail goes over TCP, as in
production, and the test reads the bytes the server received."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


class CollectingHandler:
    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = CollectingHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)

    @property
    def envelopes(self):
        return self.handler.envelopes

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


def free_port() -> int:
    # Bound and released at once: nothing listens there until a test starts a server.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def smtp_settings(settings, smtp_port):
    """Django's SMTP backend pointed at 127.0.0.1:<smtp_port> (where nothing listens yet)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


@pytest.fixture
def start_smtp(smtp_settings, smtp_port):
    """Start the SMTP server on the configured port when the test says so."""
    started: list[SmtpServer] = []

    def start() -> SmtpServer:
        server = SmtpServer(smtp_port)
        server.controller.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.controller.stop()


@pytest.fixture
def smtp_server(start_smtp) -> SmtpServer:
    return start_smtp()
