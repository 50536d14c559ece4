"""Structured payment references: ISO 11649 RF and Belgian OGM/VCS, generated and found back in free text."""

from __future__ import annotations

import pytest
from stdnum import iso11649
from stdnum.be import ogm_vcs

from cashtrail.errors import ValidationFailed
from cashtrail.invoicing.references import (
    PaymentReference,
    ReferenceKind,
    find_reference,
    find_references,
    ogm_reference,
    parse_reference,
    rf_reference,
)


def rf_check_digits_by_hand(body: str) -> str:
    """ISO 11649 written out: move RF00 to the end, letters to numbers, 98 minus the remainder modulo 97."""
    digits = "".join(str(int(ch, 36)) for ch in body + "RF00")
    return f"{98 - int(digits) % 97:02d}"


@pytest.mark.parametrize("invoice_number", ["INV-2026-000123", "539007547034", "F2026/0042", "a1", "X" * 21])
def test_an_rf_reference_built_from_an_invoice_number_is_valid_for_python_stdnum(invoice_number):
    reference = rf_reference(invoice_number)
    assert reference.kind == ReferenceKind.RF
    assert iso11649.validate(reference.value) == reference.value
    body = reference.value[4:]
    assert body == "".join(ch for ch in invoice_number.upper() if ch.isalnum())
    assert reference.value[2:4] == rf_check_digits_by_hand(body)


def test_an_rf_reference_is_printed_in_groups_of_four():
    assert rf_reference("539007547034").formatted() == "RF18 5390 0754 7034"
    assert str(rf_reference("INV-2026-000123")) == "RF98 INV2 0260 0012 3"


@pytest.mark.parametrize("invoice_number", ["", " - / ", "X" * 22, "FACTURE-É1"])
def test_an_invoice_number_that_cannot_make_an_rf_reference_is_refused(invoice_number):
    with pytest.raises(ValidationFailed) as info:
        rf_reference(invoice_number)
    assert info.value.code == "invoicing.bad_reference"


@pytest.mark.parametrize(
    ("number", "printed"),
    [
        (108068171, "+++010/8068/17183+++"),
        ("2026-000123", "+++202/6000/12320+++"),
        (97, "+++000/0000/09797+++"),  # remainder 0 gives check digits 97
        ("9999999999", "+++999/9999/99948+++"),
    ],
)
def test_an_ogm_structured_communication_is_valid_for_python_stdnum(number, printed):
    reference = ogm_reference(number)
    assert reference.kind == ReferenceKind.OGM
    assert ogm_vcs.validate(reference.value) == reference.value
    assert int(reference.value[:10]) % 97 in (int(reference.value[10:]), 0)
    assert reference.formatted() == printed


@pytest.mark.parametrize("number", [-1, "12345678901", "", "no digits", True])
def test_an_ogm_base_that_is_not_one_to_ten_digits_is_refused(number):
    with pytest.raises(ValidationFailed):
        ogm_reference(number)


@pytest.mark.parametrize(
    "text",
    [
        "Invoice +++010/8068/17183+++ thanks",
        "***010/8068/17183***",
        "+++ 010/8068/17183 +++",
        "/STRD/010806817183/",
        "ref 010/8068/17183",
        "010806817183",
    ],
)
def test_an_ogm_is_found_with_or_without_its_plus_signs_and_slashes(text):
    assert find_reference(text) == PaymentReference(ReferenceKind.OGM, "010806817183")


@pytest.mark.parametrize(
    "text",
    [
        "RF18 5390 0754 7034",
        "payment rf18539007547034 for march",
        "CdtrRefInf RF18539007547034",
        "RF18 5390 0754 7034 FOR INVOICE 12",
        "Ref:RF18539007547034.",
    ],
)
def test_an_rf_reference_is_found_printed_compact_or_in_lower_case(text):
    assert find_reference(text) == PaymentReference(ReferenceKind.RF, "RF18539007547034")


@pytest.mark.parametrize(
    "text",
    [
        "+++010/8068/17180+++",
        "010806817180",
        "RF17 5390 0754 7034",
        "0108068171834",  # 13 digits: not an OGM
        "010/806817183",  # one slash but not the other
        "no reference here",
    ],
)
def test_candidates_with_wrong_check_digits_or_shape_are_not_found(text):
    assert find_reference(text) is None


def test_generated_references_are_parsed_back_from_bank_text_where_separators_were_stripped():
    rf = rf_reference("INV-2026-000123")
    ogm = ogm_reference("2026-000123")
    stripped = f"{rf.value} {ogm.formatted().replace('+', '').replace('/', '')}"
    assert find_references(stripped) == [rf, ogm]
    assert find_references(f"{ogm} / {rf} / again {ogm}") == [ogm, rf]


def test_digits_inside_an_rf_reference_are_not_read_as_an_ogm():
    rf = rf_reference("010806817183")
    assert find_references(f"paid {rf.value}") == [rf]


def test_one_whole_reference_is_parsed_and_normalised():
    assert parse_reference(" rf18 5390 0754 7034 ").value == "RF18539007547034"
    assert parse_reference("+++010/8068/17183+++") == ogm_reference(108068171)
    with pytest.raises(ValidationFailed) as info:
        parse_reference("RF17 5390 0754 7034")
    assert info.value.code == "invoicing.bad_reference"


def test_a_payment_reference_refuses_an_invalid_or_non_compact_value():
    with pytest.raises(ValidationFailed):
        PaymentReference(ReferenceKind.OGM, "010806817180")
    with pytest.raises(ValidationFailed):
        PaymentReference(ReferenceKind.RF, "RF18 5390 0754 7034")
