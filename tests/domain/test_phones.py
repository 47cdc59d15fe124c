from __future__ import annotations

import pytest

from postdesk.domain.phones import PhoneResult, normalise_phone


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("(212) 736-5000", "+12127365000"),
        ("212.736.5000", "+12127365000"),
        ("+1 212 736 5000", "+12127365000"),
        ("1-800-275-8777", "+18002758777"),
        ("1-800-ASK-USPS", "+18002758777"),  # vanity letters are dialled as digits
        ("+49 30 901820", "+4930901820"),
        ("011 49 30 901820", "+4930901820"),  # US international dialling prefix
    ],
)
def test_valid_numbers_become_e164(typed, e164):
    assert normalise_phone(typed) == PhoneResult(e164, None)


def test_default_region_applies_to_national_numbers():
    assert normalise_phone("030 901820", default_region="DE").e164 == "+4930901820"
    assert normalise_phone("030 901820").problem == "invalid"


def test_extension_is_kept_beside_the_e164_number():
    assert normalise_phone("212-736-5000 ext. 12") == PhoneResult("+12127365000", None, "12")


@pytest.mark.parametrize("typed", ["123", "", "call me", "(212) 736-500", "+1 099 736 5000"])
def test_invalid_numbers(typed):
    result = normalise_phone(typed)
    assert (result.e164, result.problem, result.valid) == (None, "invalid", False)
