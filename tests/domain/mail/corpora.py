"""Finding the shared mail corpora and reading their expectations (no Django, no database).

The corpora live beside the repository in ``../shared/corpora``; ``POSTDESK_SHARED`` points
elsewhere. Used by the conformance tests and by ``bench/mail_conformance_report.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def shared_dir() -> Path:
    return Path(os.environ.get("POSTDESK_SHARED") or REPO.parent / "shared")


def corpora_dir() -> Path:
    return shared_dir() / "corpora"


def corpora_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("POSTDESK_REQUIRE_SERVICES"))


@lru_cache(maxsize=1)
def manifest() -> list[dict]:
    return json.loads((corpora_dir() / "manifest.json").read_text(encoding="utf-8"))["messages"]


def entries(kind: str | None = None, set_name: str | None = None) -> list[dict]:
    return [entry for entry in manifest()
            if (kind is None or entry["kind"] == kind) and (set_name is None or entry["set"] == set_name)]


def read_bytes(relative: str) -> bytes:
    return (corpora_dir() / relative).read_bytes()


@lru_cache(maxsize=None)
def derived(set_name: str, name: str = "EXPECTATIONS.derived.json") -> dict:
    return json.loads((corpora_dir() / set_name / name).read_text(encoding="utf-8"))


# --- Zammad .yml -------------------------------------------------------------------------------
def load_zammad_yml(path: Path) -> dict:
    import yaml

    class ZammadLoader(yaml.SafeLoader):
        pass

    ZammadLoader.add_constructor(
        "!ruby/hash:ActiveSupport::HashWithIndifferentAccess",
        lambda loader, node: loader.construct_mapping(node, deep=True))
    ZammadLoader.add_constructor(
        "!binary", lambda loader, node: base64.b64decode(loader.construct_scalar(node)))
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=ZammadLoader)


def normalise_space(text: str) -> str:
    return " ".join((text or "").split())


def zammad_body(expected: dict) -> str:
    body = expected.get("body") or ""
    return "" if body.strip() == "no visible content" else body


# HTML 4 and Zammad map &lang;/&rang; to U+2329/U+3008, HTML 5 (and so nh3) to U+27E8: one
# character for the comparison.
_ANGLE_BRACKETS = str.maketrans({"\u2329": "\u27e8", "\u3008": "\u27e8", "\u232a": "\u27e9",
                                 "\u3009": "\u27e9"})


def html_to_loose_text(html: str) -> str:
    import html as html_module

    text = re.sub(r"(?s)<[^>]*>", " ", html or "")
    return normalise_space(html_module.unescape(text)).translate(_ANGLE_BRACKETS)


def html_title(raw: bytes) -> str:
    """The <title> of a message's HTML: Zammad keeps it as leading body text, we drop it
    (a title is not shown by mail clients)."""
    import email
    import email.policy

    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("html",))
        html = body.get_content() if body is not None else ""
    except Exception:  # noqa: BLE001 - the charset may be unknown to the stdlib
        html = ""
    match = re.search(r"(?is)<title[^>]*>(.*?)</title>", html)
    return html_to_loose_text(match.group(1)) if match else ""


def md5(data) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.md5(data or b"").hexdigest()


def _text_like(content_type: str) -> bool:
    return content_type.lower().startswith(("text/", "message/"))


def attachment_digest(data, content_type: str) -> str:
    """MD5 of an attachment; for text and message/* parts after CRLF -> LF, because Zammad
    turns every CRLF of a mail into LF before parsing, while we keep the sender's bytes."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if _text_like(content_type):
        data = (data or b"").replace(b"\r\n", b"\n")
    return md5(data)


def zammad_attachments(expected: dict) -> list[tuple[str, str]]:
    """(filename, digest) of the real attachments: Zammad also stores the HTML alternative of a
    message as an attachment "message.html" (preference content-alternative), which is the
    body, not a file the sender attached."""
    found = []
    for attachment in expected.get("attachments") or []:
        preferences = attachment.get("preferences") or {}
        if preferences.get("content-alternative"):
            continue
        content_type = preferences.get("Content-Type") or preferences.get("Mime-Type") or ""
        found.append((attachment.get("filename") or "",
                      attachment_digest(attachment.get("data"), content_type)))
    return found


def zammad_pairs() -> list[tuple[str, Path, Path]]:
    """(name, .box path, .yml path) for every Zammad message with an expectation."""
    pairs = []
    for entry in entries("rfc822", "zammad"):
        if entry.get("expectation") and entry["expectation"].endswith(".yml"):
            box = corpora_dir() / entry["path"]
            pairs.append((box.stem, box, corpora_dir() / entry["expectation"]))
    return pairs


# --- field comparisons (shared by the tests and the report) ------------------------------------
def compare_subject(parsed, expected: dict, raw: bytes = b""):
    if "subject" not in expected:
        return None
    return normalise_space(parsed.subject) == normalise_space(expected["subject"] or "")


def compare_from_email(parsed, expected: dict, raw: bytes = b""):
    if "from_email" not in expected:
        return None
    return parsed.from_address.lower() == (expected["from_email"] or "").lower()


def compare_plain_body(parsed, expected: dict, raw: bytes = b""):
    if expected.get("content_type") != "text/plain" or "body" not in expected:
        return None
    return normalise_space(parsed.text) == normalise_space(zammad_body(expected))


def compare_html_body(parsed, expected: dict, raw: bytes = b""):
    """Zammad's sanitised HTML vs ours, tags stripped: theirs is contained in ours."""
    if expected.get("content_type") != "text/html" or "body" not in expected:
        return None
    theirs = html_to_loose_text(zammad_body(expected))
    title = html_title(raw) if raw else ""
    if title and theirs.startswith(title):
        theirs = theirs[len(title):].strip()
    # Zammad keeps the HTML alternative; compare with ours (the text alternative can differ).
    ours = html_to_loose_text(parsed.html) if parsed.html else normalise_space(parsed.text)
    if not theirs:
        return not ours
    # Their HTML flattening and ours place spaces differently; compare without whitespace.
    return theirs.replace(" ", "") in ours.replace(" ", "")


def compare_attachments(parsed, expected: dict, raw: bytes = b""):
    if "attachments" not in expected:
        return None
    theirs = sorted(zammad_attachments(expected))
    ours = sorted((a.filename, attachment_digest(a.content, a.content_type))
                  for a in parsed.attachments)
    return theirs == ours


ZAMMAD_FIELDS = {
    "subject": compare_subject,
    "from_email": compare_from_email,
    "plain_body": compare_plain_body,
    "html_body": compare_html_body,
    "attachments": compare_attachments,
}
