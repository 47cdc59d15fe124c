"""The topic model in service: where its artefacts live, which one is current, training and
promotion.

Layout under ``POSTDESK_TRIAGE_MODEL_DIR`` (default ``var/triage``):

    models/<version>.pickle   every model ever promoted
    current.json              {"version": ..., "metrics": ..., "history": [...]}

The shipped corpus (``data/corpus.jsonl``) has a fixed held-out part (``split: heldout``) that
no served model trains on, so any two models can be compared on it fairly. ``train``:

1. collects training examples: the corpus's train part plus agents' corrections (four in
   five; the fifth joins the held-out set, chosen by case id so it never moves);
2. trains a candidate and scores it and the current model on the same held-out set;
3. promotes the candidate only if its accuracy is at least the current model's (ties on
   accuracy are broken by macro-F1 not being lower); otherwise keeps the current one.

When no model exists (a fresh install), the first use trains the default one from the corpus:
a few seconds, once.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from postdesk.domain.triage.analysis import analyse
from postdesk.domain.triage.classifier import Example, TopicModel, model_text
from postdesk.domain.triage.classifier import train as train_model
from postdesk.domain.triage.evaluation import read_jsonl

CORPUS = Path(__file__).resolve().parent / "data" / "corpus.jsonl"
_lock = threading.Lock()
_cache: dict[str, TopicModel] = {}


def model_dir() -> Path:
    return Path(settings.POSTDESK_TRIAGE_MODEL_DIR)


def _pointer() -> Path:
    return model_dir() / "current.json"


def _read_pointer() -> dict:
    try:
        return json.loads(_pointer().read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _write_pointer(data: dict) -> None:
    path = _pointer()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2), encoding="utf-8")
    temporary.replace(path)


def current_model() -> TopicModel:
    """The promoted model (cached per process); trains and promotes the default on first use."""
    pointer = _read_pointer()
    version = pointer.get("version")
    if version and version in _cache:
        return _cache[version]
    with _lock, _file_lock():
        # Another thread or process may have trained the default while this one waited.
        pointer = _read_pointer()
        version = pointer.get("version")
        path = model_dir() / "models" / f"{version}.pickle" if version else None
        if path is None or not path.exists():
            model = train_default()
        else:
            model = TopicModel.load(path)
        _cache.clear()
        _cache[model.version] = model
        _freeze()
        return model


@contextmanager
def _file_lock():
    """One process trains the default model; the others (web, workers, a pipe per email)
    wait a few seconds and load it."""
    import fcntl

    model_dir().mkdir(parents=True, exist_ok=True)
    with (model_dir() / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _freeze() -> None:
    """Move the loaded model out of the garbage collector's sight: its vocabularies are dicts
    of a few hundred thousand strings, and every full collection walking them paused a
    message by 10-30 ms (the p99). They live as long as the process anyway."""
    import gc

    gc.collect()
    gc.freeze()


def corpus_rows(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return read_jsonl(handle)


def heldout_rows() -> list[dict]:
    return [row for row in corpus_rows() if row.get("split") == "heldout"]


def _examples(rows: list[dict]) -> list[Example]:
    return [Example(row.get("subject", ""), row["body"], row["topic"]) for row in rows]


def accuracy(model: TopicModel, rows: list[dict]) -> dict:
    """Accuracy and macro-F1 of ``model`` on labelled rows (topic only: what promotion needs)."""
    from sklearn.metrics import accuracy_score, f1_score

    texts = [model_text(row.get("subject", ""), row["body"]) for row in rows]
    gold = [row["topic"] for row in rows]
    predicted = model.predict_many(texts)
    return {"accuracy": round(float(accuracy_score(gold, predicted)), 4),
            "macro_f1": round(float(f1_score(gold, predicted, average="macro")), 4),
            "messages": len(rows)}


def _promote(model: TopicModel, metrics: dict, *, note: str) -> None:
    model.metrics = metrics
    model.save(model_dir() / "models" / f"{model.version}.pickle")
    pointer = _read_pointer()
    history = pointer.get("history", [])
    history.append({"version": model.version, "trained_at": model.trained_at, "examples": model.examples,
                    "metrics": metrics, "note": note})
    _write_pointer({"version": model.version, "metrics": metrics, "history": history[-50:]})
    _cache.clear()
    _cache[model.version] = model


def train_default() -> TopicModel:
    rows = corpus_rows()
    model = train_model(_examples([row for row in rows if row.get("split") != "heldout"]))
    _promote(model, accuracy(model, [row for row in rows if row.get("split") == "heldout"]),
             note="default model from the shipped corpus")
    return model


@dataclass(frozen=True)
class TrainingOutcome:
    promoted: bool
    candidate: TopicModel
    candidate_metrics: dict
    current_version: str
    current_metrics: dict
    corrections: int


def _corrections() -> list[dict]:
    from postdesk.triage.models import TriageLabel

    return [{"id": f"label-{label.case_id}", "subject": label.subject, "body": label.body,
             "topic": label.topic, "language": label.language, "case_id": label.case_id}
            for label in TriageLabel.objects.all().order_by("case_id")]


def train(*, corpus: Path | None = None) -> TrainingOutcome:
    """Retrain from the corpus plus agents' corrections; promote only a model at least as good."""
    corrections = _corrections()
    held_corrections = [row for row in corrections if row["case_id"] % 5 == 0]
    train_corrections = [row for row in corrections if row["case_id"] % 5 != 0]
    training_rows = [row for row in corpus_rows(corpus or CORPUS) if row.get("split") != "heldout"]
    heldout = heldout_rows() + held_corrections
    current = current_model()
    current_metrics = accuracy(current, heldout)
    candidate = train_model(_examples(training_rows + train_corrections))
    candidate_metrics = accuracy(candidate, heldout)
    better = (candidate_metrics["accuracy"] > current_metrics["accuracy"]
              or (candidate_metrics["accuracy"] == current_metrics["accuracy"]
                  and candidate_metrics["macro_f1"] >= current_metrics["macro_f1"]))
    if better:
        _promote(candidate, candidate_metrics,
                 note=f"retrained with {len(train_corrections)} corrections")
    return TrainingOutcome(better, candidate, candidate_metrics, current.version, current_metrics,
                           len(corrections))


def analyse_message(subject: str, body: str, *, default_language: str = "en"):
    return analyse(subject, body, model=current_model(), default_language=default_language)
