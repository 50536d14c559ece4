"""Structured payment references that identify an invoice: ISO 11649 RF, Belgian OGM/VCS, Swiss ISR/QRR.

A bank hands us a reference string and sometimes a declared type (``SCOR``, ``ISR Reference``, ``QRR``, an
issuer such as ``BBA``). The declared type is a hint, never trusted: the kind is decided by the check digits, so a
16-digit "BBA" reference that fails the OGM/VCS check stays proprietary. Banks strip the ``+`` and ``/`` of
``+++123/4567/89002+++``; both spellings are recognised and normalised to the 12 digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum import iso11649
from stdnum.be import ogm_vcs


class ReferenceKind(StrEnum):
    """What a structured reference turned out to be once its check digits were verified."""

    RF = "rf"  # ISO 11649 creditor reference
    OGM_VCS = "ogm_vcs"  # Belgian structured communication
    CH_ISR = "ch_isr"  # Swiss ISR (ESR) or QR-bill QRR: 27 digits, mod 10 recursive
    PROPRIETARY = "proprietary"


@dataclass(frozen=True, slots=True)
class StructuredReference:
    """A reference as printed by the bank (``raw``), its verified kind, compact ``value`` and declared type."""

    kind: ReferenceKind
    value: str
    raw: str
    declared: str | None = None


_MOD10_TABLE = (0, 9, 4, 6, 8, 2, 7, 1, 3, 5)


def _mod10_recursive_ok(digits: str) -> bool:
    carry = 0
    for ch in digits[:-1]:
        carry = _MOD10_TABLE[(carry + int(ch)) % 10]
    return (10 - carry) % 10 == int(digits[-1])


def is_swiss_isr(value: str) -> bool:
    """True for a 27-digit Swiss ISR/QRR reference whose last digit is the mod 10 recursive check.

    >>> is_swiss_isr("000000000002015110003015939"), is_swiss_isr("000000000002015110003015938")
    (True, False)
    """
    compact = value.replace(" ", "")
    return len(compact) == 27 and compact.isdigit() and _mod10_recursive_ok(compact)


def classify_reference(raw: str, declared: str | None = None) -> StructuredReference:
    """Verify ``raw`` against each known scheme and return what it is.

    >>> classify_reference("RF38000000000000000000552").kind
    <ReferenceKind.RF: 'rf'>
    >>> classify_reference("+++090/9337/55493+++").value, classify_reference("090933755493").kind
    ('090933755493', <ReferenceKind.OGM_VCS: 'ogm_vcs'>)
    >>> classify_reference("4654654654654654", "SCOR/BBA").kind
    <ReferenceKind.PROPRIETARY: 'proprietary'>
    """
    text = raw.strip()
    if iso11649.is_valid(text):
        return StructuredReference(ReferenceKind.RF, iso11649.compact(text), raw, declared)
    digits = re.sub(r"[+/\s]", "", text)
    if len(digits) == 12 and digits.isdigit() and ogm_vcs.is_valid(digits):
        return StructuredReference(ReferenceKind.OGM_VCS, digits, raw, declared)
    if is_swiss_isr(text):
        return StructuredReference(ReferenceKind.CH_ISR, text.replace(" ", ""), raw, declared)
    return StructuredReference(ReferenceKind.PROPRIETARY, text, raw, declared)
