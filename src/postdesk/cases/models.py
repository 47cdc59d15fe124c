"""Cases and everything on their paper trail.

Writes go through ``postdesk.cases.services``; reads for pages through ``selectors``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_de = models.CharField(_("name (German)"), max_length=120, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    reply_from = models.EmailField(
        _("sender address"), blank=True, help_text=_("Empty: the global support address.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return _localised(self, "name")


# Field names a topic form can show; each topic says per field: hidden, optional or required.
TOPIC_FORM_FIELDS = ("phone", "tracking_numbers", "address", "date_mailed", "attachments")
FIELD_HIDDEN, FIELD_OPTIONAL, FIELD_REQUIRED = "hidden", "optional", "required"


class Topic(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_de = models.CharField(_("name (German)"), max_length=120, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    description_de = models.CharField(_("description (German)"), max_length=300, blank=True)
    description_es = models.CharField(_("description (Spanish)"), max_length=300, blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="topics")
    fields = models.JSONField(
        _("form fields"),
        default=dict,
        blank=True,
        help_text=_('Per field ("phone", "tracking_numbers", "address", "date_mailed", '
                    '"attachments"): "hidden", "optional" or "required".'),
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return _localised(self, "name")

    @property
    def display_description(self) -> str:
        return _localised(self, "description")

    def field_mode(self, field: str) -> str:
        mode = (self.fields or {}).get(field, FIELD_OPTIONAL)
        return mode if mode in (FIELD_HIDDEN, FIELD_OPTIONAL, FIELD_REQUIRED) else FIELD_OPTIONAL


def _localised(obj, field: str) -> str:
    language = (translation.get_language() or "en")[:2]
    if language != "en":
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)


class Customer(models.Model):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when mail to this address bounced permanently; shown to agents.
    email_bounced_at = models.DateTimeField(null=True, blank=True)
    email_bounce_reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


# The queue's default order after "urgent first": the earliest SLA due time (paused and
# finished clocks last), then the highest priority, then the oldest.
QUEUE_DUE_ORDER = ("-urgent", "sla_due_at", "-priority", "created_at", "id")
# The statuses that still need work (``selectors.ACTIVE_STATUSES``).
OPEN_STATUSES = ("new", "open", "waiting")


class Case(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting on customer")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    number = models.CharField(max_length=16, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="cases")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="cases")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    subject = models.CharField(max_length=250)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    channel = models.CharField(max_length=16)
    language = models.CharField(max_length=8, default="en")
    phone = models.CharField(max_length=32, blank=True)
    tracking_numbers = models.JSONField(default=list, blank=True)
    address = models.TextField(blank=True)
    date_mailed = models.DateField(null=True, blank=True)
    expected_answer_by = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Other addresses on the conversation (Cc of the customer's mail); they may reply too.
    participants = models.JSONField(default=list, blank=True)
    # A follow-up of an old case, or a case opened because a stranger cited this one.
    linked_case = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="linked_cases")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The SLA clock's next due time (``sla.CaseClock.next_due_at``), copied here by
    # ``postdesk.sla.services`` in the same transaction that moves the clock: the queue sorts
    # by it from an index on this table alone, instead of joining a million clocks first.
    sla_due_at = models.DateTimeField(null=True, blank=True)
    # Urgent cases lead every queue, whatever the sort (``triage.selectors.urgent_first``).
    # Computed by the database from the priority, so no writer can forget it.
    urgent = models.GeneratedField(expression=models.Q(priority=Priority.URGENT),
                                   output_field=models.BooleanField(), db_persist=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["department", "status", "-created_at"]),
            models.Index(fields=["customer", "-created_at"]),
            # The console queue: counts and pages of open cases by status, department and
            # assignee, read from the index alone (the included columns are what the queue
            # sorts on), so a million closed cases cost nothing (bench/pages.py).
            models.Index(fields=["status", "department", "assignee"],
                         include=["id", "priority", "created_at"], name="case_queue_idx"),
            # The queue's orders, urgent first (``console`` via ``sla.console.queue_filters``):
            # a page is the first rows of one of these, never a sort of every matching case.
            # Due time first: the open cases (partial: small), and the history (every status).
            models.Index(fields=[*QUEUE_DUE_ORDER], condition=models.Q(status__in=OPEN_STATUSES),
                         name="case_open_due_idx"),
            models.Index(fields=["department", *QUEUE_DUE_ORDER],
                         condition=models.Q(status__in=OPEN_STATUSES), name="case_open_dept_due_idx"),
            models.Index(fields=[*QUEUE_DUE_ORDER], name="case_due_idx"),
            models.Index(fields=["department", *QUEUE_DUE_ORDER], name="case_dept_due_idx"),
            # One status of the history (resolved, closed): their clocks have stopped, so
            # without the status first the page would be sought among a million rows.
            models.Index(fields=["status", *QUEUE_DUE_ORDER], name="case_status_due_idx"),
            models.Index(fields=["status", "department", *QUEUE_DUE_ORDER], name="case_status_dept_due_idx"),
            # Oldest and newest first over every status.
            models.Index(fields=["-urgent", "created_at", "id"], name="case_oldest_idx"),
            models.Index(fields=["-urgent", "-created_at", "-id"], name="case_newest_idx"),
            # A department's first answers in the last weeks (``sla.services.answer_estimate``,
            # on every new case): a range of this index, not a join of every clock and case of
            # the department (45 of 60 ms of PostgreSQL per ingested message at 1M cases).
            models.Index(fields=["department", "first_response_at"], name="case_dept_first_response_idx"),
            # A department's unanswered backlog (``sla.services``, on every new case and status
            # update): a count of this small partial index alone, with the id in it for the
            # "not this case" test, instead of visiting every unanswered case's row (7 of 16 ms
            # of PostgreSQL per web submission at 1M cases, bench/profile_post.py --template).
            models.Index(fields=["department", "created_at", "id"],
                         condition=models.Q(first_response_at__isnull=True, status__in=["new", "open"]),
                         name="case_unanswered_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.CLOSED)

    def is_participant(self, address: str) -> bool:
        address = address.strip().lower()
        return address == self.customer.email or address in (self.participants or [])


class Message(models.Model):
    """One message on a case: from the customer, from an agent, a note, or an automatic mail."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Customer message")
        REPLY = "reply", _("Agent reply")
        NOTE = "note", _("Internal note")
        AUTOMATIC = "automatic", _("Automatic message")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    channel = models.CharField(max_length=16)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    sender = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    message_id = models.CharField(max_length=250, blank=True, db_index=True)
    raw_email = models.ForeignKey("intake.RawEmail", null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def is_public(self) -> bool:
        # Notes and machine mail (bounces, out-of-office) are for staff only.
        return self.kind in (self.Kind.CUSTOMER, self.Kind.REPLY)


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never comes from the customer: it is only shown, never used as a path.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # For images an HTML email shows inline (``cid:`` links); without angle brackets.
    content_id = models.CharField(max_length=250, blank=True)
    inline = models.BooleanField(default=False)


class CaseEvent(models.Model):
    """The typed timeline of a case; constructors live in ``postdesk.cases.events``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE)
    public = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"])]


class InboundReceipt(models.Model):
    """What the ingest service has already taken in, so a retry never opens a second case."""

    channel = models.CharField(max_length=16)
    external_id = models.CharField(max_length=200)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="receipts")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="uniq_inbound_receipt")
        ]


class ContactChannel(models.Model):
    """One way to reach support, as listed on the contact hub."""

    class Kind(models.TextChoices):
        EMAIL_FORM = "email_form", _("Email form")
        CHAT = "chat", _("Live chat")
        PHONE = "phone", _("Phone")
        SOCIAL = "social", _("Social media")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    label = models.CharField(max_length=120)
    label_de = models.CharField(max_length=120, blank=True)
    label_es = models.CharField(max_length=120, blank=True)
    value = models.CharField(
        max_length=200, blank=True, help_text=_("Phone number, address or link.")
    )
    hours = models.CharField(max_length=200, blank=True)
    hours_de = models.CharField(max_length=200, blank=True)
    hours_es = models.CharField(max_length=200, blank=True)
    enabled = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def display_label(self) -> str:
        return _localised(self, "label")

    @property
    def display_hours(self) -> str:
        return _localised(self, "hours")
