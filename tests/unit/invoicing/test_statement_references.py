from __future__ import annotations

import pytest

from cashtrail.invoicing.references import ReferenceKind, classify_reference, is_swiss_isr


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("RF38000000000000000000552", ReferenceKind.RF, "RF38000000000000000000552"),
        ("RF18 5390 0754 7034", ReferenceKind.RF, "RF18539007547034"),
        ("+++090/9337/55493+++", ReferenceKind.OGM_VCS, "090933755493"),
        ("090933755493", ReferenceKind.OGM_VCS, "090933755493"),
        ("090/9337/55493", ReferenceKind.OGM_VCS, "090933755493"),
        ("000000000002015110003015939", ReferenceKind.CH_ISR, "000000000002015110003015939"),
        ("4654654654654654", ReferenceKind.PROPRIETARY, "4654654654654654"),
    ],
)
def test_a_reference_is_classified_by_its_check_digits(raw: str, kind: ReferenceKind, value: str) -> None:
    reference = classify_reference(raw)
    assert reference.kind is kind
    assert reference.value == value
    assert reference.raw == raw


def test_an_ogm_with_a_wrong_check_is_proprietary_even_when_the_bank_says_bba() -> None:
    reference = classify_reference("090933755494", "SCOR/BBA")
    assert reference.kind is ReferenceKind.PROPRIETARY
    assert reference.declared == "SCOR/BBA"


def test_a_declared_qrr_with_a_failing_mod10_check_stays_proprietary() -> None:
    assert not is_swiss_isr("000000270148751802165444888")
    assert classify_reference("000000270148751802165444888", "QRR").kind is ReferenceKind.PROPRIETARY
