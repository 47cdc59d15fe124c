"""What the mail commands print: one line per outcome, and log records without tracebacks.

The pipe's standard error ends up in the MTA's log and in bounce messages; the import is run by
an administrator. Neither is the place for a traceback: the full one is kept where it helps,
on the quarantined message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from postdesk.intake.channels.email import EmailOutcome


def describe(outcome: EmailOutcome) -> str:
    parts = [f"{outcome.status}:"]
    if outcome.case_number:
        parts.append(f"case {outcome.case_number}")
    if outcome.reason:
        parts.append(f"({outcome.reason})" if outcome.case_number else outcome.reason)
    return " ".join(parts)


class _OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if not record.exc_info:
            return super().format(record)
        saved = record.exc_info, record.exc_text
        error = record.exc_info[1]
        # Other handlers (an error tracker) still get the full record afterwards.
        record.exc_info, record.exc_text = None, None
        try:
            return f"{super().format(record)} [{type(error).__name__}: {error}]"
        finally:
            record.exc_info, record.exc_text = saved


@contextmanager
def one_line_logging() -> Iterator[None]:
    """Console log handlers print exceptions as one line while the block runs."""
    changed = []
    for handler in logging.getLogger().handlers:
        # Console handlers only: a log file keeps its tracebacks.
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            formatter = handler.formatter
            fmt = formatter._fmt if formatter is not None else None
            datefmt = formatter.datefmt if formatter is not None else None
            changed.append((handler, formatter))
            handler.setFormatter(_OneLineFormatter(fmt, datefmt))
    try:
        yield
    finally:
        for handler, formatter in changed:
            handler.setFormatter(formatter)


@contextmanager
def console_warnings_only() -> Iterator[None]:
    """Console handlers drop records below WARNING while the block runs: an MTA copies a pipe
    command's output into its logs and bounces, where the command's one line is the answer and
    the per-message INFO lines (kept by the web and worker processes) would be noise."""
    changed = []
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            changed.append((handler, handler.level))
            handler.setLevel(max(handler.level, logging.WARNING))
    try:
        yield
    finally:
        for handler, level in changed:
            handler.setLevel(level)

