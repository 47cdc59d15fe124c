from __future__ import annotations

import pytest

from postdesk.domain.email_addresses import POPULAR_DOMAINS, EmailCheck, check_email


def test_valid_address_is_normalised_without_suggestion():
    # email_validator lower-cases the domain and leaves the local part alone.
    assert check_email("  John.Doe@Gmail.COM ") == EmailCheck("John.Doe@gmail.com", None, None)


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("ann@gmail.con", "ann@gmail.com"),
        ("ann@gmial.com", "ann@gmail.com"),  # transposition counts as one edit
        ("ann@gmai.com", "ann@gmail.com"),
        ("ann@gmal.con", "ann@gmail.com"),  # two edits on a long domain
        ("ann@yahooo.com", "ann@yahoo.com"),
        ("bob@hotmial.com", "bob@hotmail.com"),
        ("bob@hotmail.co", "bob@hotmail.com"),
        ("bob@outlok.cmo", "bob@outlook.com"),
        ("bob@comcast.nte", "bob@comcast.net"),
        ("bob@aol.con", "bob@aol.com"),
        ("bob@yaho.fr", "bob@yahoo.fr"),
    ],
)
def test_typo_in_popular_domain_gets_a_suggestion(typed, suggestion):
    result = check_email(typed)
    assert (result.normalised, result.problem, result.suggestion) == (typed, None, suggestion)


@pytest.mark.parametrize("typed", ["ann@gmail,com", "ann@gmail"])
def test_syntax_error_in_the_domain_can_still_be_corrected(typed):
    assert check_email(typed) == EmailCheck(None, "syntax", "ann@gmail.com")


@pytest.mark.parametrize(
    "typed",
    [
        "x@mail.com",  # one edit from gmail.com, but a provider of its own
        "x@ymail.com",
        "x@aim.com",  # two edits from aol.com
        "x@yahoo.fr",
        "x@gmx.net",
        "x@acme.com",  # two edits from aim.com: short domains get one edit only
        "x@usps.gov",
        "x@verizon.com",
    ],
)
def test_real_domains_are_left_alone(typed):
    assert check_email(typed).suggestion is None


def test_no_suggestion_for_any_known_domain():
    for domain in POPULAR_DOMAINS:
        assert check_email(f"ann@{domain}") == EmailCheck(f"ann@{domain}", None, None)


@pytest.mark.parametrize(
    "typed", ["plainaddress", "@gmail.com", "ann@@gmail.com", "a b@gmial.com", "ann@test", ""]
)
def test_syntax_errors_without_a_useful_suggestion(typed):
    assert check_email(typed) == EmailCheck(None, "syntax", None)
