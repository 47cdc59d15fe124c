"""Waking the sockets of a chat after a commit.

The numbered ``ChatEntry`` log in the database is the truth; a poke only tells the chat's
sockets to read it now rather than at their next poll. A lost poke (another process on the
in-memory layer, a Redis hiccup) costs latency, never a message.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

POKE = "chat.poke"


def group_name(public_id: str) -> str:
    # Channel-layer group names allow letters, digits, "-", "_" and "."; public ids use exactly these.
    return f"chat.{public_id}"


def queue_name() -> str:
    return "chat.queue"


def poke_after_commit(public_id: str) -> None:
    transaction.on_commit(lambda: _poke(group_name(public_id)))
    transaction.on_commit(lambda: _poke(queue_name()))


def _poke(group: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": POKE})
    except Exception:  # the sockets' poll delivers it anyway; say why it was late
        logger.warning("chat: could not poke %s; its sockets will pick the news up at their next poll",
                       group, exc_info=True)
