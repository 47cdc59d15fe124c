"""Every triage write: deciding a new case, reading later messages, agents' corrections.

Called by the ingest pipeline through ``postdesk.triage.hooks`` and by the console. Runs in the
caller's transaction; case fields change only together with their timeline events.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from postdesk.cases import events as case_events
from postdesk.cases.models import Case, Department, Message, Topic
from postdesk.cases.permissions import can_work_on
from postdesk.domain import tracking
from postdesk.domain.triage.analysis import Analysis
from postdesk.domain.triage.entities import TrackingEntity
from postdesk.triage import engine, events, rules
from postdesk.triage.models import CaseEntity, CaseTriage, TriageLabel

# Channels whose adapter knows the language the customer chose (the page they read): the
# confirmation and success page stay in it. Elsewhere the message's own language decides.
CHOSEN_LANGUAGE_CHANNELS = ("web", "api")
ACTIVE_STATUSES = (Case.Status.NEW, Case.Status.OPEN, Case.Status.WAITING)


# --- entities -----------------------------------------------------------------------------

def _form_numbers(inbound) -> list[TrackingEntity]:
    """Numbers typed in a form's tracking field (already validated by the form)."""
    found = []
    for raw in inbound.tracking_numbers:
        result = tracking.check(raw)
        found.append(TrackingEntity(number=result.normalised, carrier=result.carrier or "", kind=result.kind or "",
                                    valid=result.valid, problem=result.problem,
                                    expected_check=result.expected_check, raw=raw))
    return found


def tracking_keys(entity: TrackingEntity) -> set[str]:
    """The values one tracking number is found by: as written (normalised) and, for a routed
    USPS barcode, its bare PIC, so "420 12345 9400..." and "9400..." are one package."""
    keys = {entity.number}
    result = tracking.check(entity.number)
    if result.pic:
        keys.add(result.pic)
    return keys


def _merge_entities(stored: dict, analysis: Analysis, extra: list[TrackingEntity]) -> dict:
    new = analysis.entities.as_json()
    seen = {item["number"] for item in stored.get("tracking_numbers", [])}
    numbers = list(stored.get("tracking_numbers", []))
    for item in [entity_json(entity) for entity in extra] + new["tracking_numbers"]:
        if item["number"] not in seen:
            seen.add(item["number"])
            numbers.append(item)
    merged = {"tracking_numbers": numbers}
    for key in ("addresses", "zip_codes", "phones", "dates", "money"):
        values = list(stored.get(key, []))
        for value in new[key]:
            if value not in values:
                values.append(value)
        merged[key] = values
    return merged


def entity_json(entity: TrackingEntity) -> dict:
    from dataclasses import asdict

    return asdict(entity) | {"carrier_name": entity.carrier_name}


def _index_entities(case: Case, entities: dict) -> None:
    rows = set()
    for item in entities.get("tracking_numbers", []):
        if item.get("valid"):
            for key in tracking_keys(TrackingEntity(**{k: v for k, v in item.items() if k != "carrier_name"})):
                rows.add((CaseEntity.Kind.TRACKING, key))
    rows |= {(CaseEntity.Kind.ADDRESS, value) for value in entities.get("addresses", [])}
    rows |= {(CaseEntity.Kind.ZIP, value) for value in entities.get("zip_codes", [])}
    rows |= {(CaseEntity.Kind.PHONE, value) for value in entities.get("phones", [])}
    rows |= {(CaseEntity.Kind.DATE, item["date"]) for item in entities.get("dates", []) if item.get("date")}
    rows |= {(CaseEntity.Kind.MONEY, f"{item['amount']} {item['currency']}") for item in entities.get("money", [])}
    existing = set(CaseEntity.objects.filter(case=case).values_list("kind", "value"))
    CaseEntity.objects.bulk_create([CaseEntity(case=case, kind=kind, value=value[:300])
                                    for kind, value in sorted(rows - existing)])


def _other_carriers(entities: dict) -> list[dict]:
    return [{"number": item["number"], "carrier": item["carrier"], "carrier_name": item["carrier_name"]}
            for item in entities.get("tracking_numbers", [])
            if item.get("valid") and item.get("carrier") and item["carrier"] != tracking.USPS]


# --- the decision on a new case -----------------------------------------------------------

def _decide(case: Case, inbound, analysis: Analysis, carriers: set[str]):
    """(decided_by, rule, topic, department, reason, needs_triage)."""
    prediction = analysis.prediction
    threshold = settings.POSTDESK_TRIAGE_MIN_CONFIDENCE
    rule = rules.first_match(sender=inbound.sender_email, subject=inbound.subject, channel=inbound.channel,
                             carriers=carriers)
    if rule is not None:
        topic = rule.topic or case.topic
        if rule.topic is None and not inbound.topic_slug and prediction and prediction.confidence >= threshold:
            topic = Topic.objects.filter(slug=prediction.topic).first() or case.topic
        department = rule.department or topic.department
        return (CaseTriage.DecidedBy.RULE, rule, topic, department,
                _rule_reason(rule), False)
    if inbound.topic_slug:
        # The customer picked the topic on the form: the model may only give its opinion.
        reason = "topic chosen by the customer"
        if prediction:
            reason += f"; model {prediction.topic} ({prediction.confidence:.2f})"
        return CaseTriage.DecidedBy.CUSTOMER, None, case.topic, case.department, reason, False
    predicted = Topic.objects.select_related("department").filter(slug=prediction.topic, active=True).first() \
        if prediction else None
    if predicted is None or prediction.confidence < threshold:
        reason = (f"model confidence {prediction.confidence:.2f} below {threshold:.2f}: needs triage"
                  if prediction else "no model opinion: needs triage")
        decided_by = CaseTriage.DecidedBy.MAILBOX if inbound.department_slug else CaseTriage.DecidedBy.MODEL
        return decided_by, None, case.topic, case.department, reason, True
    reason = f"model: {prediction.topic} with confidence {prediction.confidence:.2f}"
    if inbound.department_slug:
        # The mailbox it arrived in names the department; the model names the topic.
        return (CaseTriage.DecidedBy.MAILBOX, None, predicted, case.department,
                reason + "; department of the mailbox", False)
    return CaseTriage.DecidedBy.MODEL, None, predicted, predicted.department, reason, False


def _rule_reason(rule) -> str:
    conditions = []
    if rule.sender_domains.strip():
        conditions.append(f"sender domain in {rule.sender_domains.strip()}")
    if rule.subject_pattern.strip():
        conditions.append(f"subject matches {rule.subject_pattern.strip()!r}")
    if rule.tracking_carrier:
        conditions.append(f"{rule.get_tracking_carrier_display()} tracking number")
    if rule.channel:
        conditions.append(f"channel {rule.channel}")
    if rule.customer_emails.strip():
        conditions.append("signed-in customer")
    return f"rule #{rule.pk} {rule.name!r}: " + ", ".join(conditions)


def case_triage_new(*, case: Case, message: Message, inbound) -> CaseTriage:
    """Decide topic, department, language, entities and urgency of a newly opened case.

    1. Analyse the message (language, entities, urgency, the model's topic opinion).
    2. Rules first; then the customer's own topic (web form, API); then the model when it is
       confident enough; otherwise the case waits in the needs-triage queue.
    3. Apply and record: routed/triaged events, priority for urgent matters, the entity index.
    """
    analysis = engine.analyse_message(inbound.subject, inbound.body, default_language=inbound.language)
    entities = _merge_entities({}, analysis, _form_numbers(inbound))
    carriers = {item["carrier"] for item in entities["tracking_numbers"] if item.get("valid")}
    decided_by, rule, topic, department, reason, needs_triage = _decide(case, inbound, analysis, carriers)
    prediction = analysis.prediction
    updates = []
    if topic.pk != case.topic_id:
        case.topic = topic
        updates.append("topic")
    if department.pk != case.department_id:
        case.department = department
        updates.append("department")
        case_events.routed(case, department, reason=reason)
    language = analysis.language
    if inbound.channel not in CHOSEN_LANGUAGE_CHANNELS and language.reliable and language.language != case.language:
        case.language = language.language
        updates.append("language")
    usps = [item["number"] for item in entities["tracking_numbers"]
            if item.get("valid") and item.get("carrier") == tracking.USPS]
    if any(number not in case.tracking_numbers for number in usps):
        case.tracking_numbers = list(dict.fromkeys([*case.tracking_numbers, *usps]))
        updates.append("tracking_numbers")
    if updates:
        case.save(update_fields=[*updates, "updated_at"])
    triage = CaseTriage.objects.create(
        case=case, decided_by=decided_by, rule=rule, reason=reason[:500],
        model_version=engine.current_model().version if prediction else "",
        predicted_topic=prediction.topic if prediction else "",
        confidence=prediction.confidence if prediction else None,
        suggestions=[list(pair) for pair in (prediction.ranked[:3] if prediction else [])],
        needs_triage=needs_triage, language=language.language,
        language_confidence=language.confidence, entities=entities,
        other_carriers=_other_carriers(entities),
    )
    events.triaged(
        case, decided_by=decided_by, rule=rule.name if rule else "", reason=reason, topic=case.topic.slug,
        department=case.department.slug, model_version=triage.model_version, confidence=triage.confidence,
        suggestions=triage.suggestions, needs_triage=needs_triage, language=language.language,
        urgent=analysis.urgency.urgent,
    )
    _index_entities(case, entities)
    if analysis.urgency.urgent:
        _flag_urgent(case, triage, list(analysis.urgency.reasons))
    if settings.POSTDESK_TRIAGE_SAME_MATTER != "off" and not joins_same_matter(inbound):
        other, why = find_same_matter(customer=case.customer, entities=entities, exclude=case)
        if other is not None and case.linked_case_id is None:
            case.linked_case = other
            case.save(update_fields=["linked_case"])
            case_events.linked(case, other=other, reason=why)
            case_events.linked(other, other=case, reason=why)
    return triage


def _flag_urgent(case: Case, triage: CaseTriage, reasons: list[str]) -> None:
    known = list(triage.urgent_reasons or [])
    triage.urgent = True
    triage.urgent_reasons = known + [reason for reason in reasons if reason not in known]
    triage.save(update_fields=["urgent", "urgent_reasons", "updated_at"])
    events.urgent_flagged(case, reasons=triage.urgent_reasons)
    if case.priority != Case.Priority.URGENT:
        case_events.priority_changed(case, actor=None, old=case.priority, new=Case.Priority.URGENT)
        case.priority = Case.Priority.URGENT
        case.save(update_fields=["priority", "updated_at"])


def case_triage_message(*, case: Case, message: Message, inbound) -> CaseTriage:
    """A later customer message: its entities join the case's, and it may make the case urgent."""
    analysis = engine.analyse_message(inbound.subject, inbound.body, default_language=case.language)
    triage = CaseTriage.objects.filter(case=case).first()
    if triage is None:
        # A case opened before triage existed.
        triage = CaseTriage.objects.create(case=case, decided_by=CaseTriage.DecidedBy.CUSTOMER,
                                           reason="opened before triage", language=case.language)
    entities = _merge_entities(triage.entities or {}, analysis, _form_numbers(inbound))
    triage.entities = entities
    triage.other_carriers = _other_carriers(entities)
    triage.save(update_fields=["entities", "other_carriers", "updated_at"])
    _index_entities(case, entities)
    if analysis.urgency.urgent and not set(analysis.urgency.reasons) <= set(triage.urgent_reasons or []):
        _flag_urgent(case, triage, list(analysis.urgency.reasons))
    return triage


# --- same matter --------------------------------------------------------------------------

def inbound_tracking_keys(inbound) -> set[str]:
    from postdesk.domain.triage.entities import find_tracking

    found, _spans = find_tracking(f"{inbound.subject}\n{inbound.body}")
    keys: set[str] = set()
    for entity in [*found, *_form_numbers(inbound)]:
        if entity.valid:
            keys |= tracking_keys(entity)
    return keys


def find_same_matter(*, customer, entities: dict | None = None, keys: set[str] | None = None,
                     exclude: Case | None = None) -> tuple[Case | None, str]:
    """The customer's newest open case that names one of these tracking numbers, and why."""
    if keys is None:
        keys = set()
        for item in (entities or {}).get("tracking_numbers", []):
            if item.get("valid"):
                keys |= tracking_keys(TrackingEntity(**{k: v for k, v in item.items() if k != "carrier_name"}))
    if not keys or customer is None:
        return None, ""
    match = (CaseEntity.objects.select_related("case")
             .filter(kind=CaseEntity.Kind.TRACKING, value__in=sorted(keys), case__customer=customer,
                     case__status__in=ACTIVE_STATUSES)
             .exclude(case=exclude).order_by("-case__created_at", "-case_id").first())
    if match is None:
        return None, ""
    return match.case, f"same matter: tracking number {match.value} of open case {match.case.number}"


def joins_same_matter(inbound) -> bool:
    """Whether a message naming an open case's tracking number joins that case (else: a new
    case linked to it). A topic form (web, API) is a request the customer chose to file anew,
    and its success page must show the case just filed; written messages join."""
    return settings.POSTDESK_TRIAGE_SAME_MATTER == "join" and not inbound.topic_slug


def same_matter_for_inbound(inbound, customer) -> tuple[Case | None, str]:
    if not joins_same_matter(inbound):
        return None, ""
    return find_same_matter(customer=customer, keys=inbound_tracking_keys(inbound))


# --- agents' corrections ------------------------------------------------------------------

def _first_customer_message(case: Case) -> Message | None:
    return case.messages.filter(kind=Message.Kind.CUSTOMER).order_by("created_at", "id").first()


def label_record(*, case: Case, agent, topic: str, source: str) -> TriageLabel | None:
    """Remember what the case was really about; the case's latest correction wins."""
    first = _first_customer_message(case)
    if first is None:
        return None
    label, _created = TriageLabel.objects.update_or_create(case=case, defaults={
        "topic": topic, "source": source, "language": case.language, "subject": first.subject,
        "body": first.body, "agent": agent,
    })
    CaseTriage.objects.filter(case=case).update(needs_triage=False, triaged_by=agent)
    return label


def case_transferred(*, case: Case, agent, target: Department) -> None:
    """A transfer is a correction: the topic it implies becomes a label.

    The case's own topic when it belongs to the target department; otherwise the target's
    topic the model ranked highest; otherwise the target's first topic.
    """
    if case.topic.department_id == target.pk:
        topic = case.topic.slug
    else:
        slugs = list(Topic.objects.filter(department=target).order_by("position", "slug").values_list("slug", flat=True))
        if not slugs:
            return
        triage = CaseTriage.objects.filter(case=case).first()
        ranked = [slug for slug, _probability in (triage.suggestions if triage else [])]
        first = _first_customer_message(case)
        if first is not None and not any(slug in slugs for slug in ranked):
            # The stored suggestions are the top three only; rank every topic again.
            ranked = [slug for slug, _probability in engine.current_model().predict(first.subject, first.body).ranked]
        topic = next((slug for slug in ranked if slug in slugs), slugs[0])
    label_record(case=case, agent=agent, topic=topic, source=TriageLabel.Source.TRANSFER)


@transaction.atomic
def case_topic_change(*, case: Case, agent, topic: Topic, reason: str = "") -> Case:
    """An agent sets the topic (the needs-triage queue's "route to"); the case follows the
    topic to its department when that differs."""
    from postdesk.cases.services import case_transfer

    if not can_work_on(agent, case):
        raise PermissionDenied
    reason = reason.strip() or _("Routed from the needs-triage queue")
    if topic.pk == case.topic_id and topic.department_id == case.department_id:
        label_record(case=case, agent=agent, topic=topic.slug, source=TriageLabel.Source.TOPIC_CHANGE)
        return case
    old = case.topic.slug
    if topic.pk != case.topic_id:
        case.topic = topic
        case.save(update_fields=["topic", "updated_at"])
        events.topic_changed(case, actor=agent, old=old, new=topic.slug, reason=reason)
    CaseTriage.objects.filter(case=case).update(decided_by=CaseTriage.DecidedBy.AGENT)
    if topic.department_id != case.department_id:
        case_transfer(case=case, agent=agent, department=topic.department, reason=reason)
    # After the transfer, whose own label (same topic) this one replaces with the truer source.
    label_record(case=case, agent=agent, topic=topic.slug, source=TriageLabel.Source.TOPIC_CHANGE)
    return case
