"""The visible-reply fixtures of email-reply-parser, mail-parser-reply and talon, turned into
checks on ``split_reply`` (and ``split_signoff`` where a set asks for the bare body).

Each fixture becomes one case; a case passes when all its checks pass. How the upstream
expectations map onto our (visible, folded) split:

- email-reply-parser: ``visible_reply_*`` compare with ``visible``. ``library_fragments``:
  strings of fragments flagged hidden must be in ``folded``, strings of the other fragments in
  ``visible``; a single fragment means nothing folds.
- mail-parser-reply: reply 0 is the message itself. Its ``body`` is our visible part without a
  closing salutation (``split_signoff``), its ``signatures`` are that salutation plus whatever we
  fold as signature. Replies 1.. are history: what they contain must be in ``folded``; more
  than one reply means something must fold. ``body_equals`` of reply 0 is compared without the
  trailing separator rule that mail-parser-reply leaves in the body (we fold it with the
  history).
- talon: quote stripping only (talon keeps signatures), so the expected reply is passed through
  our own signature folding before comparing: ``visible == split_reply(expected)[0]``. HTML
  replies go through ``html.html_to_text`` first and are compared with all whitespace removed.
  talon's signature-extraction samples (``signature/emails/stripped``) test a different
  feature (finding a signature by the sender's name) and are reported apart.

Whitespace is normalised for ``contains`` checks (upstream re-wraps lines differently).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from postdesk.domain.mail.html import html_to_text
from postdesk.domain.mail.reply import split_reply, split_signoff
from tests.domain.mail import corpora


@dataclass
class Case:
    set_name: str
    name: str
    failures: list[str] = field(default_factory=list)
    checks: int = 0

    def check(self, ok: bool, message: str) -> None:
        self.checks += 1
        if not ok:
            self.failures.append(message)

    @property
    def passed(self) -> bool:
        return not self.failures


def _ns(text: str) -> str:
    return " ".join((text or "").split())


def _contains(haystack: str, needle: str) -> bool:
    return _ns(needle) in _ns(haystack)


def _read_text(relative: str) -> str:
    return corpora.read_bytes(relative).decode("utf-8")


def _split_timed(text: str) -> tuple[str, str, float]:
    started = time.perf_counter()
    visible, folded = split_reply(text)
    return visible, folded, time.perf_counter() - started


# --- email-reply-parser -------------------------------------------------------------------------
def email_reply_parser_cases() -> list[Case]:
    expectations = corpora.derived("email-reply-parser")["cases"]
    cases = []
    for key, rules in expectations.items():
        text = _read_text(f"email-reply-parser/{key}")
        visible, folded, seconds = _split_timed(text)
        case = Case("email-reply-parser", key)
        for rule, value in rules.items():
            if rule in ("visible_reply_equals", "visible_reply_equals_after_strip"):
                case.check(visible.strip() == value.strip(), f"visible {visible!r} != {value!r}")
            elif rule == "visible_reply_contains":
                for needle in value:
                    case.check(_contains(visible, needle), f"visible lacks {needle!r}")
            elif rule == "visible_reply_not_contains":
                for needle in value:
                    case.check(not _contains(visible, needle), f"visible has {needle!r}")
            elif rule == "performance":
                case.check(seconds < 1.0, f"took {seconds:.2f}s")
            elif rule == "library_fragments":
                _fragment_checks(case, value, text, visible, folded)
        case.check(seconds < 1.0, f"took {seconds:.2f}s")
        cases.append(case)
    return cases


def _fragment_checks(case: Case, fragments: dict, text: str, visible: str, folded: str) -> None:
    hidden = fragments.get("hidden")
    if fragments.get("count") == 1:
        case.check(not folded.strip(), f"single fragment but folded {folded[:80]!r}")
    for index, needles in (fragments.get("contains") or {}).items():
        index = int(index)
        if hidden is not None and index < len(hidden):
            is_hidden = hidden[index]
        elif index == 0:
            is_hidden = False
        else:
            continue
        for needle in needles:
            target, where = (folded, "folded") if is_hidden else (visible, "visible")
            case.check(_contains(target, needle), f"fragment {index} {needle!r} not in {where}")


# --- mail-parser-reply --------------------------------------------------------------------------
_TRAILING_RULE = re.compile(r"(?:\s*\n\s*[-_=]{5,}\s*)+$")


def mail_parser_reply_cases() -> list[Case]:
    expectations = corpora.derived("mail-parser-reply")["cases"]
    cases = []
    for key, rules in expectations.items():
        text = _read_text(f"mail-parser-reply/{key}")
        visible, folded, seconds = _split_timed(text)
        body, signoff = split_signoff(visible)
        signature = "\n".join(part for part in (signoff, folded) if part)
        case = Case("mail-parser-reply", key)
        case.check(seconds < 1.0, f"took {seconds:.2f}s")
        replies = rules.get("replies")
        if replies and replies > 1:
            case.check(bool(folded.strip()), f"{replies} replies but nothing folded")
        if "latest_reply_line_count" in rules:
            count = len(visible.strip("\n").split("\n"))
            case.check(count == rules["latest_reply_line_count"],
                       f"visible has {count} lines, not {rules['latest_reply_line_count']}")
        for index, checks in (rules.get("checks") or {}).items():
            if index == "0":
                _latest_reply_checks(case, checks, visible, body, signature)
            else:
                for rule, value in checks.items():
                    if rule == "body_not_contains":
                        continue  # how the history splits further is not ours to say
                    for needle in value if isinstance(value, list) else [value]:
                        case.check(_contains(folded, needle),
                                   f"reply {index} {rule} {needle!r} not folded")
        cases.append(case)
    return cases


def _latest_reply_checks(case: Case, checks: dict, visible: str, body: str,
                         signature: str) -> None:
    for rule, value in checks.items():
        if rule == "body_equals":
            expected = _TRAILING_RULE.sub("", value).strip()
            case.check(body.strip() == expected, f"body {body.strip()!r} != {expected!r}")
        elif rule == "body_contains":
            for needle in value:
                case.check(_contains(body, needle), f"body lacks {needle!r}")
        elif rule == "body_not_contains":
            for needle in value:
                case.check(not _contains(body, needle), f"body has {needle!r}")
        elif rule == "content_contains":
            for needle in value:
                case.check(_contains(visible + "\n" + signature, needle), f"lost {needle!r}")
        elif rule == "signatures_contains":
            for needle in value:
                case.check(_contains(signature, needle), f"signature lacks {needle!r}")
        elif rule == "signatures_equals":
            case.check(_ns(signature) == _ns(value), f"signature {signature!r} != {value!r}")
        elif rule == "signatures_starts_with":
            case.check(signature.strip().startswith(value),
                       f"signature {signature[:40]!r} does not start with {value!r}")
        elif rule == "headers_contains":
            for needle in value:
                case.check(_contains(visible, needle), f"header lacks {needle!r}")


# --- talon -------------------------------------------------------------------------------------
def talon_cases() -> list[Case]:
    from postdesk.domain.mail import parse

    cases = []
    for entry in corpora.entries(set_name="talon"):
        path = entry["path"]
        name = path.split("/fixtures/", 1)[-1]
        if "/standard_replies/" in path:
            message = parse(corpora.read_bytes(path))
            expectation = entry.get("expectation") or ""
            expected = (_read_text(expectation).strip()
                        if expectation and not expectation.endswith(".json") else "Hello")
            visible, folded, seconds = _split_timed(message.text)
            wanted = split_reply(expected)[0]
            case = Case("talon", name)
            case.check(visible.strip() == wanted.strip(), f"visible {visible!r} != {wanted!r}")
            cases.append(case)
        elif "/html_replies/" in path:
            visible, folded, seconds = _split_timed(html_to_text(_read_text(path)))
            case = Case("talon", name)
            squeezed = re.sub(r"\s", "", visible)
            case.check(squeezed == "Hi.Iamfine.Thanks,Alex", f"visible {squeezed!r}")
            cases.append(case)
        elif path.endswith(("OLK_SRC_BODY_SECTION.html", "reply-separated-by-hr.html")):
            visible, folded, seconds = _split_timed(html_to_text(_read_text(path)))
            wanted = "Reply" if "OLK" in path else "Hithere"
            squeezed = re.sub(r"\s", "", visible)
            case = Case("talon", name)
            case.check(squeezed == wanted, f"visible {squeezed!r} != {wanted!r}")
            cases.append(case)
        elif path.endswith("reply-quotations-share-block.eml"):
            visible, folded, seconds = _split_timed(
                corpora.read_bytes(path).decode("utf-8", "replace"))
            case = Case("talon", name)
            case.check(bool(visible.strip()), "empty visible part")
            case.check("From" not in visible, f"visible has 'From': {visible[-200:]!r}")
            cases.append(case)
    return cases


def talon_signature_cases() -> list[Case]:
    """talon's signature-extraction samples: our signature = what split_reply folds as
    signature plus the sign-off split_signoff finds."""
    cases = []
    for entry in corpora.entries(set_name="talon"):
        path = entry["path"]
        if "/signature/emails/stripped/" not in path or not path.endswith("_body"):
            continue
        text = _read_text(path)
        expected = _read_text(entry["expectation"]).strip()
        visible, folded = split_reply(text)
        signoff = split_signoff(visible)[1]
        ours = "\n".join(part for part in (signoff, folded) if part).strip()
        case = Case("talon-signature", path.rsplit("/", 1)[-1])
        case.check(_ns(ours) == _ns(expected), f"signature {ours!r} != {expected!r}")
        cases.append(case)
    return cases


SETS = {
    "email-reply-parser": email_reply_parser_cases,
    "mail-parser-reply": mail_parser_reply_cases,
    "talon": talon_cases,
}


def rate(cases: list[Case]) -> float:
    return sum(case.passed for case in cases) / len(cases) if cases else 0.0
