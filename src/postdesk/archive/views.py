"""Archived cases in the console (read-only, with a Restore button) and on the status page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from postdesk.archive import access, selectors, services
from postdesk.cases.permissions import can_work_on
from postdesk.console.views import agent_required


def _archived_or_404(request, number: str):
    archived = selectors.agent_archived_case(request.user, number)
    if archived is None:
        raise Http404
    return archived


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


@require_GET
@agent_required
def case(request, number: str):
    archived = _archived_or_404(request, number)
    return render(request, "archive/case.html", {
        "archived": archived,
        "details": selectors.archived_case_details(archived),
        "timeline": selectors.archived_timeline(archived),
        "language_name": _language_name(archived.language),
        # Restoring writes to the department's tables: the same right as working on the case.
        "may_restore": can_work_on(request.user, archived),
    })


@require_POST
@agent_required
def restore(request, number: str):
    archived = _archived_or_404(request, number)
    if not can_work_on(request.user, archived):
        raise Http404
    try:
        services.archive_restore(archived=archived, actor=request.user, reason="restored from the console")
    except services.CannotRestore:
        messages.error(request, _("This case cannot be restored: something it refers to was deleted."))
        return redirect("archive:case", number=archived.number)
    messages.success(request, _("Case restored from the archive."))
    return redirect("console:case", number=archived.number)


@require_GET
@agent_required
def attachment(request, number: str, attachment_id: int):
    archived = _archived_or_404(request, number)
    fields = selectors.archived_attachment(archived, attachment_id)
    if fields is None or not fields.get("file") or not default_storage.exists(fields["file"]):
        raise Http404
    response = FileResponse(default_storage.open(fields["file"], "rb"), as_attachment=True,
                            filename=fields.get("filename") or "attachment",
                            content_type=fields.get("content_type") or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def status(request, token: str):
    """The customer's status page of an archived case: history only, no follow-up form."""
    archived = access.archived_from_token(token)
    if archived is None:
        raise Http404
    return render(request, "archive/status.html", {
        "archived": archived,
        "status_label": selectors.archived_case_details(archived)["status_label"],
        "timeline": selectors.archived_timeline(archived, public_only=True),
    })
