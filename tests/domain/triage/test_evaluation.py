"""The scores behind ``postdesk triage evaluate``, on hand-made analyses."""

import pytest

from postdesk.domain.triage.analysis import Analysis
from postdesk.domain.triage.classifier import Prediction
from postdesk.domain.triage.entities import Entities, TrackingEntity
from postdesk.domain.triage.evaluation import BadInput, evaluate, read_jsonl, report
from postdesk.domain.triage.language import LanguageGuess
from postdesk.domain.triage.urgency import Urgency


def analysis(topic, urgent=False, numbers=()):
    return Analysis(
        language=LanguageGuess("en", 1.0, 3.0),
        entities=Entities(tracking_numbers=[TrackingEntity(n, "usps", "impb", True) for n in numbers]),
        urgency=Urgency(urgent, ("passport",) if urgent else ()),
        prediction=Prediction(topic, 0.9, [(topic, 0.9)]),
    )


ROWS = [
    {"id": "1", "language": "en", "subject": "", "body": "a", "topic": "track_package", "urgent_redirect": True,
     "tracking_numbers": ["9400 1118 9922 3818 2184 07"], "invalid_tracking_numbers": []},
    {"id": "2", "language": "de", "subject": "", "body": "b", "topic": "general", "urgent_redirect": False,
     "tracking_numbers": [], "invalid_tracking_numbers": ["9400111899223818218408"]},
    {"id": "3", "language": "de", "subject": "", "body": "c", "topic": "general", "urgent_redirect": True,
     "tracking_numbers": [], "invalid_tracking_numbers": []},
]
ANSWERS = {
    "1": analysis("track_package", urgent=True, numbers=["9400111899223818218407"]),
    "2": analysis("track_package", urgent=True, numbers=["9400111899223818218408"]),
    "3": analysis("general"),
}


def test_scores_topic_urgency_and_tracking_extraction():
    result = evaluate(ROWS, lambda row: ANSWERS[row["id"]])
    assert result["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["per_language"] == {"de": 0.5, "en": 1.0}
    assert result["per_topic"]["general"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert result["confusion"]["general"] == {"general": 1, "track_package": 1}
    assert result["urgent_redirect"]["precision"] == 0.5 and result["urgent_redirect"]["recall"] == 0.5
    assert result["tracking_numbers"]["recall"] == 1.0
    assert result["tracking_numbers"]["precision"] == 0.5
    assert result["tracking_numbers"]["invalid_accepted"] == 1
    assert set(result["latency_ms"]) >= {"p50", "p99"}


def test_report_names_every_figure():
    text = report(evaluate(ROWS, lambda row: ANSWERS[row["id"]]))
    for label in ("topic accuracy", "macro-F1", "per language", "confusion", "urgent redirect",
                  "tracking numbers", "invalid accepted", "p50", "p99"):
        assert label in text


@pytest.mark.parametrize("lines, error", [
    (["not json"], "line 1: not JSON"),
    (['["a list"]'], "line 1: not a JSON object"),
    (['{"id": "1", "body": "x"}'], "line 1: missing subject, topic"),
    (["", "  "], "no messages in the file"),
])
def test_bad_input_names_the_line_and_the_problem(lines, error):
    with pytest.raises(BadInput) as caught:
        read_jsonl(lines)
    assert str(caught.value).startswith(error)
