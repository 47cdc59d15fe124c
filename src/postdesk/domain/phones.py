"""Phone numbers customers give, normalised to E.164 so one person matches across channels.

Problem codes on `PhoneResult.problem`:
    "invalid"  not a number phonenumbers' metadata accepts for any region
"""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers

INVALID = "invalid"


@dataclass(frozen=True)
class PhoneResult:
    e164: str | None
    problem: str | None
    # E.164 has no place for an extension, but an agent calling back a switchboard needs it.
    extension: str | None = None

    @property
    def valid(self) -> bool:
        return self.problem is None


def normalise_phone(raw: str, default_region: str = "US") -> PhoneResult:
    """`default_region` applies only to numbers written without a leading "+" (or "011")."""
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException:
        return PhoneResult(None, INVALID)
    # is_valid_number, not is_possible_number: length alone accepts numbers in unassigned
    # area codes, which would only be caught when an agent tries to call.
    if not phonenumbers.is_valid_number(number):
        return PhoneResult(None, INVALID)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return PhoneResult(e164, None, number.extension or None)
