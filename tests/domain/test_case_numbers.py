from __future__ import annotations

import random
import re

import pytest

from postdesk.domain import case_numbers
from postdesk.domain.case_numbers import ALPHABET, find_in_text, generate, is_valid, parse

DISPLAY_FORM = re.compile(rf"[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}")


@pytest.fixture(scope="module")
def sample() -> list[str]:
    rng = random.Random(20240611)
    return [generate(rng) for _ in range(300)]


def test_alphabet_is_31_unambiguous_symbols():
    assert len(ALPHABET) == len(set(ALPHABET)) == 31
    assert all(31 % divisor for divisor in range(2, 31))  # prime
    assert not set("01ILO") & set(ALPHABET)


def test_generated_numbers_are_valid_in_display_form_without_confusables(sample):
    for number in sample:
        assert DISPLAY_FORM.fullmatch(number), number
        assert is_valid(number)
        assert not set("01ILO") & set(number)


def test_default_generator_is_random_not_sequential():
    first, second = generate(), generate()
    assert first != second
    assert is_valid(first) and is_valid(second)


def test_every_single_substitution_is_rejected(sample):
    for number in sample:
        compact = case_numbers.normalise(number)
        for position in range(9):
            for symbol in ALPHABET.replace(compact[position], ""):
                typo = compact[:position] + symbol + compact[position + 1:]
                assert not is_valid(typo), (number, typo)


def test_every_transposition_of_distinct_symbols_is_rejected(sample):
    # Adjacent swaps are the common typo; the weights 1..9 mod 31 catch jumps as well.
    for number in sample:
        compact = case_numbers.normalise(number)
        for left in range(9):
            for right in range(left + 1, 9):
                if compact[left] == compact[right]:
                    continue
                swapped = list(compact)
                swapped[left], swapped[right] = swapped[right], swapped[left]
                assert not is_valid("".join(swapped)), (number, left, right)


def test_parse_accepts_lower_case_spaces_and_missing_hyphens(sample):
    number = sample[0]
    sloppy = " " + number.lower().replace("-", " ") + " "
    assert parse(sloppy) == number
    assert parse(number.replace("-", "")) == number


def test_parse_rejects_wrong_length_and_foreign_symbols(sample):
    number = sample[0]
    assert parse(number[:-1]) is None
    assert parse(number + "2") is None
    assert parse("O" + number[1:]) is None  # O is not in the alphabet, whatever it resembles
    assert parse("") is None


def test_format_groups_a_compact_number():
    assert case_numbers.format("ABCDEFGHJ") == "ABC-DEF-GHJ"


def test_finds_case_number_in_a_reply_subject(sample):
    number = sample[1]
    assert find_in_text(f"Re: [Case {number}] Where is my parcel?") == [number]


def test_finds_lower_case_and_compact_forms_once_each(sample):
    first = sample[2]
    # The compact form is searched only when it contains a digit (see the next tests).
    second = next(number for number in sample[3:] if any(symbol.isdigit() for symbol in number))
    text = f"about {first.lower()} and {second.replace('-', '')}, again {first}"
    assert find_in_text(text) == [first, second]


def test_ignores_look_alikes_with_a_wrong_check_symbol(sample):
    number = sample[4]
    wrong_last = ALPHABET[(ALPHABET.index(number[-1]) + 1) % 31]
    assert find_in_text(f"[Case {number[:-1]}{wrong_last}]") == []


def test_compact_words_need_a_digit_but_hyphenated_ones_do_not():
    # "BRAKEMAND" happens to satisfy the check; as a bare word it must not become a case.
    assert is_valid("BRAKEMAND")
    assert find_in_text("the BRAKEMAND said") == []
    assert find_in_text("case BRA-KEM-AND") == ["BRA-KEM-AND"]
