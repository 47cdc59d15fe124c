"""``postdesk triage train`` and ``postdesk triage evaluate FILE.jsonl [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Train the triage model (promoted only if at least as good) or evaluate it on a labelled file."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{train,evaluate}")
        train = commands.add_parser("train", help="retrain from the shipped corpus plus agents' corrections")
        train.add_argument("--corpus", type=Path, default=None,
                           help="train on this JSONL corpus instead of the shipped one "
                                "(the held-out comparison set stays the shipped one)")
        evaluate = commands.add_parser("evaluate", help="score the current model on a labelled JSONL file")
        evaluate.add_argument("file", type=Path)
        evaluate.add_argument("--json", action="store_true", help="end with one JSON object on the last line")

    def handle(self, *args, action: str, **options):
        if action == "train":
            return self._train(options["corpus"])
        return self._evaluate(options["file"], options["json"])

    def _train(self, corpus: Path | None) -> None:
        from postdesk.triage import engine

        if corpus is not None and not corpus.is_file():
            raise CommandError(f"no such corpus file: {corpus}")
        outcome = engine.train(corpus=corpus)
        current, candidate = outcome.current_metrics, outcome.candidate_metrics
        self.stdout.write(f"corrections from agents: {outcome.corrections}")
        self.stdout.write(f"current   {outcome.current_version}: accuracy {current['accuracy']:.4f}, "
                          f"macro-F1 {current['macro_f1']:.4f} on {current['messages']} held-out messages")
        self.stdout.write(f"candidate {outcome.candidate.version}: accuracy {candidate['accuracy']:.4f}, "
                          f"macro-F1 {candidate['macro_f1']:.4f}")
        if outcome.promoted:
            self.stdout.write(f"promoted {outcome.candidate.version}")
        else:
            self.stdout.write(f"kept {outcome.current_version}: the candidate does worse on the held-out split")

    def _evaluate(self, path: Path, as_json: bool) -> None:
        from postdesk.domain.triage.analysis import analyse
        from postdesk.domain.triage.evaluation import BadInput, evaluate, read_jsonl, report
        from postdesk.triage import engine

        try:
            with path.open(encoding="utf-8") as handle:
                rows = read_jsonl(handle)
        except FileNotFoundError:
            raise CommandError(f"no such file: {path}") from None
        except BadInput as error:
            raise CommandError(f"{path}: {error}") from None
        model = engine.current_model()
        # Warm up once (lazy imports, first-call caches) so the timings are a running desk's.
        analyse("warm-up", "Where is my package 9400111899223818218407? Mailed Sept 3 to 350 5th Ave, "
                "New York, NY 10118, worth $45. Call (212) 736-5000.", model=model, default_language="de")

        def analyse_row(row: dict):
            # The row's language is the answer key, never an input.
            return analyse(row.get("subject", ""), row["body"], model=model)

        result = evaluate(rows, analyse_row)
        result["model_version"] = model.version
        self.stdout.write(f"model               {model.version}")
        self.stdout.write(report(result))
        if as_json:
            self.stdout.write(json.dumps(result, sort_keys=True))
