"""``postdesk triage train`` promotes only a model at least as good as the current one;
``postdesk triage evaluate`` prints every figure and, with --json, one JSON object last."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from postdesk.triage import engine
from postdesk.triage.models import TriageLabel
from tests.triage.conftest import send

SAMPLE = Path(__file__).with_name("data") / "independent_sample.jsonl"


def run(*args) -> str:
    out = StringIO()
    call_command("triage", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_retraining_refuses_a_worse_model(private_models, tmp_path):
    before = engine.current_model().version
    rows = [json.loads(line) for line in engine.CORPUS.read_text(encoding="utf-8").splitlines()]
    topics = sorted({row["topic"] for row in rows})
    # Every training label shifted to the next topic: a model that learns the wrong thing.
    poisoned = tmp_path / "poisoned.jsonl"
    poisoned.write_text("\n".join(json.dumps({**row, "topic": topics[(topics.index(row["topic"]) + 1) % len(topics)]})
                                  for row in rows), encoding="utf-8")
    output = run("train", "--corpus", str(poisoned))
    assert f"kept {before}: the candidate does worse on the held-out split" in output
    assert engine.current_model().version == before
    pointer = json.loads((private_models / "current.json").read_text())
    assert pointer["version"] == before


@pytest.mark.django_db
def test_retraining_with_corrections_promotes_a_model_as_good_and_new_cases_carry_its_version(private_models):
    case = send(body="My account is locked.").case
    TriageLabel.objects.create(case=case, topic="informed_delivery", source="topic_change",
                               body="Konto gesperrt, ich komme nicht rein", language="de")
    before = engine.current_model().version
    output = run("train")
    assert "corrections from agents: 1" in output
    after = engine.current_model().version
    assert f"promoted {after}" in output and after != before
    new = send(sender="olive.other@example.com", body="My password reset link does not work.").case
    new.refresh_from_db()
    assert new.triage.model_version == after


@pytest.mark.django_db
def test_evaluate_prints_the_report_and_json_on_the_last_line():
    output = run("evaluate", str(SAMPLE), "--json")
    lines = output.strip().splitlines()
    for label in ("topic accuracy", "macro-F1", "per language", "confusion (rows: expected, columns: predicted)",
                  "urgent redirect", "tracking numbers", "time per message"):
        assert any(line.startswith(label) for line in lines), label
    assert "invalid accepted 0" in output
    result = json.loads(lines[-1])
    assert set(result) >= {"accuracy", "macro_f1", "per_language", "per_topic", "confusion", "urgent_redirect",
                           "tracking_numbers", "latency_ms"}
    assert set(result["per_language"]) == {"en", "de", "es"}
    assert set(result["urgent_redirect"]) >= {"precision", "recall"}
    assert set(result["tracking_numbers"]) >= {"precision", "recall", "invalid_accepted"}
    assert set(result["latency_ms"]) >= {"p50", "p99"}
    assert result["tracking_numbers"]["invalid_accepted"] == 0
    assert result["accuracy"] >= 0.9


@pytest.mark.django_db
def test_evaluate_without_json_prints_no_json():
    assert not run("evaluate", str(SAMPLE)).strip().splitlines()[-1].startswith("{")


def test_evaluate_names_a_bad_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1"}\n', encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("evaluate", str(bad))
    assert str(caught.value) == f"{bad}: line 1: missing subject, body, topic"
    with pytest.raises(CommandError) as caught:
        run("evaluate", str(tmp_path / "missing.jsonl"))
    assert str(caught.value) == f"no such file: {tmp_path / 'missing.jsonl'}"
