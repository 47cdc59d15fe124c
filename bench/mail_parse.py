"""Mail parsing speed and correctness: postdesk ``parse()`` vs the plain stdlib vs fast-mail-parser.

    .venv/bin/python bench/mail_parse.py [--generated /tmp/postdesk_bench_mail] [--repeat 5]

Two inputs:

1. the 250 rfc822 messages of ../shared/corpora (real-world, hard: 12 MB, mostly Zammad);
2. 2,000 messages from ../shared/bench/corpus/gen_emails.py (seed 42; generated into /tmp on
   first use), realistic customer mail in en/de/es with ground truth in its manifest.

Speed is messages per second, best of ``--repeat`` runs, one process, parse only (all bytes
read beforehand). "stdlib" is the corpora README's baseline call: ``message_from_bytes(policy=
default)``, every header read, ``get_body(("plain", "html")).get_content()``; it is the floor
any parser built on the stdlib pays. fast-mail-parser (Rust, PyPI wheel) is measured only when
it is installed (``pip install fast-mail-parser==0.10.0``; it is not a project dependency).

Correctness is counted on the same inputs: Zammad's .yml expectations (subject, from_email,
text/plain body) and the generator's ground truth (subject, sender address, the body probe
sentence, attachment SHA-256s). Results go to stdout and bench/results/mail_parse.{json,md}.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import hashlib
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

from postdesk.domain.mail import parse  # noqa: E402
from tests.domain.mail import corpora  # noqa: E402

GENERATOR = corpora.shared_dir() / "bench" / "corpus" / "gen_emails.py"


# --- the parsers, each returning the same shape ---------------------------------------------------
def postdesk_parse(raw: bytes):
    return parse(raw)


def stdlib_parse(raw: bytes):
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {}
    for key, value in message.items():
        headers.setdefault(key.lower(), str(value))
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        try:
            text = body.get_content()
        except (LookupError, KeyError, ValueError):
            text = ""
    from_address = ""
    try:
        addresses = message["from"].addresses if message["from"] is not None else ()
        from_address = addresses[0].addr_spec.lower() if addresses else ""
    except (AttributeError, IndexError, TypeError):
        pass
    attachments = []
    for part in message.iter_attachments():
        try:
            content = part.get_payload(decode=True) or b""
        except Exception:  # noqa: BLE001
            content = b""
        attachments.append(SimpleNamespace(filename=part.get_filename() or "", content=content,
                                           content_type=part.get_content_type()))
    return SimpleNamespace(subject=headers.get("subject", ""), from_address=from_address,
                           text=text, html="", attachments=attachments)


def stdlib_structure_only(raw: bytes):
    """Only the MIME tree (the feedparser), no header or body read: the floor of any parser
    that builds on ``email.message_from_bytes(policy=default)``."""
    return email.message_from_bytes(raw, policy=email.policy.default)


def fast_mail_parser_parse(raw: bytes):
    from fast_mail_parser import parse_email

    result = parse_email(raw)
    sender = result.from_
    if isinstance(sender, list):
        sender = sender[0] if sender else None
    text = "\n".join(result.text_plain or []) or "\n".join(result.text_html or [])
    return SimpleNamespace(
        subject=result.subject or "",
        from_address=(getattr(sender, "address", "") or "").lower(),
        text=text.replace("\r\n", "\n"), html="",
        attachments=[SimpleNamespace(filename=a.filename or "", content=bytes(a.content),
                                     content_type=a.mimetype or "") for a in result.attachments])


def available_parsers() -> dict:
    parsers = {"postdesk": postdesk_parse, "stdlib": stdlib_parse}
    try:
        import fast_mail_parser  # noqa: F401

        parsers["fast-mail-parser"] = fast_mail_parser_parse
    except ImportError:
        pass
    return parsers


def safe(function, raw: bytes):
    try:
        return function(raw), None
    except Exception as error:  # noqa: BLE001 - a crash is a result here
        return None, f"{type(error).__name__}: {error}"[:200]


# --- inputs --------------------------------------------------------------------------------------
def corpus_messages() -> list[tuple[str, bytes]]:
    return [(entry["path"], corpora.read_bytes(entry["path"])) for entry in corpora.entries("rfc822")]


def generated_messages(directory: Path, count: int) -> tuple[list[tuple[str, bytes]], list[dict]]:
    if not (directory / "manifest.jsonl").is_file():
        subprocess.run([sys.executable, str(GENERATOR), str(directory), "-n", str(count),
                        "--seed", "42", "--force"], check=True, stdout=subprocess.DEVNULL)
    manifest = [json.loads(line) for line in (directory / "manifest.jsonl").read_text().splitlines()
                if line.strip()]
    manifest = [row for row in manifest if "file" in row][:count]
    messages = [(row["file"], (directory / "mail" / row["file"]).read_bytes()) for row in manifest]
    return messages, manifest


# --- measurements --------------------------------------------------------------------------------
def speed(function, messages, repeat: int) -> dict:
    """Best of ``repeat`` passes, and the first pass on its own (the header caches of our
    policy start empty then, as in a freshly started worker)."""
    runs = []
    crashes = 0
    crashed: list[str] = []
    from postdesk.domain.mail import parser as postdesk_parser

    postdesk_parser._POLICY.header_factory._parsed.clear()  # a cold first pass
    for _ in range(repeat):
        started = time.perf_counter()
        for name, raw in messages:
            try:
                function(raw)
            except Exception:  # noqa: BLE001
                crashes += 1
                if not runs:
                    crashed.append(name)
        runs.append(time.perf_counter() - started)
    best = min(runs)
    megabytes = sum(len(raw) for _, raw in messages) / 1e6
    return {"messages": len(messages), "seconds": round(best, 4),
            "messages_per_second": round(len(messages) / best, 1),
            "first_pass_messages_per_second": round(len(messages) / runs[0], 1),
            "mb_per_second": round(megabytes / best, 2), "crashes": crashes // repeat,
            "crashed": crashed}


_EMPTY = SimpleNamespace(subject="", from_address="", text="", html="", attachments=[])


def zammad_correctness(function) -> dict:
    counts = {"subject": [0, 0], "from_email": [0, 0], "plain_body": [0, 0], "crashed": 0}
    misses = {"subject": [], "from_email": [], "plain_body": []}
    for name, box, yml in corpora.zammad_pairs():
        expected = corpora.load_zammad_yml(yml)
        raw = box.read_bytes()
        result, error = safe(function, raw)
        if result is None:
            counts["crashed"] += 1
        for field in ("subject", "from_email", "plain_body"):
            if corpora.ZAMMAD_FIELDS[field](_EMPTY, expected, raw) is None:
                continue  # no expectation for this field
            ok = corpora.ZAMMAD_FIELDS[field](result, expected, raw) if result else False
            counts[field][1] += 1
            counts[field][0] += bool(ok)
            if not ok:
                misses[field].append(name)
    return {"counts": counts, "misses": misses}


def generated_correctness(function, messages, manifest) -> dict:
    checks = {"subject": 0, "from_address": 0, "body_probe": 0, "attachments": 0, "crashed": 0}
    misses: dict[str, list[str]] = {key: [] for key in checks}
    for (name, raw), truth in zip(messages, manifest):
        result, error = safe(function, raw)
        if result is None:
            checks["crashed"] += 1
            misses["crashed"].append(name)
            continue
        outcomes = {
            "subject": " ".join(result.subject.split()) == " ".join(truth["subject"].split()),
            "from_address": result.from_address == truth["from_addr"].lower(),
            "body_probe": " ".join(truth["body_probe"].split()) in " ".join(result.text.split()),
            "attachments": sorted(hashlib.sha256(a.content).hexdigest() for a in result.attachments)
            == sorted(a["sha256"] for a in truth.get("attachments", [])),
        }
        for key, ok in outcomes.items():
            checks[key] += ok
            if not ok:
                misses[key].append(name)
    return {"total": len(messages), "checks": checks,
            "misses": {key: value[:10] for key, value in misses.items() if value}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--generated", type=Path, default=Path("/tmp/postdesk_bench_mail"))
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    args = parser.parse_args()

    corpus = corpus_messages()
    generated, manifest = generated_messages(args.generated, args.count)
    parsers = available_parsers()
    for function in parsers.values():  # warm imports (inscriptis, lxml, nh3) outside the timing
        safe(function, corpus[0][1])

    report = {"python": platform.python_version(), "machine": platform.machine(),
              "inputs": {"corpora_rfc822": len(corpus), "generated": len(generated)},
              "parsers": {}}
    report["structure_only"] = {
        "stdlib message_from_bytes only": {
            "speed_corpora": speed(stdlib_structure_only, corpus, args.repeat),
            "speed_generated": speed(stdlib_structure_only, generated, args.repeat)}}
    for name, function in parsers.items():
        report["parsers"][name] = {
            "speed_corpora": speed(function, corpus, args.repeat),
            "speed_generated": speed(function, generated, args.repeat),
            "zammad": zammad_correctness(function),
            "generated": generated_correctness(function, generated, manifest),
        }

    markdown = render(report)
    print(markdown)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "mail_parse.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (args.out / "mail_parse.md").write_text(markdown)
    return 0


def render(report: dict) -> str:
    lines = [f"# Mail parse benchmark (Python {report['python']}, {report['machine']})", "",
             f"Inputs: {report['inputs']['corpora_rfc822']} corpora messages, "
             f"{report['inputs']['generated']} generated messages.", "",
             "| parser | corpora msg/s (first pass) | corpora MB/s | generated msg/s (first pass) "
             "| crashes | "
             "Zammad subject | Zammad from | Zammad plain body | gen. subject | gen. from | "
             "gen. body probe | gen. attachments |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, data in report["parsers"].items():
        zammad = data["zammad"]["counts"]
        generated = data["generated"]
        total = generated["total"]
        checks = generated["checks"]
        lines.append(
            f"| {name} | {data['speed_corpora']['messages_per_second']} "
            f"({data['speed_corpora']['first_pass_messages_per_second']}) | "
            f"{data['speed_corpora']['mb_per_second']} | "
            f"{data['speed_generated']['messages_per_second']} "
            f"({data['speed_generated']['first_pass_messages_per_second']}) | "
            f"{data['speed_corpora']['crashes'] + data['speed_generated']['crashes']} | "
            f"{zammad['subject'][0]}/{zammad['subject'][1]} | "
            f"{zammad['from_email'][0]}/{zammad['from_email'][1]} | "
            f"{zammad['plain_body'][0]}/{zammad['plain_body'][1]} | "
            f"{checks['subject']}/{total} | {checks['from_address']}/{total} | "
            f"{checks['body_probe']}/{total} | {checks['attachments']}/{total} |")
    for name, data in report.get("structure_only", {}).items():
        lines.append(f"| {name} (no headers or body read) | "
                     f"{data['speed_corpora']['messages_per_second']} "
                     f"({data['speed_corpora']['first_pass_messages_per_second']}) | "
                     f"{data['speed_corpora']['mb_per_second']} | "
                     f"{data['speed_generated']['messages_per_second']} "
                     f"({data['speed_generated']['first_pass_messages_per_second']}) | "
                     "– | – | – | – | – | – | – | – |")
    lines += ["", "Misses (first 10 per check):", ""]
    for name, data in report["parsers"].items():
        zammad_misses = {k: v for k, v in data["zammad"]["misses"].items() if v}
        crashed = data["speed_corpora"]["crashed"] + data["speed_generated"]["crashed"]
        lines.append(f"- **{name}**: raised on {crashed or 'nothing'}; "
                     f"Zammad {zammad_misses or 'none'}; "
                     f"generated {data['generated']['misses'] or 'none'}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
