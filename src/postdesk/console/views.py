"""The agent console: queues, the case page and its actions.

Views only parse, call one service or selector, and render. Every write goes through
``postdesk.cases.services`` (which checks permissions again); every read through
``postdesk.cases.selectors``. A case outside the agent's departments is a 404 everywhere, so
the console never confirms that a case number exists.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from functools import cached_property, wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from postdesk.accounts import throttle
from postdesk.cases import events, queue_counts, selectors, services
from postdesk.cases.models import Case, CaseEvent, Message
from postdesk.cases.permissions import is_staff_agent
from postdesk.domain.mail.reply import split_reply
from postdesk.sla import console as sla_console
from postdesk.triage.selectors import urgent_first
from postdesk.console.forms import (
    AssignForm,
    NoteForm,
    PriorityForm,
    QueueFilterForm,
    ReplyForm,
    StatusForm,
    TransferForm,
    agent_label,
    apply_service_errors,
)

QUEUE_PAGE_SIZE = 50
# The queue counts its cases up to here and no further: counting a million closed ones would
# cost more than the page itself (the first 200 pages are listed; filters narrow the rest).
QUEUE_COUNT_LIMIT = 10_000


class QueuePaginator(Paginator):
    """A paginator that counts at most ``QUEUE_COUNT_LIMIT`` rows (``capped`` when there are
    more), with an index-only ``COUNT`` over ``LIMIT n + 1`` rows instead of every match."""

    limit = QUEUE_COUNT_LIMIT

    @cached_property
    def _bounded_count(self) -> int:
        return self.object_list.order_by()[: self.limit + 1].count()

    @property
    def count(self) -> int:
        return min(self._bounded_count, self.limit)

    @property
    def capped(self) -> bool:
        return self._bounded_count > self.limit


class ConsoleLoginView(auth_views.LoginView):
    template_name = "console/login.html"

    def form_invalid(self, form):
        """Wrong name or password: the form again (name kept); past the failure limit
        (``accounts.throttle``) a 429 saying how long to wait instead."""
        username = form.data.get("username", "")
        if throttle.blocked(self.request, username):
            form.errors.clear()
            form.add_error(None, _("Too many failed sign-ins. Wait %(minutes)d minutes, then try again.")
                           % {"minutes": throttle.window_minutes()})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_invalid(form)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["username"].widget.attrs.update({"class": "usa-input", "autocomplete": "username"})
        form.fields["password"].widget.attrs.update(
            {"class": "usa-input", "autocomplete": "current-password"}
        )
        return form


class ConsoleLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("console:login")


def agent_required(view):
    """Signed in (else to the login page) and a desk agent or supervisor (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_agent(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


# --- Queue


@require_GET
@agent_required
def home(request):
    """Department counts, then the filtered, paginated case list."""
    counts = queue_counts.for_request(request)
    departments = selectors.agent_queue_departments(request.user, counts)
    # The form lists and validates departments: it gets them without the counts, which only
    # the table above the list shows.
    form = QueueFilterForm(request.GET or None, departments=selectors.agent_departments(request.user))
    sla_console.offer_due_sort(form)
    valid = form.is_valid() if form.is_bound else True
    cases = selectors.agent_queue(request.user, **sla_console.queue_filters(form))
    cases = urgent_first(cases)  # call-or-visit matters lead every queue, whatever the sort
    # Ids first, then the rows of one page: the sort reads only the case and its clock (from
    # indexes), and the joins the rows show (customer, topic, clock...) are made for 50 cases,
    # not for every open case before the sort.
    page = QueuePaginator(cases.values_list("pk", flat=True), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.queue_rows(list(page.object_list))
    # Labels translated once per page, not twice per row (``get_*_display`` per row).
    statuses = {value: str(label) for value, label in Case.Status.choices}
    priorities = {value: str(label) for value, label in Case.Priority.choices}
    for case in page.object_list:
        case.language_name = _language_name(case.language)
        case.status_label = statuses.get(case.status, case.status)
        case.priority_label = priorities.get(case.priority, case.priority)
    # Page links keep the filters.
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "console/home.html", {
        "departments": departments, "counts_at": counts.computed_at, "form": form, "page": page,
        "filter_query": query.urlencode(),
    }, status=200 if valid else 400)


# --- Case page


@dataclass
class TimelineEntry:
    event: CaseEvent
    label: str
    kind: str  # "message", "note" or "event"
    details: list[tuple[str, str]] = field(default_factory=list)

    @property
    def message(self) -> Message | None:
        return self.event.message

    @cached_property
    def _split(self) -> tuple[str, str]:
        message = self.event.message
        if message is None or message.kind not in (Message.Kind.CUSTOMER, Message.Kind.AUTOMATIC):
            return (message.body if message else "", "")
        return split_reply(message.body)

    @property
    def visible_body(self) -> str:
        """What the customer wrote this time; quoted history and signature are folded away."""
        return self._split[0] or (self.event.message.body if self.event.message else "")

    @property
    def folded_body(self) -> str:
        return self._split[1] if self._split[0] else ""


def _status_label(value) -> str:
    try:
        return str(Case.Status(value).label)
    except ValueError:
        return str(value)


def _priority_label(value) -> str:
    try:
        return str(Case.Priority(int(value)).label)
    except (TypeError, ValueError):
        return str(value)


# Other apps' event types (calls, social) describe their own data: type -> fn(event) -> pairs.
# Filled from their AppConfig.ready(), so the console never imports them for this.
EVENT_DETAILS: dict = {}


def _event_details(event: CaseEvent) -> list[tuple[str, str]]:
    """What an agent needs to read from an event's data, as (label, value) pairs."""
    data = event.data or {}
    arrow = "\u2192"
    if event.type == events.TRANSFERRED:
        return [(_("From"), f"{data.get('source_name', '')} {arrow} {data.get('target_name', '')}"),
                (_("Reason"), data.get("reason", ""))]
    if event.type == events.ROUTED:
        return [(_("Department"), data.get("department_name", "")), (_("Why"), data.get("reason", ""))]
    if event.type == events.ASSIGNED:
        return [(_("Assignee"), data.get("assignee") or _("nobody (unassigned)"))]
    if event.type == events.STATUS_CHANGED:
        return [(_("Status"), f"{_status_label(data.get('old'))} {arrow} {_status_label(data.get('new'))}")]
    if event.type == events.PRIORITY_CHANGED:
        return [(_("Priority"),
                 f"{_priority_label(data.get('old'))} {arrow} {_priority_label(data.get('new'))}")]
    if event.type in (events.EMAIL_QUEUED, events.EMAIL_SENT, events.EMAIL_FAILED):
        details = [(_("Email"), data.get("purpose", "")), (_("To"), data.get("to", ""))]
        if data.get("attempts"):
            details.append((_("Attempts"), str(data["attempts"])))
        if data.get("error"):
            details.append((_("Error"), data["error"]))
        return details
    if event.type == events.MESSAGE_RECEIVED:
        return [(_("Channel"), data.get("channel", "")), (_("Why on this case"), data.get("reason", ""))]
    if event.type == events.OPENED:
        return [(_("Channel"), data.get("channel", ""))]
    if event.type in EVENT_DETAILS:
        return EVENT_DETAILS[event.type](event)
    return [(str(key), str(value)) for key, value in data.items()]


def _timeline(case: Case) -> list[TimelineEntry]:
    entries = []
    for event in selectors.full_timeline(case):
        label = str(events.LABELS.get(event.type, event.type))
        if event.message is not None:
            kind = "note" if event.message.kind == Message.Kind.NOTE else "message"
        else:
            kind = "event"
        entries.append(TimelineEntry(event=event, label=label, kind=kind, details=_event_details(event)))
    return entries


def _case_or_404(request, number: str) -> Case:
    case = selectors.agent_case(request.user, number)
    if case is None:
        raise Http404
    return case


def _case_forms(case: Case) -> dict:
    return {
        "reply_form": ReplyForm(),
        "note_form": NoteForm(),
        "assign_form": AssignForm(case=case, initial={"assignee": case.assignee_id or "none"}),
        "transfer_form": TransferForm(case=case),
        "status_form": StatusForm(initial={"status": case.status}),
        "priority_form": PriorityForm(initial={"priority": case.priority}),
    }


def _render_case(request, case: Case, *, status: int = 200, **bound_forms):
    context = _case_forms(case)
    context.update(bound_forms)
    context.update({
        "case": case,
        "timeline": _timeline(case),
        "other_cases": selectors.customer_other_cases(request.user, case),
        "language_name": _language_name(case.language),
        "customer_language_name": _language_name(case.customer.language),
        "assignee_name": agent_label(case.assignee) if case.assignee else "",
    })
    return render(request, "console/case.html", context, status=status)


@require_GET
@agent_required
def case_detail(request, number: str):
    case = selectors.agent_case(request.user, number)
    if case is None:
        # Archived cases keep their number: old links lead to the read-only archived page.
        from postdesk.archive.selectors import agent_archived_case

        archived = agent_archived_case(request.user, number)
        if archived is not None:
            return redirect("archive:case", number=archived.number)
        raise Http404
    return _render_case(request, case)


def _case_action(form_class, form_name: str, *, needs_case: bool = False, files: bool = False):
    """A POST action on one case: parse the form, call the service, redirect back (PRG).

    ``perform(request, case, form)`` returns the success message. Invalid input, from the form
    or from the service, re-renders the case page with the errors and a 400.
    """

    def decorator(perform):
        @require_POST
        @agent_required
        @wraps(perform)
        def view(request, number: str):
            case = _case_or_404(request, number)
            kwargs = {"case": case} if needs_case else {}
            form = form_class(request.POST, request.FILES if files else None, **kwargs)
            if form.is_valid():
                try:
                    success = perform(request, case, form)
                except ValidationError as error:
                    apply_service_errors(form, error)
                except PermissionDenied:
                    # The case left the agent's departments between page load and submit.
                    raise Http404 from None
                else:
                    messages.success(request, success)
                    if selectors.agent_case(request.user, case.number) is None:
                        # Transferred out of the agent's departments: the case page is a 404 now.
                        return redirect("console:home")
                    return redirect(reverse("console:case", args=[case.number]) + "#timeline")
            case.refresh_from_db()
            return _render_case(request, case, status=400, **{form_name: form})

        return view

    return decorator


@_case_action(ReplyForm, "reply_form", files=True)
def case_reply(request, case, form):
    services.case_reply(case=case, agent=request.user, body=form.cleaned_data["body"],
                        attachments=tuple(form.attachments_read))
    from postdesk.social.services import reply_destination_text

    return reply_destination_text(case, sent=True) or (
        _("Reply sent to %(email)s.") % {"email": case.customer.email})


@_case_action(NoteForm, "note_form")
def case_note(request, case, form):
    services.case_add_note(case=case, agent=request.user, body=form.cleaned_data["body"])
    return _("Internal note added.")


@_case_action(AssignForm, "assign_form", needs_case=True)
def case_assign(request, case, form):
    assignee = form.assignee_for(request.user)
    services.case_assign(case=case, agent=request.user, assignee=assignee)
    if assignee is None:
        return _("Case unassigned.")
    return _("Case assigned to %(name)s.") % {"name": agent_label(assignee)}


@_case_action(TransferForm, "transfer_form", needs_case=True)
def case_transfer(request, case, form):
    department = form.cleaned_data["department"]
    services.case_transfer(case=case, agent=request.user, department=department,
                           reason=form.cleaned_data["reason"])
    return _("Case transferred to %(department)s.") % {"department": department.name}


@_case_action(StatusForm, "status_form")
def case_status(request, case, form):
    services.case_set_status(case=case, agent=request.user, status=form.cleaned_data["status"])
    return _("Status set to %(status)s.") % {"status": _status_label(form.cleaned_data["status"])}


@_case_action(PriorityForm, "priority_form")
def case_priority(request, case, form):
    services.case_set_priority(case=case, agent=request.user, priority=form.cleaned_data["priority"])
    return _("Priority set to %(priority)s.") % {"priority": _priority_label(form.cleaned_data["priority"])}


# --- Attachments


@require_GET
@agent_required
def raw_email_download(request, message_id: int):
    """The original email of a message, byte for byte, as an .eml download."""
    message = selectors.agent_message(request.user, message_id)
    if message is None or message.raw_email is None:
        raise Http404
    response = FileResponse(message.raw_email.file.open("rb"), as_attachment=True,
                            filename=f"{message.case.number}-{message.pk}.eml",
                            content_type="message/rfc822")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


_CID = re.compile(r"""(src\s*=\s*["'])cid:([^"'>\s]+)(["'])""", re.I)
INLINE_IMAGE_LIMIT = 2 * 1024 * 1024


@require_GET
@agent_required
@xframe_options_sameorigin
def message_html(request, message_id: int):
    """The sanitised HTML of an email, for a sandboxed frame on the case page.

    Inline images (``cid:``) become data: URLs: the frame is sandboxed (no scripts, an opaque
    origin), so it could not fetch them from us with the agent's session anyway.
    """
    message = selectors.agent_message(request.user, message_id)
    if message is None or not message.html_body:
        raise Http404
    images = {a.content_id.strip("<>"): a for a in message.attachments.all()
              if a.content_id and a.content_type.startswith("image/") and a.size <= INLINE_IMAGE_LIMIT}

    def inline(match: re.Match) -> str:
        attachment = images.get(match.group(2).strip("<>"))
        if attachment is None:
            return match.group(0)
        with attachment.file.open("rb") as handle:
            data = base64.b64encode(handle.read()).decode()
        return f"{match.group(1)}data:{attachment.content_type};base64,{data}{match.group(3)}"

    body = _CID.sub(inline, message.html_body)
    response = HttpResponse(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>' + body + "</body></html>",
        content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@agent_required
def attachment_download(request, attachment_id: int):
    attachment = selectors.agent_attachment(request.user, attachment_id)
    if attachment is None:
        raise Http404
    # Always a download, never rendered inline: the bytes came from a stranger.
    response = FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=attachment.filename,
                            content_type=attachment.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
