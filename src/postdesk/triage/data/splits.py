"""Accuracy of the topic model on the shipped corpus under three splits, per language:

    random     the corpus's own held-out part (``split: heldout``, 20 % per topic and language)
    style      leave one author style out: train on the other five, test on it (six rounds)
    sentence   hold out every fifth core sentence: test messages are built from sentences the
               model never saw (the closest the corpus gets to independent writing)

``python -m postdesk.triage.data.splits`` (takes about a minute); numbers go to docs/triage.md.
"""

from __future__ import annotations

import sys
from collections import defaultdict

from postdesk.domain.triage.classifier import Example, model_text, train
from postdesk.domain.triage.evaluation import read_jsonl
from postdesk.triage.data.build_corpus import OUT, STYLES


def score(train_rows: list[dict], test_rows: list[dict]) -> dict:
    model = train([Example(row["subject"], row["body"], row["topic"]) for row in train_rows])
    predicted = model.predict_many([model_text(row["subject"], row["body"]) for row in test_rows])
    hits = defaultdict(list)
    for row, topic in zip(test_rows, predicted):
        hits[row["language"]].append(topic == row["topic"])
        hits["all"].append(topic == row["topic"])
    return {language: (sum(values) / len(values), len(values)) for language, values in hits.items()}


def line(name: str, result: dict) -> str:
    return f"{name:<22}" + "  ".join(f"{language} {result[language][0]:.3f}" for language in ("all", "en", "de", "es")) \
        + f"  (n={result['all'][1]})"


def main() -> int:
    rows = read_jsonl(OUT.open(encoding="utf-8"))
    print(line("random (held-out)", score([r for r in rows if r["split"] == "train"],
                                          [r for r in rows if r["split"] == "heldout"])))
    pooled = defaultdict(lambda: [0, 0])
    for style in STYLES:
        result = score([r for r in rows if r["author_style"] != style], [r for r in rows if r["author_style"] == style])
        print(line(f"style: {style}", result))
        for language, (accuracy, count) in result.items():
            pooled[language][0] += accuracy * count
            pooled[language][1] += count
    print(line("style (pooled)", {language: (total / count, count) for language, (total, count) in pooled.items()}))

    def core(row):
        return int(row["template"].rsplit(":", 1)[1])

    print(line("unseen sentences", score([r for r in rows if core(r) % 5], [r for r in rows if not core(r) % 5])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
