"""Email addresses customers type into forms: syntax check plus a "did you mean" for typos in
the domain of a popular mailbox provider ("gmial.com", "yahooo.com", "gmail.con").

A reply sent to a mistyped domain never arrives and the customer concludes the desk ignored
them, so the form offers the correction; it never applies it on its own. Deliverability (DNS)
is not checked here: it needs the network and is the mail sender's concern.

Problem codes on `EmailCheck.problem`:
    "syntax"  not an address email_validator accepts (a suggestion may still be offered, e.g.
              for "ann@gmail,com")
"""

from __future__ import annotations

from functools import lru_cache

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

SYNTAX = "syntax"

# Providers customers of a US desk actually use, most used first (ties in distance go to the
# earlier entry). Real providers that sit one or two edits from a bigger one are listed so
# they are recognised instead of "corrected": mail.com/gmail.com, ymail.com/gmail.com,
# aim.com/aol.com, yahoo.fr/yahoo.es, gmx.net/gmx.de, live.ca/live.com ...
POPULAR_DOMAINS = (
    "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com",
    "comcast.net", "att.net", "verizon.net", "msn.com", "live.com", "me.com", "mac.com",
    "sbcglobal.net", "bellsouth.net", "charter.net", "cox.net", "earthlink.net", "juno.com",
    "optonline.net", "frontier.com", "windstream.net", "ymail.com", "rocketmail.com",
    "mail.com", "aim.com", "googlemail.com", "protonmail.com", "proton.me", "pm.me",
    "zoho.com", "yandex.com", "gmx.com", "gmx.net", "gmx.de", "web.de", "t-online.de",
    "yahoo.es", "yahoo.fr", "yahoo.de", "yahoo.it", "yahoo.ca", "yahoo.co.uk", "yahoo.com.mx",
    "hotmail.es", "hotmail.fr", "hotmail.de", "hotmail.it", "hotmail.co.uk", "live.ca",
    "live.co.uk", "outlook.es", "qq.com", "163.com", "126.com", "mail.ru", "usa.net",
)
_KNOWN = frozenset(POPULAR_DOMAINS)
# Short domains get one edit only: at two edits "acme.com" would become "aim.com".
_SHORT_DOMAIN = 8


@dataclass(frozen=True)
class EmailCheck:
    normalised: str | None
    problem: str | None
    suggestion: str | None  # the whole corrected address, for "Did you mean ...?"

    @property
    def valid(self) -> bool:
        return self.problem is None


def check_email(raw: str) -> EmailCheck:
    # Pasted addresses often carry spaces around them; inside they are a real error.
    candidate = raw.strip()
    try:
        checked = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError:
        return EmailCheck(None, SYNTAX, _suggest(candidate))
    return EmailCheck(checked.normalized, None, _suggest(checked.normalized))


def _suggest(address: str) -> str | None:
    local_part, at, domain = address.rpartition("@")
    if not at or not local_part:
        return None
    domain = domain.strip().lower()
    if domain in _KNOWN:
        return None
    corrected = _closest_known_domain(domain)
    if corrected is None:
        return None
    try:
        return validate_email(f"{local_part}@{corrected}", check_deliverability=False).normalized
    except EmailNotValidError:
        return None  # the local part is broken too; a domain fix alone would not help


@lru_cache(maxsize=4096)
def _closest_known_domain(domain: str) -> str | None:
    # "ann@gmail": a forgotten suffix is too many edits away, but unmistakable.
    for known in POPULAR_DOMAINS:
        if known.split(".")[0] == domain:
            return known
    closest, closest_distance = None, None
    for known in POPULAR_DOMAINS:
        limit = 1 if len(known) < _SHORT_DOMAIN else 2
        distance = _edit_distance(domain, known, limit)
        if distance <= limit and (closest_distance is None or distance < closest_distance):
            closest, closest_distance = known, distance
    return closest


def _edit_distance(typed: str, known: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment: insertions, deletions,
    substitutions and transpositions of adjacent characters, each costing 1).

    Transpositions count once because "gmial" for "gmail" is the commonest typo of all.
    Returns limit + 1 early when the lengths alone rule a match out.
    """
    if abs(len(typed) - len(known)) > limit:
        return limit + 1
    previous_row: list[int] | None = None
    row = list(range(len(known) + 1))
    for i in range(1, len(typed) + 1):
        previous_row, before, row = row, previous_row, [i] + [0] * len(known)
        for j in range(1, len(known) + 1):
            cost = 0 if typed[i - 1] == known[j - 1] else 1
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if (
                before is not None
                and j > 1
                and typed[i - 1] == known[j - 2]
                and typed[i - 2] == known[j - 1]
            ):
                row[j] = min(row[j], before[j - 2] + 1)
    return row[-1]
