"""Structured logs: JSON lines when ``POSTDESK_LOG_FORMAT=json``, readable lines otherwise.

Every record logged while a request is served carries its request id (``RequestIdFilter``), so
one request's lines can be found across processes. Log calls put ids in ``extra`` (case number,
channel, task) and never personal data: no names, addresses, message text or email addresses.
"""

from __future__ import annotations

import contextvars
import logging

from pythonjsonlogger.json import JsonFormatter

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("postdesk_request_id",
                                                                          default=None)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonLineFormatter(JsonFormatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request id and
    the record's ``extra`` fields."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def process_log_record(self, log_record):
        if log_record.get("request_id") is None:
            log_record.pop("request_id", None)
        return super().process_log_record(log_record)
