"""The chat socket, for the customer and for the agent of a chat.

Protocol (JSON text frames):

    client -> {"type": "hello", "last_seq": N}          replay every line after N, then live
    client -> {"type": "message", "client_id": ID, "body": TEXT}
    server -> {"type": "ack", "client_id": ID, "seq": N} stored (once, whatever the resends)
    server -> {"type": "entry", "seq": N, "kind": ..., ...}
    server -> {"type": "state", "state": ..., "agent": ...}
    client -> {"type": "end"}
    server -> {"type": "error", "code": ..., "message": TEXT}

1. ``connect``: the socket is the customer's when the chat id is in their Django session (set
   when they started it), the agent's when they may work on its case; anyone else is refused
   (403) before anything is read.
2. Lines are numbered per chat (``ChatEntry.seq``). A client keeps its unacknowledged messages
   and resends them after a reconnect with the same ``client_id``; the server stores a message
   once (``ingest`` de-duplicates on the id, the log has a unique constraint) and acks again.
3. New lines reach the socket from a channel-layer poke after commit and, as a safety net that
   also covers other processes on the in-memory layer, from a poll of the log.
"""

from __future__ import annotations

import asyncio
import re

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from postdesk.cases.permissions import can_work_on
from postdesk.chat import push, selectors, services
from postdesk.chat.models import ChatSession

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SESSION_KEY = "postdesk_chat_ids"
CUSTOMER, AGENT = "customer", "agent"


def _authorise(scope, public_id: str) -> tuple[str | None, int | None, str]:
    if not selectors.PUBLIC_ID.fullmatch(public_id):
        return None, None, "en"
    session = ChatSession.objects.select_related("case").filter(public_id=public_id).first()
    if session is None:
        return None, None, "en"
    django_session = scope.get("session")
    if django_session is not None and public_id in (django_session.get(SESSION_KEY) or []):
        return CUSTOMER, session.pk, session.language
    user = scope.get("user")
    if user is not None and user.is_authenticated and session.case is not None \
            and can_work_on(user, session.case):
        from postdesk.chat.services import presence_seen

        presence_seen(user=user)
        return AGENT, session.pk, "en"
    return None, None, "en"


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.public_id = self.scope["url_route"]["kwargs"]["public_id"]
        self.role, self.session_pk, self.language = await database_sync_to_async(_authorise)(
            self.scope, self.public_id)
        if self.role is None:
            await self.close(code=4403)
            return
        # Errors this socket reports are in the customer's language (the task's own context).
        translation.activate(self.language)
        self.sent_seq = None  # nothing until the client says where it stands
        self.lock = asyncio.Lock()
        self.group = push.group_name(self.public_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.poller = asyncio.create_task(self._poll())

    async def disconnect(self, code):
        poller = getattr(self, "poller", None)
        if poller is not None:
            poller.cancel()
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "hello":
            last_seq = content.get("last_seq", 0)
            if not isinstance(last_seq, int) or last_seq < 0:
                return await self._error("bad_request", _("The chat sent a bad request; reload the page."))
            self.sent_seq = last_seq
            await self.send_json(await database_sync_to_async(selectors.session_state)(self.session_pk))
            await self._flush()
        elif kind == "message":
            await self._message(content)
        elif kind == "end":
            await database_sync_to_async(self._end)()
            await self._flush()
        else:
            await self._error("bad_request", _("The chat sent a bad request; reload the page."))

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:  # not JSON
            await self._error("bad_request", _("The chat sent a bad request; reload the page."))

    async def _message(self, content):
        client_id, body = content.get("client_id"), content.get("body")
        if not isinstance(client_id, str) or not CLIENT_ID.match(client_id) or not isinstance(body, str):
            return await self._error("bad_request", _("The chat sent a bad request; reload the page."))
        try:
            seq = await database_sync_to_async(self._store)(client_id, body)
        except ValidationError as error:
            return await self._error("invalid", " ".join(_messages(error)), client_id=client_id)
        except services.ChatClosed:
            return await self._error("ended", _("This chat has ended."), client_id=client_id)
        except PermissionDenied:
            return await self._error("forbidden", _("Pick up the chat before you write in it."),
                                     client_id=client_id)
        await self.send_json({"type": "ack", "client_id": client_id, "seq": seq})
        await self._flush()

    def _store(self, client_id: str, body: str) -> int:
        session = ChatSession.objects.get(pk=self.session_pk)
        with translation.override(self.language):
            if self.role == CUSTOMER:
                return services.chat_customer_message(session=session, client_id=client_id, body=body).seq
            return services.chat_agent_message(session=session, agent=self.scope["user"],
                                               client_id=client_id, body=body).seq

    def _agent_may_read(self) -> bool:
        session = ChatSession.objects.select_related("case").get(pk=self.session_pk)
        return session.case is not None and can_work_on(self.scope["user"], session.case)

    def _end(self) -> None:
        session = ChatSession.objects.get(pk=self.session_pk)
        if self.role == CUSTOMER:
            services.chat_end(session=session, ended_by="customer")
        else:
            try:
                services.chat_end(session=session, ended_by="agent", actor=self.scope["user"])
            except PermissionDenied:
                pass

    async def _error(self, code: str, message: str, **extra):
        await self.send_json({"type": "error", "code": code, "message": message, **extra})

    async def chat_poke(self, event):
        await self._flush()

    async def _flush(self):
        """Send every line after the last one sent, in order, each exactly once per socket."""
        if self.sent_seq is None:
            return
        async with self.lock:
            rows = await database_sync_to_async(selectors.entries_after)(self.session_pk, self.sent_seq)
            # An agent's right is checked again before new lines go out: a chat transferred to
            # another department is no longer theirs to read.
            if rows and self.role == AGENT and not await database_sync_to_async(self._agent_may_read)():
                self.sent_seq = None
                await self.close(code=4403)
                return
            for row in rows:
                await self.send_json(row)
                self.sent_seq = row["seq"]
                if row["notice"]:
                    await self.send_json(await database_sync_to_async(selectors.session_state)(self.session_pk))

    async def _poll(self):
        while True:
            await asyncio.sleep(settings.POSTDESK_CHAT_POLL_SECONDS)
            try:
                await self._flush()
            except Exception:
                # The client went away between two polls; disconnect() cleans up.
                return


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)
