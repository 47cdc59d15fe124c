from __future__ import annotations

import pytest

from postdesk.domain.addresses import AddressResult, normalise_us_address


def test_street_address_with_apartment_gets_publication_28_abbreviations():
    assert normalise_us_address(
        "123 North Main Street Apartment 4B, Springfield, IL 62704"
    ) == AddressResult(
        line1="123 N MAIN ST",
        line2="APT 4B",
        city="SPRINGFIELD",
        state="IL",
        zip="62704",
        one_line="123 N MAIN ST APT 4B, SPRINGFIELD IL 62704",
        problem=None,
    )


def test_lower_case_input_on_two_lines():
    result = normalise_us_address("350 fifth avenue apt 4b\nnew york, ny 10118")
    assert (result.line1, result.line2, result.city, result.state, result.zip) == (
        "350 FIFTH AVE", "APT 4B", "NEW YORK", "NY", "10118"
    )
    assert result.valid


def test_full_state_name_dotted_dc_and_zip_plus_4():
    result = normalise_us_address("475 L'Enfant Plaza SW, Washington, D.C. 20260-0004")
    assert result.one_line == "475 LENFANT PLZ SW, WASHINGTON DC 20260-0004"
    assert result.valid
    assert normalise_us_address("1 Main St, Juneau, Alaska 99801").state == "AK"


@pytest.mark.parametrize(
    ("typed", "one_line"),
    [
        ("P.O. Box 123, Springfield, IL 62701", "PO BOX 123, SPRINGFIELD IL 62701"),
        ("po box 55 chicago il 60601", "PO BOX 55, CHICAGO IL 60601"),
        ("Post Office Box 9, Juneau, Alaska 99801", "PO BOX 9, JUNEAU AK 99801"),
        ("PO Box 1234, Washington, D.C. 20013", "PO BOX 1234, WASHINGTON DC 20013"),
        ("Rural Route 2 Box 45, Anytown, NY 10001", "RR 2 BOX 45, ANYTOWN NY 10001"),
        ("HC 1 Box 12, Roundup, MT 59072", "HC 1 BOX 12, ROUNDUP MT 59072"),
        ("Unit 2050 Box 4190, APO AP 96278", "UNIT 2050 BOX 4190, APO AP 96278"),
        ("PSC 802 Box 74, APO AE 09499", "PSC 802 BOX 74, APO AE 09499"),
    ],
)
def test_box_addresses_scourgify_refuses_are_rebuilt(typed, one_line):
    result = normalise_us_address(typed)
    assert (result.one_line, result.problem, result.line2) == (one_line, None, None)


def test_zip_of_another_state_is_a_mismatch_but_keeps_the_parsed_parts():
    result = normalise_us_address("233 S Wacker Dr, Chicago, IL 10001")  # 10001 is Manhattan
    assert result.problem == "zip_state_mismatch"
    assert (result.line1, result.city, result.state, result.zip) == (
        "233 S WACKER DR", "CHICAGO", "IL", "10001"
    )
    assert not result.valid


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("hello world", "unparseable"),
        ("", "unparseable"),
        ("PO Box 12, Springfield", "missing_city"),  # usaddress reads Springfield as a state
        ("10 Downing Street, London SW1A 2AA", "missing_city"),
        ("123 Main St Springfield 62704", "missing_state"),
        ("123 Main St, Springfield, ZZ 62704", "unknown_state"),
        ("123 Main St, Springfield, IL", "missing_zip"),
        ("123 Main St, Springfield, IL 6270", "unknown_zip"),
        ("1 Main St, Springfield, IL 00000", "unknown_zip"),
    ],
)
def test_problem_codes(typed, problem):
    assert normalise_us_address(typed).problem == problem


def test_one_line_is_left_empty_until_every_part_is_known():
    assert normalise_us_address("123 Main St, Springfield, IL").one_line is None
