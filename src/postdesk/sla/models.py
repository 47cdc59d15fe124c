"""Response promises: business calendars, SLA policies, case clocks, escalation rules,
satisfaction ratings, and the rollups the dashboards read.

SLA state lives here, next to the case (``CaseClock`` is one-to-one with ``cases.Case``), not
in the cases app: the clock is this app's business, and the cases table stays narrow.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from postdesk.cases.models import Case, Department, Topic
from postdesk.domain.business_time import SATURDAY_RULE_FRIDAY, SATURDAY_RULE_SATURDAY, CalendarError, parse_hours


def _validate_hours(value: str) -> None:
    try:
        parse_hours(value)
    except CalendarError as error:
        raise ValidationError(str(error)) from None


def _validate_time_zone(value: str) -> None:
    if not value:
        return
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(value)
    except Exception:
        raise ValidationError(_("Unknown time zone %(zone)s (use a name like America/Chicago).")
                              % {"zone": value}) from None


class SaturdayRule(models.TextChoices):
    FRIDAY = SATURDAY_RULE_FRIDAY, _("Closed on the Friday before too (federal rule)")
    SATURDAY = SATURDAY_RULE_SATURDAY, _("Closed on the Saturday only")


class DepartmentSla(models.Model):
    """A department's working calendar and its lead. Without a row, the desk-wide settings
    (POSTDESK_TIME_ZONE, POSTDESK_SLA_*_HOURS) apply."""

    department = models.OneToOneField(Department, on_delete=models.CASCADE, related_name="sla")
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True,
                                 validators=[_validate_time_zone],
                                 help_text=_("Empty: the desk's time zone."))
    weekday_hours = models.CharField(
        _("Monday to Friday hours"), max_length=11, blank=True, default="08:00-17:00",
        validators=[_validate_hours], help_text=_('Like "08:00-17:00"; empty: closed.'))
    saturday_hours = models.CharField(_("Saturday hours"), max_length=11, blank=True,
                                      validators=[_validate_hours])
    sunday_hours = models.CharField(_("Sunday hours"), max_length=11, blank=True,
                                    validators=[_validate_hours])
    saturday_holiday_rule = models.CharField(
        _("holiday on a Saturday"), max_length=16, blank=True, choices=SaturdayRule.choices,
        help_text=_("Empty: the desk-wide setting."))
    lead_name = models.CharField(_("department lead"), max_length=200, blank=True)
    lead_email = models.EmailField(_("department lead's email"), blank=True,
                                   help_text=_("Escalation rules notify this address."))

    class Meta:
        verbose_name = _("department hours and lead")
        verbose_name_plural = _("department hours and leads")

    def __str__(self) -> str:
        return str(self.department)

    def clean(self):
        if not any(parse_hours(value) for value in
                   (self.weekday_hours, self.saturday_hours, self.sunday_hours)):
            raise ValidationError(_("A department needs opening hours on at least one day."))


class ClosureDay(models.Model):
    """A day the desk is closed beyond the federal holidays (a storm, a local closure)."""

    day = models.DateField(_("day"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="closure_days",
                                   help_text=_("Empty: every department."))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")
        constraints = [models.UniqueConstraint(fields=["day", "department"], name="uniq_closure_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}".strip()


class TargetUnit(models.TextChoices):
    HOURS = "hours", _("business hours")
    DAYS = "days", _("business days")


class SlaPolicy(models.Model):
    """Targets for cases of a topic and/or priority. The most specific policy wins
    (topic and priority, then topic, then priority, then one for all); without any, the
    POSTDESK_RESPONSE_BUSINESS_DAYS / POSTDESK_SLA_* settings apply."""

    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="sla_policies", help_text=_("Empty: any topic."))
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True,
                                                choices=Case.Priority.choices,
                                                help_text=_("Empty: any priority."))
    first_response_target = models.PositiveIntegerField(
        _("first personal response within"), validators=[MinValueValidator(1)])
    first_response_unit = models.CharField(_("unit"), max_length=8, choices=TargetUnit.choices,
                                           default=TargetUnit.DAYS)
    resolution_target = models.PositiveIntegerField(_("resolution within"),
                                                    validators=[MinValueValidator(1)])
    resolution_unit = models.CharField(_("unit"), max_length=8, choices=TargetUnit.choices,
                                       default=TargetUnit.DAYS)
    at_risk_percent = models.PositiveSmallIntegerField(
        _("at risk after (% of target used)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("Empty: POSTDESK_SLA_AT_RISK_PERCENT."))

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["topic__position", "priority"]

    def __str__(self) -> str:
        topic = self.topic.name if self.topic_id else _("any topic")
        priority = self.get_priority_display() if self.priority else _("any priority")
        return f"{topic}, {priority}"

    def clean(self):
        # NULLs are distinct in unique constraints, so "any topic, any priority" is checked here.
        twins = SlaPolicy.objects.filter(topic=self.topic, priority=self.priority).exclude(pk=self.pk)
        if twins.exists():
            raise ValidationError(_("There is already a policy for this topic and priority."))


class CaseClock(models.Model):
    """The SLA clocks of one case: first personal response and resolution.

    Each target is a budget of business seconds. ``running_since`` is when the clocks last
    started counting; None while the case waits on the customer (paused) or is resolved.
    ``*_due_at`` and ``*_at_risk_at`` are the planned moments of the running clocks, None
    while paused or once met: the periodic jobs and the queue read them with plain indexed
    comparisons. Due times are computed once, with the calendar of the day, and stored
    (a later calendar change does not move an old promise).
    """

    case = models.OneToOneField(Case, primary_key=True, on_delete=models.CASCADE,
                                related_name="sla_clock")
    policy = models.ForeignKey(SlaPolicy, null=True, blank=True, on_delete=models.SET_NULL)
    policy_summary = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64)
    customer_time_zone = models.CharField(max_length=64)
    at_risk_percent = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    running_since = models.DateTimeField(null=True, blank=True)

    first_response_target = models.PositiveIntegerField()
    first_response_elapsed = models.PositiveIntegerField(default=0)
    first_response_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    first_response_at_risk_at = models.DateTimeField(null=True, blank=True, db_index=True)
    first_responded_at = models.DateTimeField(null=True, blank=True, db_index=True)
    first_response_breached = models.BooleanField(null=True)

    resolution_target = models.PositiveIntegerField()
    resolution_elapsed = models.PositiveIntegerField(default=0)
    resolution_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolution_at_risk_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    resolution_breached = models.BooleanField(null=True)

    # The earliest due time of the running clocks: the queue's default order.
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    next_at_risk_at = models.DateTimeField(null=True, blank=True)
    # The department's backlog pushed the promised answer past the SLA due time.
    promise_delayed = models.BooleanField(default=False)

    chased_at = models.DateTimeField(null=True, blank=True)
    chase_count = models.PositiveSmallIntegerField(default=0)
    status_update_sent_at = models.DateTimeField(null=True, blank=True)
    # Claims of the escalation job: set by a conditional UPDATE, so a stage fires once.
    first_response_risk_escalated_at = models.DateTimeField(null=True, blank=True)
    first_response_breach_escalated_at = models.DateTimeField(null=True, blank=True)
    resolution_risk_escalated_at = models.DateTimeField(null=True, blank=True)
    resolution_breach_escalated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case clock")
        verbose_name_plural = _("case clocks")

    def __str__(self) -> str:
        return f"SLA clock of {self.case_id}"

    @property
    def paused(self) -> bool:
        return self.running_since is None and self.resolved_at is None


class EscalationRule(models.Model):
    """What to do when a case's clock is at risk or breached. Evaluated each minute by
    ``postdesk.sla.tasks.evaluate_escalations``; each stage of a case fires once."""

    class TimerChoice(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("First response")
        RESOLUTION = "resolution", _("Resolution")

    class Trigger(models.TextChoices):
        AT_RISK = "at_risk", _("At risk")
        BREACHED = "breached", _("Breached")

    name = models.CharField(_("name"), max_length=120)
    active = models.BooleanField(_("active"), default=True)
    timer = models.CharField(_("clock"), max_length=16, choices=TimerChoice.choices,
                             default=TimerChoice.FIRST_RESPONSE)
    trigger = models.CharField(_("when"), max_length=16, choices=Trigger.choices,
                               default=Trigger.BREACHED)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", help_text=_("Empty: every department."))
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+", help_text=_("Empty: every topic."))
    min_priority = models.PositiveSmallIntegerField(_("from priority"), null=True, blank=True,
                                                    choices=Case.Priority.choices)
    notify_lead = models.BooleanField(_("email the department lead"), default=True)
    raise_priority = models.BooleanField(_("raise the priority one step"), default=False)
    reassign_to = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("move to queue"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")

    def __str__(self) -> str:
        return self.name

    def matches(self, case: Case) -> bool:
        return ((self.department_id is None or self.department_id == case.department_id)
                and (self.topic_id is None or self.topic_id == case.topic_id)
                and (self.min_priority is None or case.priority >= self.min_priority))

    def clean(self):
        if not (self.notify_lead or self.raise_priority or self.reassign_to_id):
            raise ValidationError(_("Choose at least one action."))


class RatingRequest(models.Model):
    """One emailed rating link; used once (``used_at`` is set by a conditional UPDATE)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rating_requests")
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)


class CaseRating(models.Model):
    class Score(models.IntegerChoices):
        VERY_SATISFIED = 5, _("5 – Very satisfied")
        SATISFIED = 4, _("4 – Satisfied")
        NEUTRAL = 3, _("3 – Neither satisfied nor dissatisfied")
        DISSATISFIED = 2, _("2 – Dissatisfied")
        VERY_DISSATISFIED = 1, _("1 – Very dissatisfied")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    request = models.OneToOneField(RatingRequest, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")


# --- Rollups the dashboards read (rebuilt by a periodic job; never counted per page view)


class DailyCaseStats(models.Model):
    """Per day (desk time zone) and department, topic, channel, language: what happened."""

    day = models.DateField()
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16)
    language = models.CharField(max_length=8)
    opened = models.PositiveIntegerField(default=0)
    first_responses = models.PositiveIntegerField(default=0)
    first_responses_met = models.PositiveIntegerField(default=0)
    resolutions = models.PositiveIntegerField(default=0)
    resolutions_met = models.PositiveIntegerField(default=0)
    rating_1 = models.PositiveIntegerField(default=0)
    rating_2 = models.PositiveIntegerField(default=0)
    rating_3 = models.PositiveIntegerField(default=0)
    rating_4 = models.PositiveIntegerField(default=0)
    rating_5 = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["day", "department", "topic", "channel", "language"], name="uniq_daily_case_stats")]


class DailyResponseTime(models.Model):
    """A histogram of first-response times (business seconds) per day and department."""

    day = models.DateField()
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    # Upper bound of the bucket in business seconds (postdesk.sla.stats.RESPONSE_BUCKETS).
    upper_bound = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "department", "upper_bound"],
                                               name="uniq_daily_response_time")]


class BacklogSnapshot(models.Model):
    """The open cases per department and topic, with their age and SLA state, at a moment."""

    taken_at = models.DateTimeField(db_index=True)
    rows = models.JSONField(default=list)


class MonthlyCaseStats(models.Model):
    """``DailyCaseStats`` summed per calendar month (``month`` is its first day), rebuilt with
    each day of the month: a year of dashboards reads twelve months, not 365 days of rows."""

    month = models.DateField()
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16)
    language = models.CharField(max_length=8)
    opened = models.PositiveIntegerField(default=0)
    first_responses = models.PositiveIntegerField(default=0)
    first_responses_met = models.PositiveIntegerField(default=0)
    resolutions = models.PositiveIntegerField(default=0)
    resolutions_met = models.PositiveIntegerField(default=0)
    rating_1 = models.PositiveIntegerField(default=0)
    rating_2 = models.PositiveIntegerField(default=0)
    rating_3 = models.PositiveIntegerField(default=0)
    rating_4 = models.PositiveIntegerField(default=0)
    rating_5 = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["month", "department", "topic", "channel", "language"],
            name="uniq_monthly_case_stats")]


class MonthlyResponseTime(models.Model):
    """``DailyResponseTime`` summed per calendar month."""

    month = models.DateField()
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    upper_bound = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "department", "upper_bound"],
                                               name="uniq_monthly_response_time")]
