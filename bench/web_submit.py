"""Closed-loop load on the public web form, the same work as the peer's ``bench_web.py``.

Each virtual user has its own cookie jar and loops without think time:

    GET  /contact/track_package/   (CSRF cookie + token, and the hidden submission_id)
    POST /contact/track_package/   (multipart/form-data with an empty file field, as a browser)

A submission counts when the POST answers 302 to ``/submitted/<token>/`` (not followed), as the
peer counts a 302 to ``/view/?ticket=...``. Every POST is a new case: a fresh submission_id from
its GET and a unique email address. Only the given base URL (127.0.0.1) is ever contacted; the
loop stops by itself after the warm-up + measured window or at ``max_submissions``.

Standalone, against a server that is already running (no CPU accounting then):

    python bench/web_submit.py --base http://127.0.0.1:8000 --concurrency 8 --duration 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import sys
import time
from dataclasses import dataclass, field

import httpx

TOPIC_PATH = "/contact/track_package/"
TRACKING_NUMBER = "9400111899223818218407"

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_ID_RE = re.compile(r'name="submission_id" value="([0-9a-f]{32})"')
CASE_NUMBER_RE = re.compile(r"data-case-number>([^<]+)<")

# The peer's text pool: sample_ticket(random.Random(4242)), 2,000 samples, from the shared corpus
# generator. Looked up beside the repository (../shared/bench/corpus) unless told otherwise.
CORPUS_DIR = os.environ.get(
    "POSTDESK_BENCH_CORPUS",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "corpus"),
)


def text_pool(size: int = 2000, seed: int = 4242) -> tuple[list[dict], str]:
    """Ticket texts; the peer's pool when its generator is reachable, else a small local one."""
    corpus = os.path.abspath(CORPUS_DIR)
    if os.path.exists(os.path.join(corpus, "gen_emails.py")):
        sys.path.insert(0, corpus)
        try:
            from gen_emails import sample_ticket
        finally:
            sys.path.remove(corpus)
        rng = random.Random(seed)
        return [sample_ticket(rng) for _ in range(size)], f"gen_emails.sample_ticket(Random({seed})) x {size}"
    # Fallback so the benchmark still runs without the shared corpus; figures then compare less well.
    rng = random.Random(seed)
    pool = []
    for i in range(size):
        name = rng.choice(["Maria Lopez", "Jonas Weber", "Ann Miller", "José Peña", "Jürgen Groß"])
        pool.append({
            "name": name, "email": f"customer{i}@example.net",
            "subject": f"Package {TRACKING_NUMBER} not moving",
            "body": "Hello,\n\nmy package has shown no progress for five days. "
                    "Please check where it is.\n\nThanks,\n" + name,
        })
    return pool, "built-in fallback pool (shared corpus not found)"


def unique_email(sample: dict, tag: str) -> str:
    local, _at, domain = sample["email"].partition("@")
    return f"{local}+{tag}@{domain}"


def form_fields(page_html: str) -> tuple[str, str]:
    """CSRF token and submission_id from the form page; raises with what was missing."""
    token = TOKEN_RE.search(page_html)
    submission = SUBMISSION_ID_RE.search(page_html)
    if not token or not submission:
        raise RuntimeError("GET form: no {}".format("CSRF token" if not token else "submission_id"))
    return token.group(1), submission.group(1)


def form_data(sample: dict, *, token: str, submission_id: str, email: str) -> dict:
    return {
        "csrfmiddlewaretoken": token,
        "submission_id": submission_id,
        "email_confirmed": "",
        "name": sample["name"],
        "email": email,
        "phone": "",
        "tracking_numbers": TRACKING_NUMBER,
        "address": "",
        "date_mailed": "",
        # The peer posts title and body; our form has one text field, so it gets both.
        "description": sample["subject"] + "\n\n" + sample["body"],
    }


EMPTY_FILE = {"attachments": ("", b"", "application/octet-stream")}


async def submit_once(client: httpx.AsyncClient, base: str, sample: dict, email: str) -> dict:
    """GET the form, POST it; timings (perf_counter and wall clock) and the redirect target."""
    t0 = time.perf_counter()
    try:
        page = await client.get(TOPIC_PATH)
    except httpx.HTTPError as exc:  # name the step: "GET form: ReadError" says more than "ReadError"
        raise RuntimeError(f"GET form: {type(exc).__name__} {exc}".strip()) from exc
    t1 = time.perf_counter()
    if page.status_code != 200:
        raise RuntimeError(f"GET form {page.status_code}")
    token, submission_id = form_fields(page.text)
    wall_submit = time.time()
    t2 = time.perf_counter()
    try:
        answer = await client.post(
            TOPIC_PATH, data=form_data(sample, token=token, submission_id=submission_id, email=email),
            files=EMPTY_FILE, headers={"Referer": base + TOPIC_PATH},
        )
    except httpx.HTTPError as exc:
        raise RuntimeError(f"POST: {type(exc).__name__} {exc}".strip()) from exc
    t3 = time.perf_counter()
    wall_answer = time.time()
    location = answer.headers.get("location", "")
    if answer.status_code != 302 or "/submitted/" not in location:
        snippet = re.sub(r"\s+", " ", answer.text[:300])
        raise RuntimeError(f"POST {answer.status_code} {snippet[:160]}")
    return {"get_s": t1 - t0, "post_s": t3 - t2, "total_s": t3 - t0, "location": location,
            "wall_submit": wall_submit, "wall_answer": wall_answer}


@dataclass
class LoadState:
    max_submissions: int
    stop: bool = False
    measuring: bool = False
    count: int = 0


@dataclass
class LoadStats:
    ok: int = 0
    warmup_ok: int = 0
    get: list = field(default_factory=list)
    post: list = field(default_factory=list)
    total: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    warmup_errors: dict = field(default_factory=dict)
    # email address -> (wall clock of the POST, measured?) for matching confirmation emails
    submitted: dict = field(default_factory=dict)


async def virtual_user(index: int, base: str, pool: list[dict], run_tag: str,
                       state: LoadState, stats: LoadStats) -> None:
    rng = random.Random(1000 + index)
    sequence = 0
    async with httpx.AsyncClient(base_url=base, timeout=120.0, follow_redirects=False) as client:
        while not state.stop and state.count < state.max_submissions:
            sample = pool[rng.randrange(len(pool))]
            sequence += 1
            email = unique_email(sample, f"{run_tag}u{index}n{sequence}")
            try:
                result = await submit_once(client, base, sample, email)
            except Exception as exc:  # counted and shown; the run is bounded in time anyway
                key = (str(exc) or type(exc).__name__)[:160]
                bucket = stats.errors if state.measuring else stats.warmup_errors
                bucket[key] = bucket.get(key, 0) + 1
                await asyncio.sleep(0.05)
                continue
            state.count += 1
            # Counted by when it completed, as the peer does: completions per second of window.
            in_window = state.measuring
            stats.submitted[email.lower()] = (result["wall_submit"], in_window)
            if in_window:
                stats.ok += 1
                stats.get.append(result["get_s"])
                stats.post.append(result["post_s"])
                stats.total.append(result["total_s"])
            else:
                stats.warmup_ok += 1


async def drive(base: str, *, concurrency: int, duration: float, warmup: float, pool: list[dict],
                run_tag: str, max_submissions: int = 100_000, on_window_start=None,
                on_window_end=None) -> tuple[LoadStats, dict]:
    """Run the closed loop; ``on_window_start/end`` take CPU snapshots around the window."""
    state = LoadState(max_submissions=max_submissions)
    stats = LoadStats()
    tasks = [asyncio.create_task(virtual_user(i, base, pool, run_tag, state, stats))
             for i in range(concurrency)]
    await asyncio.sleep(warmup)
    before = on_window_start() if on_window_start else None
    me0 = resource.getrusage(resource.RUSAGE_SELF)
    state.measuring = True
    t0 = time.perf_counter()
    await asyncio.sleep(duration)
    state.measuring = False
    t1 = time.perf_counter()
    me1 = resource.getrusage(resource.RUSAGE_SELF)
    after = on_window_end() if on_window_end else None
    state.stop = True
    done, pending = await asyncio.wait(tasks, timeout=150)
    for task in pending:
        task.cancel()
    window = {
        "window_s": t1 - t0,
        "loadgen_cpu_s": (me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime),
        "cpu_before": before, "cpu_after": after,
    }
    return stats, window


def pct(values, p):
    """Nearest-rank percentile (p in 0..100), the peer's definition."""
    if not values:
        return None
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def latency_summary(seconds: list[float]) -> dict | None:
    if not seconds:
        return None
    return {"p50_ms": 1000 * pct(seconds, 50), "p95_ms": 1000 * pct(seconds, 95),
            "p99_ms": 1000 * pct(seconds, 99), "max_ms": 1000 * max(seconds), "n": len(seconds)}


def summarize(stats: LoadStats, window: dict) -> dict:
    return {
        "ok": stats.ok, "window_s": window["window_s"],
        "submissions_per_s": stats.ok / window["window_s"],
        "errors": stats.errors, "error_count": sum(stats.errors.values()),
        "warmup_ok": stats.warmup_ok, "warmup_errors": stats.warmup_errors,
        "latency_total": latency_summary(stats.total), "latency_post": latency_summary(stats.post),
        "latency_get": latency_summary(stats.get),
        "loadgen_cpu_s": window["loadgen_cpu_s"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--max-submissions", type=int, default=20_000)
    args = parser.parse_args()
    if not args.base.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]")):
        parser.error("--base must be a loopback URL")
    pool, _source = text_pool()
    stats, window = asyncio.run(drive(
        args.base, concurrency=args.concurrency, duration=args.duration, warmup=args.warmup,
        pool=pool, run_tag=f"s{int(time.time())}", max_submissions=args.max_submissions,
    ))
    print(json.dumps(summarize(stats, window), indent=1))


if __name__ == "__main__":
    main()
