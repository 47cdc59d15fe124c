"""SLA writes: clocks, promises, chasing, status updates, escalation, ratings.

Keyword-only ``<entity>_<verb>`` functions. ``postdesk.sla.hooks`` calls them inside the case
services' transactions; ``postdesk.sla.tasks`` calls them from periodic jobs, which claim each
piece of work with a conditional UPDATE and act only when they won it (healthchecks'
``sendalerts``), so any number of workers never do the same job twice.

Where this module changes a case itself (the promised date, a chased or escalated case's
priority, an escalation's new queue), it writes the case row and the same timeline events the
console would, with no agent as actor: ``cases.services`` requires an agent with permission.
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from postdesk.cases import events as case_events
from postdesk.cases.access import status_url
from postdesk.cases.models import Case, Department, Message
from postdesk.domain.addresses import normalise_us_address
from postdesk.domain.business_time import BusinessCalendar, Timer, parse_hours, target_budget, time_zone_for_zip
from postdesk.sla import events
from postdesk.sla.models import (
    CaseClock,
    CaseRating,
    ClosureDay,
    DepartmentSla,
    EscalationRule,
    RatingRequest,
    SlaPolicy,
)

ACTIVE = (Case.Status.NEW, Case.Status.OPEN, Case.Status.WAITING)
WITH_US = (Case.Status.NEW, Case.Status.OPEN)
CLOSED = (Case.Status.RESOLVED, Case.Status.CLOSED)
# Fewer answers than this in the rate window is no evidence of a rate: promise the SLA date.
MIN_ANSWERS_FOR_A_RATE = 5


# --- Calendars and targets


def calendar_for(department: Department | None) -> BusinessCalendar:
    """The department's working calendar: its own hours and zone, else the desk-wide ones;
    federal holidays; closure days of the department and of everyone."""
    config = DepartmentSla.objects.filter(department=department).first() if department else None
    if config is not None:
        zone = config.time_zone or settings.POSTDESK_TIME_ZONE
        hours = (config.weekday_hours, config.saturday_hours, config.sunday_hours)
        rule = config.saturday_holiday_rule or settings.POSTDESK_SLA_SATURDAY_HOLIDAY_RULE
    else:
        zone = settings.POSTDESK_TIME_ZONE
        hours = (settings.POSTDESK_SLA_WEEKDAY_HOURS, settings.POSTDESK_SLA_SATURDAY_HOURS,
                 settings.POSTDESK_SLA_SUNDAY_HOURS)
        rule = settings.POSTDESK_SLA_SATURDAY_HOLIDAY_RULE
    everyone = Q(department__isnull=True)
    closures = ClosureDay.objects.filter(everyone | Q(department=department) if department else everyone)
    weekdays, saturday, sunday = (parse_hours(value) for value in hours)
    return BusinessCalendar.weekly(time_zone=zone, weekdays=weekdays, saturday=saturday,
                                   sunday=sunday, saturday_rule=rule,
                                   closures=closures.values_list("day", flat=True))


@dataclass(frozen=True)
class Targets:
    first_response: tuple[int, str]
    resolution: tuple[int, str]
    at_risk_percent: int
    policy: SlaPolicy | None

    @property
    def summary(self) -> str:
        def text(target):
            return f"{target[0]} business {target[1]}"
        source = f"policy #{self.policy.pk}" if self.policy else "desk defaults"
        return (f"first response within {text(self.first_response)}, resolution within "
                f"{text(self.resolution)} ({source})")


def targets_for(*, topic_id: int | None, priority: int) -> Targets:
    """The most specific policy: topic and priority, then topic, then priority, then any."""
    candidates = SlaPolicy.objects.filter(Q(topic_id=topic_id) | Q(topic__isnull=True),
                                          Q(priority=priority) | Q(priority__isnull=True))
    policy = max(candidates, key=lambda p: (p.topic_id is not None, p.priority is not None),
                 default=None)
    if policy is not None:
        return Targets((policy.first_response_target, policy.first_response_unit),
                       (policy.resolution_target, policy.resolution_unit),
                       policy.at_risk_percent or settings.POSTDESK_SLA_AT_RISK_PERCENT, policy)
    urgent = priority >= Case.Priority.URGENT
    return Targets(
        (settings.POSTDESK_SLA_URGENT_RESPONSE_BUSINESS_DAYS if urgent
         else settings.POSTDESK_RESPONSE_BUSINESS_DAYS, "days"),
        (settings.POSTDESK_SLA_URGENT_RESOLUTION_BUSINESS_DAYS if urgent
         else settings.POSTDESK_SLA_RESOLUTION_BUSINESS_DAYS, "days"),
        settings.POSTDESK_SLA_AT_RISK_PERCENT, None)


def expected_answer_default(*, start: datetime) -> datetime:
    """The desk-wide promise before a case has a department (``cases.services.case_open``);
    ``clock_start`` replaces it with the department's, backlog included."""
    return calendar_for(None).add_days(start, settings.POSTDESK_RESPONSE_BUSINESS_DAYS)


# --- Clocks


def _fold(clock: CaseClock, calendar: BusinessCalendar, now: datetime) -> None:
    """Add the business time since ``running_since`` to the clocks still counting."""
    if clock.running_since is None:
        return
    spent = calendar.between(clock.running_since, now)
    if clock.first_responded_at is None:
        clock.first_response_elapsed += spent
    if clock.resolved_at is None:
        clock.resolution_elapsed += spent
    clock.running_since = now


def _plan(clock: CaseClock, calendar: BusinessCalendar) -> None:
    """Due and at-risk moments of the running clocks; None for paused and met ones."""
    share = clock.at_risk_percent / 100
    for name, stopped in (("first_response", clock.first_responded_at),
                          ("resolution", clock.resolved_at)):
        timer = Timer(getattr(clock, f"{name}_target"), getattr(clock, f"{name}_elapsed"),
                      clock.running_since, stopped)
        setattr(clock, f"{name}_due_at", timer.due_at(calendar))
        setattr(clock, f"{name}_at_risk_at", timer.at_risk_at(calendar, share))
    dues = [d for d in (clock.first_response_due_at, clock.resolution_due_at) if d is not None]
    risks = [d for d in (clock.first_response_at_risk_at, clock.resolution_at_risk_at) if d is not None]
    clock.next_due_at = min(dues, default=None)
    clock.next_at_risk_at = min(risks, default=None)


def _clock_save(clock: CaseClock, case: Case) -> None:
    """Save the clock and the case's copy of its due time (``Case.sla_due_at``, the queue's
    sort key) together, in the caller's transaction: the two never disagree."""
    clock.save()
    case.sla_due_at = clock.next_due_at
    Case.objects.filter(pk=case.pk).update(sla_due_at=clock.next_due_at)


def _locked_clock(case: Case) -> CaseClock | None:
    return CaseClock.objects.select_for_update().filter(case=case).first()


def _customer_time_zone(case: Case, calendar: BusinessCalendar) -> str:
    """Where the customer reads the promise: the zone of the ZIP in their address, else the
    department's."""
    if case.address:
        # Addresses are stored normalised ("…, CITY ST 12345"): the ZIP ends them, so there is
        # no need to run the address parser again.
        found = _TRAILING_ZIP.search(case.address)
        zone = time_zone_for_zip(found.group(1) if found else normalise_us_address(case.address).zip)
        if zone:
            return zone
    return calendar.time_zone


_TRAILING_ZIP = re.compile(r"\b(\d{5})(?:-\d{4})?\s*$")


def clock_start(*, case: Case, now: datetime | None = None) -> CaseClock:
    """Start the clocks of a new case and make the customer a promise.

    1. Targets from the most specific policy (topic, priority), as business seconds of the
       department's calendar from now.
    2. Due and at-risk moments planned and stored.
    3. The promised answer: the first-response due time, or later when the department's
       backlog and recent answering rate say it will slip (``answer_estimate``).
    """
    existing = CaseClock.objects.filter(case=case).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    calendar = calendar_for(case.department)
    targets = targets_for(topic_id=case.topic_id, priority=case.priority)
    clock = CaseClock(
        case=case, policy=targets.policy, policy_summary=targets.summary[:200],
        time_zone=calendar.time_zone, customer_time_zone=_customer_time_zone(case, calendar),
        at_risk_percent=targets.at_risk_percent, started_at=now,
        running_since=None if case.status == Case.Status.WAITING else now,
        first_response_target=target_budget(calendar, now, value=targets.first_response[0],
                                            unit=targets.first_response[1]),
        resolution_target=target_budget(calendar, now, value=targets.resolution[0],
                                        unit=targets.resolution[1]),
    )
    _plan(clock, calendar)
    sla_due = clock.first_response_due_at or calendar.add(now, clock.first_response_target)
    backlog = _unanswered(case.department_id).exclude(pk=case.pk).count()
    estimate = answer_estimate(department_id=case.department_id, calendar=calendar,
                               sla_due=sla_due, now=now, ahead=backlog)
    clock.promise_delayed = estimate.delayed
    clock.save()
    # The queue's copy of the due time, written with the promise (one UPDATE of the case).
    case.sla_due_at = clock.next_due_at
    _promise(case, estimate, reason=targets.summary, also=["sla_due_at"])
    return clock


def clock_first_response(*, case: Case, now: datetime | None = None) -> None:
    """A personal answer went out: the first-response clock stops (met or breached), and the
    chased marker clears. Automatic mail never comes here."""
    clock = _locked_clock(case)
    if clock is None:
        return
    now = now or timezone.now()
    clock.chased_at = None
    if clock.first_responded_at is None:
        calendar = calendar_for(case.department)
        _fold(clock, calendar, case.first_response_at or now)
        clock.first_responded_at = case.first_response_at or now
        clock.first_response_breached = clock.first_response_elapsed > clock.first_response_target
        _plan(clock, calendar)
    _clock_save(clock, case)


def clock_status_change(*, case: Case, old: str, new: str, now: datetime | None = None) -> None:
    """Pause while waiting on the customer, stop on resolve, resume when the ball is back."""
    clock = _locked_clock(case)
    if clock is None:
        return
    now = now or timezone.now()
    calendar = calendar_for(case.department)
    if new in CLOSED and old not in CLOSED:
        _fold(clock, calendar, now)
        clock.running_since = None
        clock.resolved_at = now
        clock.resolution_breached = clock.resolution_elapsed > clock.resolution_target
    elif old in CLOSED and new not in CLOSED:
        # Reopened: the rest of the resolution budget runs again (the time it sat resolved
        # was not the desk's).
        clock.resolved_at = None
        clock.resolution_breached = None
        clock.running_since = None if new == Case.Status.WAITING else now
    elif new == Case.Status.WAITING:
        _fold(clock, calendar, now)
        clock.running_since = None
    elif new in WITH_US and clock.running_since is None:
        clock.running_since = now
    _plan(clock, calendar)
    _clock_save(clock, case)
    if new == Case.Status.RESOLVED and old not in CLOSED:
        rating_request_queue(case=case, now=now)


# --- Promises


@dataclass(frozen=True)
class Estimate:
    at: datetime
    delayed: bool
    backlog: int
    answers_per_business_day: float | None


def _unanswered(department_id: int):
    # Exactly the condition of the partial index ``case_unanswered_idx`` (department, created_at,
    # id): both counts below are index-only scans of it, whatever the size of the history.
    return Case.objects.filter(department_id=department_id, status__in=WITH_US,
                               first_response_at__isnull=True)


def answer_estimate(*, department_id: int, calendar: BusinessCalendar, sla_due: datetime,
                    now: datetime, ahead: int) -> Estimate:
    """When a case with ``ahead`` unanswered cases before it will probably get its answer.

    The department's recent rate (first answers per business second over the last
    POSTDESK_SLA_RATE_WINDOW_DAYS) works through the backlog ahead and then this case. The
    SLA due time is the earliest we promise; a later estimate is promised honestly, rounded
    to close of business (a minute-exact date would claim a precision the estimate lacks).
    Without enough recent answers to measure a rate, the SLA due time stands.
    """
    since = now - timedelta(days=settings.POSTDESK_SLA_RATE_WINDOW_DAYS)
    # The case's own copy of the first answer time (the clock's ``first_responded_at`` is set
    # from it), counted from the (department, first_response_at) index.
    answered = Case.objects.filter(department_id=department_id, first_response_at__gte=since,
                                   first_response_at__lt=now).count()
    business_seconds = calendar.between(since, now)
    business_days = sum(1 for offset in range((now - since).days + 1)
                        if calendar.is_business_day(calendar.local_day(since) + timedelta(days=offset)))
    per_day = round(answered / business_days, 1) if business_days else None
    if answered < MIN_ANSWERS_FOR_A_RATE or business_seconds <= 0 or ahead == 0:
        return Estimate(sla_due, False, ahead, per_day)
    wait = (ahead + 1) * business_seconds / answered
    expected = calendar.add(now, wait)
    if expected <= sla_due:
        return Estimate(sla_due, False, ahead, per_day)
    window = calendar.window(calendar.local_day(expected))
    if window is not None:
        expected = window[1].astimezone(calendar.zone)
    return Estimate(expected, True, ahead, per_day)


def _promise(case: Case, estimate: Estimate, *, reason: str, also: list[str] = ()) -> None:
    if estimate.delayed:
        reason = (f"{estimate.backlog} unanswered cases ahead, about "
                  f"{estimate.answers_per_business_day} first answers per business day: later than "
                  f"the SLA ({reason})")
    case.expected_answer_by = estimate.at
    case.save(update_fields=["expected_answer_by", *also])
    events.answer_promised(case, by=estimate.at.isoformat(), reason=reason,
                           backlog=estimate.backlog,
                           answers_per_business_day=estimate.answers_per_business_day)


def promise_refresh(*, case: Case, clock: CaseClock, now: datetime) -> datetime:
    """A fresh promise for a case still waiting for its answer (status updates): never
    earlier than the one already made, and after an overdue SLA the next close of business
    at the earliest."""
    calendar = calendar_for(case.department)
    due = clock.first_response_due_at
    base = due if due is not None and due > now else calendar.add_days(now, 1)
    ahead = _unanswered(case.department_id).filter(created_at__lt=case.created_at).count()
    estimate = answer_estimate(department_id=case.department_id, calendar=calendar,
                               sla_due=base, now=now, ahead=ahead)
    promised = estimate.at
    if case.expected_answer_by is not None and case.expected_answer_by > promised:
        promised = case.expected_answer_by
    if promised != case.expected_answer_by:
        _promise(case, Estimate(promised, estimate.delayed, ahead, estimate.answers_per_business_day),
                 reason="status update: the first promise has passed" if base != due
                 else clock.policy_summary)
        clock.promise_delayed = True
        clock.save(update_fields=["promise_delayed", "updated_at"])
    return promised


# --- Chasing


def case_chase(*, case: Case, message: Message, now: datetime | None = None) -> bool:
    """The customer wrote again before we answered their last message: mark the case chased
    and raise its priority one step. True when it was a chase."""
    previous = (case.messages.filter(kind__in=(Message.Kind.CUSTOMER, Message.Kind.REPLY))
                .exclude(pk=message.pk).order_by("-created_at", "-id").first())
    if previous is None or previous.kind != Message.Kind.CUSTOMER:
        return False
    clock = _locked_clock(case)
    if clock is None:
        return False
    now = now or timezone.now()
    old = case.priority
    _raise_priority(case)
    clock.chased_at = now
    clock.chase_count += 1
    clock.save(update_fields=["chased_at", "chase_count", "updated_at"])
    events.chased(case, count=clock.chase_count, old_priority=old, new_priority=case.priority)
    return True


def _raise_priority(case: Case) -> bool:
    if case.priority >= Case.Priority.URGENT:
        return False
    old, case.priority = case.priority, case.priority + 1
    case.save(update_fields=["priority", "updated_at"])
    case_events.priority_changed(case, actor=None, old=old, new=case.priority)
    return True


# --- Proactive status updates


def _status_update_claimable(now: datetime) -> Q:
    """The clock row's own columns only. A claim's UPDATE must not join: PostgreSQL re-checks
    a row it waited for against the outer WHERE, not against a joined subquery, so a join
    would let a second worker claim the row the first one just claimed."""
    period = timedelta(hours=settings.POSTDESK_SLA_STATUS_UPDATE_PERIOD_HOURS)
    return (Q(status_update_sent_at__isnull=True) | Q(status_update_sent_at__lte=now - period)) & Q(
        first_response_at_risk_at__lte=now, first_responded_at__isnull=True)


def _status_update_due(now: datetime) -> Q:
    # At-risk moments exist only while the clock runs, i.e. the case is new or open.
    # Nor to a customer known only by a social handle (a reserved .invalid placeholder address).
    return _status_update_claimable(now) & Q(case__status__in=WITH_US,
                                             case__customer__email_bounced_at__isnull=True) & ~Q(
        case__customer__email__endswith=".invalid")


def status_updates_send(*, now: datetime | None = None) -> int:
    """Tell customers whose answer is near its due time (at risk) that we are on it.

    At most one update per case per POSTDESK_SLA_STATUS_UPDATE_PERIOD_HOURS, whatever the
    number of workers: each case is claimed by a conditional UPDATE first.
    """
    if not settings.POSTDESK_SLA_STATUS_UPDATES:
        return 0
    now = now or timezone.now()
    due = (CaseClock.objects.filter(_status_update_due(now)).order_by("first_response_due_at")
           .values_list("pk", flat=True)[:settings.POSTDESK_SLA_JOB_BATCH])
    return sum(status_update_send(case_id=case_id, now=now) for case_id in list(due))


@transaction.atomic
def status_update_send(*, case_id: int, now: datetime) -> bool:
    claimed = CaseClock.objects.filter(_status_update_claimable(now), pk=case_id).update(
        status_update_sent_at=now)
    if not claimed:
        return False
    from postdesk.notifications.services import _queue, _render, case_subject_tag

    case = Case.objects.select_related("customer", "department", "topic").get(pk=case_id)
    clock = CaseClock.objects.get(pk=case_id)
    overdue = clock.first_response_due_at is not None and clock.first_response_due_at <= now
    promised = promise_refresh(case=case, clock=clock, now=now)
    context = {
        "case": case, "case_number": case.number, "customer_name": case.customer.name,
        "expected_answer_by": promised, "overdue": overdue, "status_url": status_url(case),
        "support_name": settings.POSTDESK_SUPPORT_NAME,
    }
    subject, body = _render("status_update", case.language, context)
    _queue(case=case, purpose="status_update", subject=f"{subject} {case_subject_tag(case)}",
           body=body, headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"})
    return True


# --- Escalation

# (clock, trigger) -> (the moment field, the claim field)
STAGES = {
    ("first_response", "at_risk"): ("first_response_at_risk_at", "first_response_risk_escalated_at"),
    ("first_response", "breached"): ("first_response_due_at", "first_response_breach_escalated_at"),
    ("resolution", "at_risk"): ("resolution_at_risk_at", "resolution_risk_escalated_at"),
    ("resolution", "breached"): ("resolution_due_at", "resolution_breach_escalated_at"),
}


def _stage_due(timer: str, trigger: str, now: datetime) -> Q:
    moment, claim = STAGES[(timer, trigger)]
    # Moments are None unless the clock runs: paused and met clocks never escalate.
    return Q(**{f"{moment}__lte": now, f"{claim}__isnull": True}, case__status__in=ACTIVE)


def escalations_evaluate(*, now: datetime | None = None) -> int:
    """Apply the active escalation rules to every case that has newly reached a stage.

    1. For each stage (clock x at risk/breached) some active rule listens to, find the cases
       that reached it and were not yet claimed for it.
    2. Claim each with a conditional UPDATE (``escalation_claim``); only the winner goes on.
    3. Apply every matching rule's actions, each an ``escalated`` event on the case.
    Returns the number of actions taken.
    """
    now = now or timezone.now()
    rules = list(EscalationRule.objects.filter(active=True).order_by("position", "id"))
    actions = 0
    for timer, trigger in STAGES:
        stage_rules = [r for r in rules if r.timer == timer and r.trigger == trigger]
        if not stage_rules:
            continue
        due = (CaseClock.objects.filter(_stage_due(timer, trigger, now))
               .order_by(STAGES[(timer, trigger)][0])
               .values_list("pk", flat=True)[:settings.POSTDESK_SLA_JOB_BATCH])
        for case_id in list(due):
            actions += escalation_fire(case_id=case_id, timer=timer, trigger=trigger,
                                       rules=stage_rules, now=now)
    return actions


def escalation_claim(*, case_id: int, timer: str, trigger: str, now: datetime) -> bool:
    """Conditional UPDATE: exactly one evaluation wins a case's stage, whatever the race.

    On the clock row's own columns only (see ``_status_update_claimable`` for why no join).
    """
    moment, claim = STAGES[(timer, trigger)]
    return bool(CaseClock.objects.filter(pk=case_id, **{f"{moment}__lte": now, f"{claim}__isnull": True})
                .update(**{claim: now}))


@transaction.atomic
def escalation_fire(*, case_id: int, timer: str, trigger: str, rules: list[EscalationRule],
                    now: datetime) -> int:
    if not escalation_claim(case_id=case_id, timer=timer, trigger=trigger, now=now):
        return 0
    case = (Case.objects.select_for_update().select_related("customer", "department", "topic")
            .get(pk=case_id))
    stage = f"{timer} {trigger}"
    actions = 0
    for rule in rules:
        if not rule.matches(case):
            continue
        if rule.notify_lead:
            _notify_lead(case, rule, stage)
            actions += 1
        if rule.raise_priority:
            old = case.priority
            if _raise_priority(case):
                events.escalated(case, rule=rule.name, stage=stage, action="raise_priority",
                                 old_priority=old, new_priority=case.priority)
                actions += 1
        if rule.reassign_to_id and rule.reassign_to_id != case.department_id:
            source = case.department
            case.department = rule.reassign_to
            # The new queue decides who works on it.
            case.assignee = None
            case.save(update_fields=["department", "assignee", "updated_at"])
            events.escalated(case, rule=rule.name, stage=stage, action="reassign",
                             source=source.slug, target=case.department.slug,
                             target_name=case.department.name)
            actions += 1
    return actions


def _notify_lead(case: Case, rule: EscalationRule, stage: str) -> None:
    config = DepartmentSla.objects.filter(department_id=case.department_id).first()
    if config is None or not config.lead_email:
        events.escalated(case, rule=rule.name, stage=stage, action="notify_lead",
                         error=f"no lead email configured for {case.department.name}")
        return
    from postdesk.notifications.services import _render

    clock = CaseClock.objects.get(pk=case.pk)
    timer, _space, trigger = stage.partition(" ")
    context = {
        "case": case, "case_number": case.number, "lead_name": config.lead_name,
        "stage": _("%(clock)s: %(state)s") % {
            "clock": EscalationRule.TimerChoice(timer).label,
            "state": EscalationRule.Trigger(trigger).label},
        "rule": rule.name, "department": case.department.name,
        "subject": case.subject, "due_at": clock.next_due_at or clock.first_response_due_at,
        "console_url": settings.POSTDESK_BASE_URL + reverse("console:case", args=[case.number]),
    }
    subject, body = _render("escalation", settings.LANGUAGE_CODE, context)
    outbound = _queue_staff_email(case=case, to=config.lead_email, subject=subject, body=body)
    events.escalated(case, rule=rule.name, stage=stage, action="notify_lead",
                     to=config.lead_email, message_id=outbound.message_id)


def _queue_staff_email(*, case: Case, to: str, subject: str, body: str):
    """An outbox row to staff about a case.

    Not ``notifications.services._queue``: that one writes to the case's customer, and the
    delivery worker puts a public "Email sent" event on the row's case. A lead's escalation
    notice is internal, so its row names no case (only the X-Postdesk-Case header); the
    ``escalated`` event records it on the case instead.
    """
    from postdesk.notifications.models import OutboundEmail
    from postdesk.notifications.services import _sender, new_message_id
    from postdesk.notifications.tasks import deliver_outbound_email

    message_id = new_message_id()
    outbound = OutboundEmail.objects.create(
        case=None, purpose="escalation", from_email=_sender(case), to=to, subject=subject,
        body=body, message_id=message_id, next_attempt_at=timezone.now(),
        headers={"Message-ID": message_id, "X-Postdesk-Case": case.number,
                 "Auto-Submitted": "auto-generated"},
    )
    transaction.on_commit(lambda: deliver_outbound_email(outbound.pk))
    return outbound


# --- Satisfaction ratings

RATING_SALT = "postdesk.sla.rating"
RATING_SCORES = tuple(CaseRating.Score.values)


class RatingLinkError(Exception):
    """A rating link that cannot be used; ``message`` is what the customer reads."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def rating_token(request: RatingRequest) -> str:
    return signing.dumps({"r": request.pk}, salt=RATING_SALT)


def rating_url(request: RatingRequest) -> str:
    return settings.POSTDESK_BASE_URL + reverse("sla:rate", args=[rating_token(request)])


def rating_request_queue(*, case: Case, now: datetime | None = None) -> RatingRequest | None:
    """Email a resolved case's customer a signed, single-use link to rate the answer.

    Not twice within a day (a case resolved, reopened and resolved again by mistake), never
    to an address that bounced.
    """
    if not settings.POSTDESK_SLA_RATING_REQUESTS or case.customer.email_bounced_at:
        return None
    if case.customer.email.endswith(".invalid"):
        return None  # known only by a social handle: no address to ask
    now = now or timezone.now()
    if RatingRequest.objects.filter(case=case, created_at__gte=now - timedelta(days=1)).exists():
        return None
    from postdesk.notifications.services import _queue, _render, case_subject_tag

    request = RatingRequest.objects.create(case=case)
    url = rating_url(request)
    context = {
        "case": case, "case_number": case.number, "customer_name": case.customer.name,
        # Best first, as on the page; labels are translated when the email is rendered.
        "rating_links": [(label, f"{url}?score={score}") for score, label in CaseRating.Score.choices],
        "rating_url": url, "support_name": settings.POSTDESK_SUPPORT_NAME,
    }
    subject, body = _render("rating_request", case.language, context)
    _queue(case=case, purpose="rating_request", subject=f"{subject} {case_subject_tag(case)}",
           body=body, headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"})
    return request


def rating_request_from_token(token: str) -> RatingRequest:
    """The request a link names; ``RatingLinkError`` for forged, expired or used links."""
    try:
        data = signing.loads(token, salt=RATING_SALT,
                             max_age=settings.POSTDESK_SLA_RATING_LINK_MAX_AGE_DAYS * 86400)
    except signing.SignatureExpired:
        raise RatingLinkError(_("This rating link has expired."), 410) from None
    except signing.BadSignature:
        raise RatingLinkError(_("This rating link is not valid. Please use the link from "
                                "our email."), 404) from None
    request = (RatingRequest.objects.select_related("case", "case__customer")
               .filter(pk=data.get("r") if isinstance(data, dict) else None).first())
    if request is None:
        raise RatingLinkError(_("This rating link is not valid. Please use the link from "
                                "our email."), 404)
    if request.used_at is not None:
        raise RatingLinkError(_("This link has already been used to rate your case. Thank you "
                                "for your feedback."), 410)
    return request


@transaction.atomic
def rating_submit(*, token: str, score: int, comment: str = "") -> CaseRating:
    """Record a rating once: the link is claimed by a conditional UPDATE before anything is
    written, so a double submit or two tabs store one rating."""
    request = rating_request_from_token(token)
    if score not in RATING_SCORES:
        raise ValidationError({"score": _("Choose a rating from 1 to 5.")})
    comment = comment.strip()[:2000]
    claimed = RatingRequest.objects.filter(pk=request.pk, used_at__isnull=True).update(
        used_at=timezone.now())
    if not claimed:
        raise RatingLinkError(_("This link has already been used to rate your case. Thank you "
                                "for your feedback."), 410)
    rating = CaseRating.objects.create(case=request.case, request=request, score=score,
                                       comment=comment)
    events.rated(request.case, score=score, comment=comment)
    return rating
