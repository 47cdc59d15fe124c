"""Phone pages: the call log on the console case page, the callback queue, and the customer's
"call me back" page. Views parse, call one service or selector, and render; a case or callback
outside the agent's departments is a 404, as everywhere in the console.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postdesk.calls import selectors, services
from postdesk.calls.forms import CallbackCompleteForm, CallbackFailForm, CallbackRequestForm, CallLogForm
from postdesk.cases import selectors as case_selectors
from postdesk.cases.access import case_from_status_token
from postdesk.console.forms import apply_service_errors
from postdesk.console.views import _render_case, agent_required


def _case_or_404(request, number: str):
    case = case_selectors.agent_case(request.user, number)
    if case is None:
        raise Http404
    return case


@require_POST
@agent_required
def call_log(request, number: str):
    case = _case_or_404(request, number)
    form = CallLogForm(request.POST)
    if form.is_valid():
        try:
            services.call_log(case=case, agent=request.user, direction=form.cleaned_data["direction"],
                              duration_seconds=form.cleaned_data["duration_minutes"] * 60,
                              outcome=form.cleaned_data["outcome"], notes=form.cleaned_data["notes"])
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Call logged."))
            return redirect(reverse("console:case", args=[case.number]) + "#timeline")
    return _render_case(request, case, status=400, call_form=form)


@require_GET
@agent_required
def callback_queue(request):
    return render(request, "calls/callback_queue.html", {"callbacks": _queue_rows(request.user)})


def _queue_rows(user, failed=None, form=None) -> list:
    now = timezone.now()
    callbacks = list(selectors.callback_queue(user))
    zones: dict[int, str] = {}
    for callback in callbacks:
        department = callback.case.department
        if department.pk not in zones:
            zones[department.pk] = selectors.department_time_zone(department)
        callback.zone = zones[department.pk]
        callback.overdue = callback.due_at <= now
        callback.complete_form = CallbackCompleteForm(callback_id=callback.pk)
        callback.fail_form = CallbackFailForm(callback_id=callback.pk)
        if failed is not None and callback.pk == failed.pk:
            if isinstance(form, CallbackCompleteForm):
                callback.complete_form = form
            else:
                callback.fail_form = form
    return callbacks


def _callback_action(request, callback_id: int, perform, form=None):
    callback = selectors.agent_callback(request.user, callback_id)
    if callback is None:
        raise Http404
    if form is not None and not form.is_valid():
        return _queue_with_errors(request, callback, form)
    try:
        success = perform(callback)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("calls:callback_queue")
        apply_service_errors(form, error)
        return _queue_with_errors(request, callback, form)
    messages.success(request, success)
    return redirect("calls:callback_queue")


def _queue_with_errors(request, failed, form):
    return render(request, "calls/callback_queue.html",
                  {"callbacks": _queue_rows(request.user, failed, form),
                   "page_errors": form.non_field_errors()}, status=400)


@require_POST
@agent_required
def callback_pick(request, callback_id: int):
    def perform(callback):
        services.callback_pick(callback=callback, agent=request.user)
        return _("Callback picked: call %(phone)s now.") % {"phone": callback.phone}

    return _callback_action(request, callback_id, perform)


@require_POST
@agent_required
def callback_complete(request, callback_id: int):
    form = CallbackCompleteForm(request.POST, callback_id=callback_id)

    def perform(callback):
        services.callback_complete(callback=callback, agent=request.user,
                                   duration_seconds=form.cleaned_data["duration_minutes"] * 60,
                                   notes=form.cleaned_data["notes"])
        return _("Callback done; the call is on case %(number)s.") % {"number": callback.case.number}

    return _callback_action(request, callback_id, perform, form)


@require_POST
@agent_required
def callback_fail(request, callback_id: int):
    form = CallbackFailForm(request.POST, callback_id=callback_id)

    def perform(callback):
        callback = services.callback_attempt_fail(callback=callback, agent=request.user,
                                                  outcome=form.cleaned_data["outcome"],
                                                  notes=form.cleaned_data["notes"])
        if callback.status == callback.Status.FAILED:
            return _("Attempt recorded; the callback is given up after %(count)d attempts.") % {
                "count": callback.attempts}
        return _("Attempt recorded; the callback is back in the queue.")

    return _callback_action(request, callback_id, perform, form)


# --- Customer: "call me back" from the status page


@require_http_methods(["GET", "POST"])
def callback_request(request, token: str):
    case = case_from_status_token(token)
    if case is None:
        raise Http404
    existing = selectors.open_callback(case)
    form = CallbackRequestForm(request.POST or None,
                               initial={"phone": services.callback_phone_for(case), "window": "any"})
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            services.callback_request(case=case, phone=form.cleaned_data["phone"],
                                      window=form.cleaned_data["window"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. We will call you back."))
            return redirect(reverse("portal:status_token", args=[token]) + "#timeline")
    status = 400 if form.is_bound and existing is None else 200
    return render(request, "calls/callback_request.html", {
        "case": case, "form": form, "existing": existing, "status_token": token,
        "zone": selectors.department_time_zone(case.department),
    }, status=status)
