"""Scores for ``postdesk triage evaluate``: topic accuracy and macro-F1, per-topic precision
and recall, per-language accuracy, the confusion matrix, urgent-redirect precision and recall,
tracking-number extraction precision and recall (and invalid look-alikes accepted), and the
time per message.

Input rows use the issue's format: id, channel, language, subject, body, topic,
urgent_redirect, tracking_numbers, invalid_tracking_numbers.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from postdesk.domain import tracking
from postdesk.domain.triage.analysis import Analysis

REQUIRED = ("id", "subject", "body", "topic")


class BadInput(ValueError):
    pass


def read_jsonl(lines: Iterable[str]) -> list[dict]:
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadInput(f"line {number}: not JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise BadInput(f"line {number}: not a JSON object")
        missing = [key for key in REQUIRED if key not in row]
        if missing:
            raise BadInput(f"line {number}: missing {', '.join(missing)}")
        rows.append(row)
    if not rows:
        raise BadInput("no messages in the file")
    return rows


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def _number_key(raw: str) -> str:
    result = tracking.check(raw)
    return result.pic or result.normalised


def evaluate(rows: list[dict], analyse_row: Callable[[dict], Analysis]) -> dict:
    gold, predicted, languages, timings = [], [], [], []
    urgent = Counter()
    numbers = Counter()
    for row in rows:
        started = time.perf_counter()
        analysis = analyse_row(row)
        timings.append((time.perf_counter() - started) * 1000)
        gold.append(row["topic"])
        predicted.append(analysis.prediction.topic if analysis.prediction else "")
        languages.append(row.get("language", ""))
        expected_urgent = bool(row.get("urgent_redirect", False))
        urgent[(expected_urgent, analysis.urgency.urgent)] += 1
        expected = {_number_key(raw) for raw in row.get("tracking_numbers", [])}
        invalid = {tracking.normalise(raw) for raw in row.get("invalid_tracking_numbers", [])}
        found = {item.pic_key for item in _valid_numbers(analysis)}
        numbers["expected"] += len(expected)
        numbers["found"] += len(found)
        numbers["correct"] += len(expected & found)
        numbers["invalid_accepted"] += len({item.number for item in analysis.entities.valid_tracking} & invalid)

    topics = sorted(set(gold) | {topic for topic in predicted if topic})
    per_topic = {}
    f1s = []
    for topic in topics:
        true_positive = sum(1 for g, p in zip(gold, predicted) if g == topic and p == topic)
        precision = _ratio(true_positive, sum(1 for p in predicted if p == topic))
        recall = _ratio(true_positive, sum(1 for g in gold if g == topic))
        f1 = _ratio(2 * precision * recall, precision + recall)
        per_topic[topic] = {"precision": precision, "recall": recall, "f1": f1,
                            "support": sum(1 for g in gold if g == topic)}
        if per_topic[topic]["support"]:
            f1s.append(f1)
    by_language = defaultdict(list)
    for language, g, p in zip(languages, gold, predicted):
        by_language[language].append(g == p)
    confusion = {g: {p: 0 for p in topics} for g in topics}
    for g, p in zip(gold, predicted):
        if p:
            confusion[g][p] += 1
    timings.sort()

    def percentile(q: float) -> float:
        index = min(len(timings) - 1, max(0, int(round(q * len(timings) + 0.5)) - 1))
        return round(timings[index], 3)

    return {
        "messages": len(rows),
        "accuracy": _ratio(sum(1 for g, p in zip(gold, predicted) if g == p), len(gold)),
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "per_language": {language: _ratio(sum(hits), len(hits)) for language, hits in sorted(by_language.items())},
        "per_topic": per_topic,
        "confusion": confusion,
        "urgent_redirect": {
            "precision": _ratio(urgent[(True, True)], urgent[(True, True)] + urgent[(False, True)]),
            "recall": _ratio(urgent[(True, True)], urgent[(True, True)] + urgent[(True, False)]),
            "support": urgent[(True, True)] + urgent[(True, False)],
            "flagged": urgent[(True, True)] + urgent[(False, True)],
        },
        "tracking_numbers": {
            "precision": _ratio(numbers["correct"], numbers["found"]) if numbers["found"] else 1.0,
            "recall": _ratio(numbers["correct"], numbers["expected"]) if numbers["expected"] else 1.0,
            "invalid_accepted": numbers["invalid_accepted"],
            "expected": numbers["expected"], "found": numbers["found"],
        },
        "latency_ms": {"p50": percentile(0.50), "p99": percentile(0.99), "max": round(timings[-1], 3)},
    }


class _Key:
    def __init__(self, item):
        self.pic_key = _number_key(item.number)


def _valid_numbers(analysis: Analysis):
    return [_Key(item) for item in analysis.entities.valid_tracking]


def report(result: dict) -> str:
    """The human-readable form of ``evaluate``'s result."""
    lines = [
        f"messages            {result['messages']}",
        f"topic accuracy      {result['accuracy']:.3f}",
        f"macro-F1            {result['macro_f1']:.3f}",
        "per language        " + "  ".join(f"{language} {value:.3f}" for language, value in result["per_language"].items()),
        "",
        f"{'topic':<22}{'precision':>10}{'recall':>8}{'f1':>8}{'n':>6}",
    ]
    for topic, scores in result["per_topic"].items():
        lines.append(f"{topic:<22}{scores['precision']:>10.3f}{scores['recall']:>8.3f}{scores['f1']:>8.3f}{scores['support']:>6}")
    topics = list(result["confusion"])
    lines += ["", "confusion (rows: expected, columns: predicted)",
              " " * 22 + "".join(f"{index:>5}" for index in range(len(topics)))]
    for index, topic in enumerate(topics):
        row = result["confusion"][topic]
        lines.append(f"{index:>2} {topic:<19}" + "".join(f"{row[other]:>5}" for other in topics))
    urgent, numbers, latency = result["urgent_redirect"], result["tracking_numbers"], result["latency_ms"]
    lines += [
        "",
        f"urgent redirect     precision {urgent['precision']:.3f}  recall {urgent['recall']:.3f}"
        f"  ({urgent['support']} expected, {urgent['flagged']} flagged)",
        f"tracking numbers    precision {numbers['precision']:.3f}  recall {numbers['recall']:.3f}"
        f"  invalid accepted {numbers['invalid_accepted']}",
        f"time per message    p50 {latency['p50']:.2f} ms  p99 {latency['p99']:.2f} ms",
    ]
    return "\n".join(lines)
