"""What the agent console's queue takes from the SLA app: due time first, by default.

The queue's filter form (``console.forms.QueueFilterForm``) knows newest, oldest and priority
orders, with "" meaning newest. These two helpers make "" mean "due time first" and move
"newest" to its own value, without changing the form's module.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from postdesk.sla.selectors import DUE_ORDER

SORT_DUE, SORT_NEWEST = "", "newest"


def offer_due_sort(form) -> None:
    field = form.fields.get("sort")
    if field is None:
        return
    field.choices = [(SORT_DUE, _("Due time first"))] + [
        (SORT_NEWEST if value == "" else value, label) for value, label in field.choices
    ]


def queue_filters(form) -> dict:
    """``form.queue_filters()`` with the due-time order as the default."""
    data = getattr(form, "cleaned_data", None)
    sort = (data or {}).get("sort") or SORT_DUE
    if data is not None and sort == SORT_NEWEST:
        data["sort"] = ""  # the form's own name for newest first
    filters = form.queue_filters()
    if data is not None:
        data["sort"] = sort
    if sort == SORT_DUE:
        filters["order"] = DUE_ORDER
    return filters
