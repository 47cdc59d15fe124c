"""Chat pages: the customer's start and no-agent endpoints, and the console's chat queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postdesk.cases.access import case_from_status_token
from postdesk.chat import selectors, services
from postdesk.chat.consumers import SESSION_KEY
from postdesk.chat.forms import ChatOfflineForm, ChatStartForm, ChatTransferForm
from postdesk.chat.models import ChatSession
from postdesk.chat.templatetags.chat_tags import widget_strings
from postdesk.console.views import agent_required

# --- Customer


@require_GET
def availability(request):
    return JsonResponse({"available": selectors.agents_available()})


@require_POST
def start(request):
    """Start a chat (JSON answer for the widget). 400 with per-field messages on bad input,
    409 when nobody is available (the widget then offers the email form)."""
    form = ChatStartForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "invalid", "errors": {k: [str(m) for m in v] for k, v in form.errors.items()}},
                            status=400)
    case = None
    if form.cleaned_data["status_token"]:
        case = case_from_status_token(form.cleaned_data["status_token"])
        if case is None:
            return JsonResponse({"error": "invalid", "errors": {"status_token": [
                _("This status link has expired. Open the latest link from your email.")]}}, status=400)
    if not selectors.agents_available():
        return JsonResponse({"error": "no_agent", "message": _(
            "No agent is available right now. Leave your message and we will answer you by email.")},
            status=409)
    session = services.chat_start(name=form.cleaned_data["name"], email=form.cleaned_data["email"],
                                  language=translation.get_language() or "en", case=case)
    # The socket is this browser's because its Django session names the chat (consumers.py).
    request.session[SESSION_KEY] = [*(request.session.get(SESSION_KEY) or [])[-19:], session.public_id]
    return JsonResponse({"id": session.public_id, "socket": f"/ws/chat/{session.public_id}/",
                         "state": session.state}, status=201)


@require_http_methods(["GET", "POST"])
def offline(request):
    """No agent: the message becomes an email case, with the expected answer time."""
    form = ChatOfflineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.chat_offline_message(
            name=form.cleaned_data["name"], email=form.cleaned_data["email"],
            body=form.cleaned_data["body"], language=translation.get_language() or "en",
            submission_id=form.cleaned_data["submission_id"])
        return render(request, "chat/offline_done.html", {"case": result.case})
    return render(request, "chat/offline.html", {"form": form}, status=400 if form.is_bound else 200)


# --- Console


def _agents_for(session: ChatSession):
    from postdesk.cases.permissions import can_work_on

    users = get_user_model().objects.filter(is_active=True, agent_profile__isnull=False).select_related(
        "agent_profile").order_by("first_name", "username")
    return get_user_model().objects.filter(
        pk__in=[u.pk for u in users if u.pk != session.agent_id and can_work_on(u, session.case)])


@require_GET
@agent_required
def queue(request):
    services.presence_seen(user=request.user)
    context = {"chats": selectors.chat_queue(request.user),
               "available": selectors.is_available(request.user)}
    if request.headers.get("HX-Request"):
        return render(request, "chat/console_queue_rows.html", context)
    return render(request, "chat/console_queue.html", context)


@require_POST
@agent_required
def presence(request):
    services.presence_set(user=request.user, available=request.POST.get("available") == "1")
    return redirect("chat_console:queue")


def _chat_or_404(request, public_id: str) -> ChatSession:
    session = selectors.chat_for_agent(request.user, public_id)
    if session is None:
        raise Http404
    return session


@require_GET
@agent_required
def detail(request, public_id: str):
    session = _chat_or_404(request, public_id)
    return _detail(request, session, ChatTransferForm(agents=_agents_for(session)))


def _detail(request, session, transfer_form, status=200):
    return render(request, "chat/console_chat.html", {
        "chat": session, "entries": session.entries.order_by("seq"),
        "previous_cases": selectors.previous_cases(request.user, session),
        "transfer_form": transfer_form,
        "is_mine": session.agent_id == request.user.pk and session.is_live,
        "strings": widget_strings(),
    }, status=status)


@require_POST
@agent_required
def pick_up(request, public_id: str):
    session = _chat_or_404(request, public_id)
    try:
        services.chat_pick_up(session=session, agent=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    return redirect("chat_console:detail", public_id=public_id)


@require_POST
@agent_required
def transfer(request, public_id: str):
    session = _chat_or_404(request, public_id)
    form = ChatTransferForm(request.POST, agents=_agents_for(session))
    if form.is_valid():
        try:
            services.chat_transfer(session=session, agent=request.user, reason=form.cleaned_data["reason"],
                                   to_agent=form.cleaned_data["to_agent"],
                                   to_department=form.cleaned_data["to_department"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except (PermissionDenied, services.ChatClosed):
            form.add_error(None, _("Only the agent who has the chat can transfer it while it is live."))
        else:
            messages.success(request, _("The chat was transferred."))
            return redirect("chat_console:queue")
    return _detail(request, session, form, status=400)


@require_POST
@agent_required
def end(request, public_id: str):
    session = _chat_or_404(request, public_id)
    try:
        services.chat_end(session=session, ended_by="agent", actor=request.user)
    except PermissionDenied:
        messages.error(request, _("Only the agent who has the chat can end it."))
    return redirect(reverse("chat_console:detail", args=[public_id]))
