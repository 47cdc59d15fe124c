"""Per-set pass rates of the mail parser and the reply splitter on ../shared/corpora.

    .venv/bin/python bench/mail_conformance_report.py

Prints a markdown report and writes bench/results/mail_conformance.{md,json}. The same checks
run as tests in tests/domain/mail/ (there the known differences are xfail(strict=True)).
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from postdesk.domain.mail import parse  # noqa: E402
from tests.domain.mail import corpora, reply_checks  # noqa: E402

# The stdlib-only figures from the corpora README (Python 3.11.7), for comparison.
STDLIB_ZAMMAD = {"subject": "78/84", "from_email": "74/83", "plain_body": "26/28"}


def per_set_parsing() -> dict:
    sets: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for entry in corpora.entries("rfc822"):
        result = parse(corpora.read_bytes(entry["path"]))
        counter = sets[entry["set"]]
        counter["messages"] += 1
        counter["parsed"] += not any(r.startswith("ParserFailure") for r in result.repairs)
        counter["text body (non-empty)"] += bool(result.text.strip())
        counter["stdlib defects"] += bool(result.defects)
        counter["repaired"] += bool(result.repairs)
        counter["encrypted"] += result.encrypted
        counter["signed"] += result.signed
        counter["attachments"] += len(result.attachments)
        counter["automatic"] += result.automatic is not None
        counter["bounces"] += result.bounce is not None
        counter["spam flag"] += result.spam
    return {name: dict(counter) for name, counter in sorted(sets.items())}


def zammad_fields() -> dict:
    fields = {name: [0, 0, []] for name in corpora.ZAMMAD_FIELDS}
    for name, box, yml in corpora.zammad_pairs():
        raw = box.read_bytes()
        expected = corpora.load_zammad_yml(yml)
        result = parse(raw)
        for field, compare in corpora.ZAMMAD_FIELDS.items():
            ok = compare(result, expected, raw)
            if ok is None:
                continue
            fields[field][1] += 1
            if ok:
                fields[field][0] += 1
            else:
                fields[field][2].append(name)
    return {field: {"passed": p, "total": t, "misses": m} for field, (p, t, m) in fields.items()}


def expectation_sets() -> dict:
    """django-helpdesk and mail-parser: their per-file rules, as the tests check them."""
    import importlib

    module = importlib.import_module("tests.domain.mail.test_conformance")
    results = {}
    for set_name, keys, check in (
            ("django-helpdesk", sorted(module.HELPDESK), module.test_django_helpdesk_expectation),
            ("mail-parser", sorted(module.MAIL_PARSER), module.test_mail_parser_expectation)):
        failures = []
        for key in keys:
            try:
                check(key)
            except AssertionError as error:
                failures.append(f"{key}: {str(error)[:120]}")
        results[set_name] = {"passed": len(keys) - len(failures), "total": len(keys),
                             "failures": failures}
    return results


def reply_sets() -> dict:
    results = {}
    for name, build in list(reply_checks.SETS.items()) + [
            ("talon signatures (not a visible-reply set)", reply_checks.talon_signature_cases)]:
        cases = build()
        results[name] = {
            "passed": sum(case.passed for case in cases), "total": len(cases),
            "rate": round(reply_checks.rate(cases), 4),
            "failures": [f"{case.name}: {'; '.join(case.failures)[:200]}"
                         for case in cases if not case.passed],
        }
    return results


def render(report: dict) -> str:
    lines = ["# Mail conformance report", "", "## Parsing, per corpus set", "",
             "| set | messages | parsed | text body (non-empty) | stdlib defects | repaired | "
             "encrypted | signed | attachments | automatic | bounces | spam flag |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, counts in report["parsing"].items():
        lines.append("| " + " | ".join([name] + [str(counts.get(column, 0)) for column in (
            "messages", "parsed", "text body (non-empty)", "stdlib defects", "repaired",
            "encrypted", "signed", "attachments", "automatic", "bounces", "spam flag")]) + " |")
    lines += ["", "## Zammad .yml expectations", "",
              "| field | postdesk | stdlib alone (README) | misses |", "|---|---|---|---|"]
    for field, data in report["zammad"].items():
        lines.append(f"| {field} | {data['passed']}/{data['total']} | "
                     f"{STDLIB_ZAMMAD.get(field, '–')} | {', '.join(data['misses']) or '–'} |")
    lines += ["", "## Other expectation sets", "", "| set | passed | failures |", "|---|---|---|"]
    for name, data in report["expectations"].items():
        lines.append(f"| {name} | {data['passed']}/{data['total']} | "
                     f"{'; '.join(data['failures']) or '–'} |")
    lines += ["", "## Visible reply (split_reply)", "", "| set | passed | rate | failures |",
              "|---|---|---|---|"]
    for name, data in report["reply"].items():
        lines.append(f"| {name} | {data['passed']}/{data['total']} | {data['rate']:.1%} | "
                     f"{'; '.join(data['failures']) or '–'} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    if not (corpora.corpora_dir() / "manifest.json").is_file():
        print(f"corpora not found at {corpora.corpora_dir()} (set POSTDESK_SHARED)", file=sys.stderr)
        return 2
    report = {"parsing": per_set_parsing(), "zammad": zammad_fields(),
              "expectations": expectation_sets(), "reply": reply_sets()}
    markdown = render(report)
    print(markdown)
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "mail_conformance.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (out / "mail_conformance.md").write_text(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
