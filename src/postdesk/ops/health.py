"""Readiness checks: can this process serve requests right now?

Each check returns None when fine, or a short reason that names no host, password or path
(the answer is public: load balancers read it).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

_migrated = False  # once true it stays true: migrations are not un-applied under a running process


def check_database() -> str | None:
    global _migrated
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        if not _migrated:
            from django.db.migrations.executor import MigrationExecutor

            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                return "migrations not applied: run postdesk migrate"
            _migrated = True
    except Exception as error:
        # A broken connection must not stay cached for the next request.
        connection.close_if_unusable_or_obsolete()
        return f"unreachable ({type(error).__name__})"
    return None


def check_job_queue() -> str | None:
    from huey.contrib.djhuey import HUEY

    try:
        HUEY.pending_count()
    except Exception as error:
        return f"unreachable ({type(error).__name__})"
    return None


def check_cache() -> str | None:
    from django.core.cache import cache

    try:
        cache.get("postdesk:ops:readyz")
    except Exception as error:
        return f"unreachable ({type(error).__name__})"
    return None


def _writable(directory: str) -> bool:
    try:
        Path(directory).mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix=".readyz-", dir=directory)
        os.close(descriptor)
        os.unlink(name)
    except OSError:
        return False
    return True


def check_storage() -> str | None:
    unwritable = [label for label, directory in (("media", settings.MEDIA_ROOT),
                                                 ("var", str(settings.VAR_DIR)))
                  if not _writable(directory)]
    return f"not writable: {', '.join(unwritable)}" if unwritable else None


CHECKS = {
    "database": check_database,
    "job_queue": check_job_queue,
    "cache": check_cache,
    "storage": check_storage,
}


def readiness() -> dict[str, str]:
    """Every check's result: "ok" or its reason."""
    return {name: (check() or "ok") for name, check in CHECKS.items()}
