"""Structured payment references: the ones we print on invoices and the ones banks hand back in payments.

One module for both directions (issuing builds references, cash application reads and classifies them). The kinds
(see the AR domain notes, "References that identify an invoice in a payment"):
- ISO 11649 creditor reference: ``RF`` + 2 check digits + 1 to 21 letters or digits; the check digits make
  ``body + "RF" + check`` (letters as numbers, A=10 .. Z=35) equal 1 modulo 97 (ISO 7064 MOD 97-10). Printed in
  groups of four: ``RF18 5390 0754 7034``.
- Belgian structured communication (OGM/VCS): 10 digits + 2 check digits, the base modulo 97 (97 when the
  remainder is 0). Printed ``+++010/8068/17183+++`` (some banks print ``***`` instead of ``+++``).

- Swiss ISR/QRR references (27 digits, the last one a mod 10 recursive check), seen in payments only.

Banks strip spaces, ``+`` and ``/`` in camt files, so :func:`find_references` recognises the printed and the
stripped forms in free text and keeps only candidates whose check digits hold. Both kinds are checked with
python-stdnum (``iso11649``, ``be.ogm_vcs``); the check digits are computed here by the rules above.

A bank hands us a reference string and sometimes a declared type (``SCOR``, ``ISR Reference``, ``QRR``, an issuer
such as ``BBA``). :func:`classify_reference` never trusts the declared type: the kind is decided by the check
digits, so a 16-digit "BBA" reference that fails the OGM/VCS check stays proprietary.

Invariants: a :class:`PaymentReference` always holds a valid reference in compact form (upper case, no separators).

>>> rf_reference("INV-2026-000123")
PaymentReference(kind=<ReferenceKind.RF: 'rf'>, value='RF98INV2026000123')
>>> ogm_reference(108068171).formatted()
'+++010/8068/17183+++'
>>> find_reference("Payment inv 17183, ref 010806817183 thank you")
PaymentReference(kind=<ReferenceKind.OGM: 'ogm_vcs'>, value='010806817183')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from stdnum import iso11649
from stdnum.be import ogm_vcs
from stdnum.iso7064 import mod_97_10

from cashtrail.errors import ValidationFailed

_RF_MAX_BODY = 21
_OGM_BASE_DIGITS = 10


class ReferenceKind(StrEnum):
    """Which structured reference scheme (verified by its check digits)."""

    RF = "rf"  # ISO 11649 creditor reference
    OGM = "ogm_vcs"  # Belgian structured communication (OGM/VCS)
    OGM_VCS = "ogm_vcs"  # the same member, under the name the statement code uses
    CH_ISR = "ch_isr"  # Swiss ISR (ESR) or QR-bill QRR: 27 digits, mod 10 recursive
    PROPRIETARY = "proprietary"


@dataclass(frozen=True, slots=True)
class PaymentReference:
    """A valid structured payment reference in compact form."""

    kind: ReferenceKind
    value: str

    def __post_init__(self) -> None:
        if self.kind not in (ReferenceKind.RF, ReferenceKind.OGM):
            raise _bad(f"we issue RF and OGM/VCS references only, not {self.kind}", self.value)
        valid = iso11649.is_valid(self.value) if self.kind == ReferenceKind.RF else ogm_vcs.is_valid(self.value)
        if not valid or self.value != _compact(self.value):
            raise _bad(f"not a valid compact {self.kind} reference: {self.value!r}", self.value)

    def formatted(self) -> str:
        """The printed form: RF in groups of four, OGM as ``+++ddd/dddd/ddddd+++``."""
        if self.kind == ReferenceKind.RF:
            return str(iso11649.format(self.value))
        return f"+++{ogm_vcs.format(self.value)}+++"

    def __str__(self) -> str:
        return self.formatted()


def _bad(detail: str, raw: str) -> ValidationFailed:
    return ValidationFailed(detail, code="invoicing.bad_reference", reference=raw)


def _compact(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def rf_reference(invoice_number: str) -> PaymentReference:
    """The ISO 11649 creditor reference of an invoice number (separators dropped, letters kept, upper case).

    >>> rf_reference("5390 0754 7034").formatted()
    'RF18 5390 0754 7034'
    """
    body = _compact(invoice_number)
    if not body or len(body) > _RF_MAX_BODY or not body.isascii():
        raise _bad(
            f"an RF reference holds 1 to {_RF_MAX_BODY} letters or digits, got {invoice_number!r}", invoice_number
        )
    check = mod_97_10.calc_check_digits(body + "RF")
    return PaymentReference(ReferenceKind.RF, f"RF{check}{body}")


def ogm_check_digits(base: str) -> str:
    """The two OGM/VCS check digits of a 10-digit base: base modulo 97, or 97 when that is 0.

    >>> ogm_check_digits("0108068171"), ogm_check_digits("0000000097")
    ('83', '97')
    """
    return f"{int(base) % 97 or 97:02d}"


def ogm_reference(number: int | str) -> PaymentReference:
    """The Belgian structured communication of a number of at most 10 digits (non-digits in a string are dropped).

    >>> ogm_reference("2026-000123").formatted()
    '+++202/6000/12320+++'
    """
    if isinstance(number, bool) or (isinstance(number, int) and number < 0):
        raise _bad(f"not an OGM base number: {number!r}", str(number))
    digits = str(number) if isinstance(number, int) else "".join(ch for ch in number if ch.isdigit())
    if not digits or len(digits) > _OGM_BASE_DIGITS or not digits.isascii():
        raise _bad(f"an OGM/VCS base holds 1 to {_OGM_BASE_DIGITS} digits, got {number!r}", str(number))
    base = digits.zfill(_OGM_BASE_DIGITS)
    return PaymentReference(ReferenceKind.OGM, base + ogm_check_digits(base))


def parse_reference(raw: str) -> PaymentReference:
    """Read one whole reference, printed or stripped; raise ``ValidationFailed`` when it is not a valid one.

    >>> parse_reference("rf18 5390 0754 7034").value
    'RF18539007547034'
    >>> parse_reference("+++010/8068/17183+++").value
    '010806817183'
    """
    compact = _compact(raw)
    if compact.startswith("RF") and iso11649.is_valid(compact):
        return PaymentReference(ReferenceKind.RF, compact)
    if compact.isdigit() and ogm_vcs.is_valid(compact):
        return PaymentReference(ReferenceKind.OGM, compact)
    raise _bad(f"not a valid RF or OGM/VCS reference: {raw!r}", raw)


# The start of an RF reference; its body follows, compact or in space-separated groups.
_RF_START = re.compile(r"(?<![A-Z0-9])RF(\d{2})")
_RF_TAIL = re.compile(r"(?: ?[A-Z0-9]{1,21}){1,6}")
# OGM printed (+++ddd/dddd/ddddd+++, *** also seen) or stripped (12 digits); both slashes or neither.
_OGM = re.compile(r"(?<!\d)(?:[+*]{3}\s*)?(\d{3})(/?)(\d{4})\2(\d{5})(?:\s*[+*]{3})?(?!\d)")


def _rf_matches(upper: str) -> Iterator[tuple[int, int, PaymentReference]]:
    for start in _RF_START.finditer(upper):
        tail = _RF_TAIL.match(upper, start.end())
        if tail is None:
            continue
        bodies: list[tuple[str, int]] = []
        body, end = "", start.end()
        for token in re.finditer(r"[A-Z0-9]+", tail.group()):
            body += token.group()
            end = start.end() + token.end()
            if len(body) > _RF_MAX_BODY:
                break
            bodies.append((body, end))
        # Longest valid first: a reference split in groups of four must not be cut at its first group.
        for candidate, stop in reversed(bodies):
            value = f"RF{start.group(1)}{candidate}"
            if iso11649.is_valid(value):
                yield start.start(), stop, PaymentReference(ReferenceKind.RF, value)
                break


def _ogm_matches(text: str) -> Iterator[tuple[int, int, PaymentReference]]:
    for match in _OGM.finditer(text):
        value = match.group(1) + match.group(3) + match.group(4)
        if ogm_vcs.is_valid(value):
            yield match.start(), match.end(), PaymentReference(ReferenceKind.OGM, value)


def find_references(text: str) -> list[PaymentReference]:
    """Every valid RF or OGM/VCS reference in free text, in the order they appear, without repeats.

    >>> [r.formatted() for r in find_references("+++010/8068/17183+++ and RF18539007547034")]
    ['+++010/8068/17183+++', 'RF18 5390 0754 7034']
    """
    upper = text.upper()
    found = sorted([*_rf_matches(upper), *_ogm_matches(upper)], key=lambda hit: hit[0])
    result: list[PaymentReference] = []
    covered_until = -1
    for start, end, reference in found:
        if start < covered_until:
            continue  # digits inside an RF reference are not an OGM of their own
        covered_until = end
        if reference not in result:
            result.append(reference)
    return result


def find_reference(text: str) -> PaymentReference | None:
    """The first valid structured reference in free text, or None."""
    found = find_references(text)
    return found[0] if found else None


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
    ('090933755493', <ReferenceKind.OGM: 'ogm_vcs'>)
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
