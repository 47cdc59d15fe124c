"""The text triage reads: what the customer wrote this time, normalised for the classifier.

Quoted history and signatures are folded away first (``domain.mail.reply``): a reply quoting our
confirmation would otherwise be classified by our own words. Numbers are replaced by shape
tokens, because the classifier must learn "a tracking number was given", not the number.
"""

from __future__ import annotations

import re
import unicodedata

from postdesk.domain import tracking
from postdesk.domain.mail.reply import split_reply

_SPACES = re.compile(r"\s+")
_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_MONEY = re.compile(r"(?:[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?(?:[$€£]|usd|eur|dollars?|euros?|dólares|dolares))",
                    re.I)
_DIGITS = re.compile(r"\d+")


def visible_text(subject: str, body: str) -> str:
    """Subject and the part of the body the sender wrote (the whole body if nothing is left)."""
    visible, _folded = split_reply(body or "")
    text = visible.strip() or (body or "").strip()
    subject = (subject or "").strip()
    # "Re:"/"AW:"/"RE:" prefixes carry no topic.
    subject = re.sub(r"^(?:\s*(?:re|aw|wg|fw|fwd|rv|res)\s*:\s*)+", "", subject, flags=re.I)
    return f"{subject}\n{text}" if subject else text


def fold_accents(text: str) -> str:
    """"Zustellung überfällig" and "zustellung uberfallig" should look alike to the model:
    customers on foreign keyboards drop accents. ß becomes ss as in Swiss spelling."""
    text = text.replace("ß", "ss").replace("ẞ", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_for_model(text: str) -> str:
    """Lower case, accents folded, and every number replaced by what it is.

    1. Tracking numbers (valid ones) become ``trknum`` plus ``trkother`` for UPS/FedEx/DHL.
    2. URLs, email addresses and money amounts become ``urltok``, ``mailtok``, ``moneytok``.
    3. Remaining digit runs become ``numN`` by length (a ZIP looks like ``num5``).
    """
    for found in tracking.find_in_text(text):
        token = " trknum trkother " if found.other_carrier else " trknum "
        text = text.replace(found.raw, token)
    text = _URL.sub(" urltok ", text)
    text = _EMAIL.sub(" mailtok ", text)
    text = _MONEY.sub(" moneytok ", text)
    text = _DIGITS.sub(lambda match: f" num{min(len(match.group()), 9)} ", text)
    text = fold_accents(text.lower())
    return _SPACES.sub(" ", text).strip()
