"""Everything triage reads from one message, in one call: language, entities, urgency, topic.

``analyse`` is what the ingest hooks run and what ``postdesk triage evaluate`` times, so the
measured latency is the latency customers get.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from postdesk.domain.triage import entities as entity_finders
from postdesk.domain.triage import language as language_detection
from postdesk.domain.triage import urgency as urgency_rules
from postdesk.domain.triage.classifier import Prediction, TopicModel


@dataclass(frozen=True)
class Analysis:
    language: language_detection.LanguageGuess
    entities: entity_finders.Entities
    urgency: urgency_rules.Urgency
    prediction: Prediction | None

    @property
    def other_carrier_numbers(self) -> list[entity_finders.TrackingEntity]:
        return [item for item in self.entities.tracking_numbers if item.other_carrier]


def analyse(subject: str, body: str, *, model: TopicModel | None, default_language: str = "en",
            today: date | None = None) -> Analysis:
    text = f"{subject}\n{body}" if subject else body
    guess = language_detection.detect(text, default=default_language)
    return Analysis(
        language=guess,
        entities=entity_finders.extract(text, language=guess.language, today=today),
        urgency=urgency_rules.assess(text),
        prediction=model.predict(subject, body) if model is not None else None,
    )
