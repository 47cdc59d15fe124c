"""The generator's values (bench/scale_data.py) follow the desk's own rules: tracking numbers pass
``domain.tracking``, phones and addresses are what the desk's parsers accept, and the search
terms built from fragments equal what ``domain.search`` computes from the whole text."""

from __future__ import annotations

import random

import pytest

from bench import scale_data
from postdesk.domain import search as text
from postdesk.domain import tracking
from postdesk.domain.addresses import normalise_us_address
from postdesk.domain.phones import normalise_phone


@pytest.fixture(scope="module")
def places():
    return scale_data.Places()


def test_generated_tracking_numbers_have_valid_check_digits_as_typed():
    rng = random.Random(11)
    kinds = set()
    for _ in range(3000):
        number = scale_data.tracking_number(rng)
        typed = scale_data.as_typed(rng, number)
        result = tracking.check(typed)
        assert result.valid and result.is_usps and result.normalised == number, (typed, result)
        kinds.add(result.kind)
    assert kinds == {"impb", "s10"}


def test_a_changed_digit_breaks_the_check_digit_so_the_test_can_fail():
    number = scale_data.impb(random.Random(3))
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert tracking.check(wrong).problem == tracking.CHECK_DIGIT


def test_people_have_parseable_phones_and_addresses_and_unique_emails(places):
    rng = random.Random(5)
    emails = set()
    for serial in range(1, 400):
        person = scale_data.Person(rng, places, rng.choice(["en", "de", "es"]), serial, with_phone=True)
        assert normalise_phone(person.phone_display).e164 == person.phone
        parsed = normalise_us_address(person.address)
        assert parsed.problem is None and parsed.one_line == person.address_line, person.address
        emails.add(person.email)
    assert len(emails) == 399


@pytest.mark.parametrize("language", ["en", "de", "es"])
def test_terms_built_from_fragments_equal_the_terms_of_the_whole_text(places, language):
    rng = random.Random(language)
    terms = scale_data.Terms()
    for topic in scale_data.OPENINGS[language]:
        for n in range(40):
            person = scale_data.Person(rng, places, language, n, with_phone=rng.random() < 0.7)
            number = scale_data.tracking_number(rng)
            typed = scale_data.as_typed(rng, number) if n % 3 else ""
            built: set = set()
            body = scale_data.customer_body(rng, language, topic, person, typed=typed, date="2026-11-02", days=n,
                                            with_address=n % 2 == 0, terms=terms, into=built)
            assert built == text.document_terms(body.replace("\\n", "\n"), language), body
            if typed:
                assert typed in body.replace("\\n", "\n")
            for make in (lambda into: scale_data.reply_body(rng, language, person, "Sam Agent", terms=terms, into=into),
                         lambda into: scale_data.follow_up_body(rng, language, person, typed, terms=terms, into=into)):
                built = set()
                body = make(built)
                assert built == text.document_terms(body.replace("\\n", "\n"), language), body
            built = set()
            note = scale_data.note_body(rng, person, terms=terms, into=built)
            assert built == text.document_terms(note, "en")
