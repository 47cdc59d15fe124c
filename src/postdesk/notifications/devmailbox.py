"""The default mail backend on a laptop: every email lands as an .eml file under var/mailbox,
readable in the browser at /dev/mailbox/ with nothing to configure."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class DevMailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = Path(settings.POSTDESK_DEV_MAILBOX_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            data = message.message().as_bytes()
            name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
            tmp = folder / (name + ".tmp")
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            tmp.rename(folder / name)
        return len(email_messages)
