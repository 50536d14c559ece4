"""The MT940 ``:86:`` information field, in the layouts banks actually send.

- German (DFÜ/DK) sub-fields: ``166?00GUTSCHRIFT?20EREF+...?21SVWZ+...?30BIC?31IBAN?32Name``. ``?20``..``?29`` and
  ``?60``..``?63`` are the purpose lines; inside them ``EREF+`` is the end-to-end id and ``SVWZ+`` the remittance.
- SWIFT/Dutch codes: ``/EREF/id/CNTP/iban/bic/name/city/REMI/USTD//text/`` (ING), ``/BENM//NAME/x/REMI/text``
  (Rabobank). ``/REMI/STRD/CUR/ref`` is a structured reference with its issuer type.
- Anything else is one line of free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cashtrail.cashapp.statements import Counterparty, Remittance, StructuredRemittance
from cashtrail.invoicing.references import classify_reference

_GERMAN = re.compile(r"^\d{3}\?\d\d")
_SUBFIELD = re.compile(r"\?(\d\d)")
_SEPA_KEY = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC)\+")
_CODES = (
    "EREF|REMI|CNTP|BENM|ORDP|NAME|IBAN|BIC|ID|ADDR|TRCD|PREF|ISDT|MARF|CSID|RTRN|ULTC|ULTD|ULTB|PURP|IREF|"
    "CDTRREFTP|CDTRREF|CD|ISSR|COAM|OAMT|ABWA|ABWE|BENM"
)
_CODE = re.compile(rf"/({_CODES})/")
_DUTCH = re.compile(rf"^/({_CODES})/")


@dataclass(frozen=True)
class Information:
    """What an ``:86:`` says about the payment."""

    end_to_end_id: str | None = None
    remittance: Remittance = field(default_factory=Remittance)
    counterparty: Counterparty = field(default_factory=Counterparty)


def parse_information(text: str) -> Information:
    """Read an ``:86:`` value (continuation lines already joined)."""
    stripped = text.strip()
    if not stripped:
        return Information()
    if _GERMAN.match(stripped):
        return _german(stripped)
    if _DUTCH.match(stripped):
        return _dutch(stripped)
    return Information(remittance=Remittance(unstructured=(" ".join(stripped.split()),)))


def _german(text: str) -> Information:
    parts = _SUBFIELD.split(text)
    subfields: dict[str, str] = {}
    for key, value in zip(parts[1::2], parts[2::2], strict=True):
        subfields[key] = subfields.get(key, "") + value
    purpose = "".join(subfields.get(f"{n}", "") for n in [*range(20, 30), *range(60, 64)])
    keyed = _sepa_keys(purpose)
    remittance_text = keyed.get("SVWZ") or (purpose if not keyed else "")
    name = (subfields.get("32", "") + subfields.get("33", "")).strip() or None
    return Information(
        end_to_end_id=_real(keyed.get("EREF")),
        remittance=Remittance(unstructured=(remittance_text.strip(),) if remittance_text.strip() else ()),
        counterparty=Counterparty(
            name=" ".join(name.split()) if name else None,
            iban=_iban(subfields.get("31")),
            bic=(subfields.get("30") or "").strip() or None,
        ),
    )


def _sepa_keys(purpose: str) -> dict[str, str]:
    parts = _SEPA_KEY.split(purpose)
    return {key: value.strip() for key, value in zip(parts[1::2], parts[2::2], strict=True)}


def _iban(value: str | None) -> str | None:
    text = (value or "").strip()
    return text if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", text) else None


def _real(value: str | None) -> str | None:
    return None if value in (None, "", "NOTPROVIDED", "NONREF") else value


def _dutch(text: str) -> Information:
    parts = _CODE.split(text)
    codes: dict[str, str] = {}
    for key, value in zip(parts[1::2], parts[2::2], strict=True):
        codes.setdefault(key, value.strip("/ "))
        codes[key + "+raw"] = value
    return Information(
        end_to_end_id=_real(codes.get("EREF")),
        remittance=_dutch_remittance(codes.get("REMI+raw", "")),
        counterparty=_dutch_party(codes),
    )


def _dutch_remittance(raw: str) -> Remittance:
    value = raw.strip()
    if value.startswith("USTD//"):
        body = value[len("USTD//") :].strip("/ ")
        return Remittance(unstructured=(body,) if body else ())
    if value.startswith("STRD/"):
        bits = [b for b in value.split("/") if b]
        issuer, ref = (bits[1], bits[2]) if len(bits) >= 3 else (None, bits[-1] if len(bits) > 1 else "")
        return Remittance(structured=(StructuredRemittance(classify_reference(ref, issuer)),)) if ref else Remittance()
    body = value.strip("/ ")
    return Remittance(unstructured=(body,) if body else ())


def _dutch_party(codes: dict[str, str]) -> Counterparty:
    cntp = codes.get("CNTP+raw")
    if cntp is not None:
        bits = (cntp.split("/") + ["", "", ""])[:3]
        return Counterparty(name=bits[2].strip() or None, iban=_iban(bits[0]), bic=bits[1].strip() or None)
    return Counterparty(name=codes.get("NAME") or None, iban=_iban(codes.get("IBAN")), bic=codes.get("BIC") or None)
