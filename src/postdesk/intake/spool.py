"""The SMTP intake spool: messages the SMTP server has accepted, waiting for a worker.

The server answers 250 only once a message is on disk for good (``spool_write``); a worker then
takes it in through ``receive_email`` and deletes the file (``spool_process``). A job that was
lost (worker restart, queue down) is picked up by ``spool_sweep``. Taking a message in twice is
harmless: ``receive_email`` de-duplicates on Message-ID plus body digest.

Layout, under ``settings.POSTDESK_SPOOL_DIR``::

    incoming/<32 hex>.eml     the message, exactly as received (plus our Received: line)
    incoming/<32 hex>.json    its envelope: recipients, sender, client address
    incoming/.tmp-*           half-written; never acknowledged, removed by the sweep
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from postdesk.intake.channels.email import TemporaryFailure, receive_email

log = logging.getLogger(__name__)

_NAME = re.compile(r"^[0-9a-f]{32}\.eml$")
# A job is queued the moment a message is spooled; a file this old has lost its job.
SWEEP_MIN_AGE_SECONDS = 60
# Half-written temporary files and envelopes without a message: debris of a crash.
DEBRIS_MIN_AGE_SECONDS = 3600
SWEEP_BATCH = 500


@dataclass(frozen=True)
class Envelope:
    recipients: tuple[str, ...]
    mail_from: str = ""
    peer: str = ""


def incoming_dir() -> Path:
    return Path(settings.POSTDESK_SPOOL_DIR) / "incoming"


def _write_durably(directory: Path, final_name: str, data: bytes) -> None:
    """Temp file, fsync, rename: the final name never points at half-written bytes."""
    temporary = directory / f".tmp-{uuid.uuid4().hex}-{final_name}"
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(temporary, directory / final_name)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _fsync_directory(directory: Path) -> None:
    # The renames themselves are durable only once the directory entry is on disk.
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def new_queue_id() -> str:
    return uuid.uuid4().hex


def spool_write(raw: bytes, envelope: Envelope, *, queue_id: str | None = None) -> str:
    """Store one accepted message durably; return its spool name. Raises ``OSError``.

    1. The envelope (recipients) first, then the message: a message file always has its envelope.
    2. Each through a temp file, fsync and rename.
    3. fsync the directory: after this returns, a power cut loses nothing.
    """
    directory = incoming_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stem = queue_id or new_queue_id()
    if not _NAME.match(f"{stem}.eml"):
        raise ValueError(f"not a queue id: {stem!r}")
    meta = {"recipients": list(envelope.recipients), "mail_from": envelope.mail_from,
            "peer": envelope.peer, "received_at": time.time()}
    _write_durably(directory, f"{stem}.json", json.dumps(meta).encode())
    try:
        _write_durably(directory, f"{stem}.eml", raw)
    except BaseException:
        (directory / f"{stem}.json").unlink(missing_ok=True)
        raise
    _fsync_directory(directory)
    return f"{stem}.eml"


def _read_envelope(path: Path) -> Envelope:
    try:
        meta = json.loads(path.with_suffix(".json").read_bytes())
    except (OSError, ValueError):
        # Missing or damaged envelope: the message still goes in, threaded by its headers only.
        log.warning("spool %s: envelope unreadable, taking the message in without it", path.name)
        return Envelope(recipients=())
    return Envelope(recipients=tuple(str(r) for r in meta.get("recipients", ())),
                    mail_from=str(meta.get("mail_from", "")), peer=str(meta.get("peer", "")))


def spool_process(name: str) -> str:
    """Take in one spooled message; return what happened.

    1. Claim the file with a non-blocking exclusive lock: a job and the sweep, or two workers,
       never process one message at the same time. A crashed worker's lock dies with it.
    2. ``receive_email`` with the envelope recipients (reply addresses thread by them).
    3. Delete the file once the message is a case message, a duplicate or quarantined.
       A temporary failure (database down) leaves it for the sweep to retry.
    """
    if not _NAME.match(name):
        raise ValueError(f"not a spool file name: {name!r}")
    path = incoming_dir() / name
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return "gone"  # taken in by another job already
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return "busy"
        if not path.exists():
            return "gone"  # finished by the lock's previous holder while we opened it
        raw = handle.read()
        envelope = _read_envelope(path)
        try:
            outcome = receive_email(raw, source="smtp", envelope_to=envelope.recipients)
        except TemporaryFailure as exc:
            log.warning("spool %s: temporary failure, kept for retry: %s", name, exc)
            return "deferred"
        except OSError as exc:
            # Attachment or raw-copy storage unwritable: as temporary as a database outage.
            log.error("spool %s: storage error, kept for retry: %s", name, exc)
            return "deferred"
        path.unlink(missing_ok=True)
        path.with_suffix(".json").unlink(missing_ok=True)
    log.info("spool %s from %s: %s %s %s", name, envelope.mail_from or "<>", outcome.status,
             outcome.case_number or "", outcome.reason)
    return outcome.status


def spool_sweep(*, min_age_seconds: float = SWEEP_MIN_AGE_SECONDS) -> dict[str, int]:
    """Process messages whose job was lost, oldest first; stop at the first temporary failure
    (the database is down: the rest would fail the same way). Remove crash debris."""
    directory = incoming_dir()
    if not directory.is_dir():
        return {}
    now = time.time()
    waiting: list[tuple[float, str]] = []
    for entry in os.scandir(directory):
        try:
            age = now - entry.stat().st_mtime
        except FileNotFoundError:
            continue
        if _NAME.match(entry.name):
            if age >= min_age_seconds:
                waiting.append((entry.stat().st_mtime, entry.name))
        elif age >= DEBRIS_MIN_AGE_SECONDS and _is_debris(directory, entry.name):
            Path(entry.path).unlink(missing_ok=True)
    counts: dict[str, int] = {}
    for _mtime, name in sorted(waiting)[:SWEEP_BATCH]:
        status = spool_process(name)
        counts[status] = counts.get(status, 0) + 1
        if status == "deferred":
            break
    return counts


def _is_debris(directory: Path, name: str) -> bool:
    if name.startswith(".tmp-"):
        return True  # never renamed, so never acknowledged: the client has retried
    if name.endswith(".json"):
        return not (directory / name).with_suffix(".eml").exists()
    return False
