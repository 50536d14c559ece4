"""The Peppol BIS Billing 3.0 rules the UBL generator enforces itself, because no validator here runs them.

OpenPeppol's Schematron (``PEPPOL-EN16931-*``, ``PEPPOL-COMMON-*`` and the national rules) may not be
redistributed, so :mod:`cashtrail.documents.ubl_validation` checks only the UBL XSD and the CEN EN 16931 rules
(see ``docs/documents.md``). This module checks the Peppol rules that matter for what Cashtrail issues, in two
passes, each returning every problem found as a :class:`FieldError` whose ``field`` is the rule id:

- :func:`snapshot_problems` before writing: what the snapshot must carry for the document to be valid
  (buyer or order reference, electronic addresses with known schemes, line net = quantity x price, VAT
  categories and exemption codes that belong together, the VAT numbers each category needs, the Dutch
  national rules for Dutch sellers, no "not subject to VAT" mixed with other categories);
- :func:`tree_problems` after writing: what the XML must look like (no empty element, one ``TaxTotal`` with
  subtotals, every ``currencyID`` the document currency, at most one document note, the Peppol identifiers).

Rule ids are Peppol's where Peppol has the rule, the CEN id (``BR-*``) where the generator must pre-empt a CEN
rule it cannot satisfy by itself. Invariants: both functions are pure and never raise on a bad input; an empty
list means the rule set holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from stdnum.be import vat as be_vat

from cashtrail.errors import FieldError
from cashtrail.invoicing.snapshot import DocumentSnapshot, PartySnapshot
from cashtrail.money import check_currency
from cashtrail.parties.identifiers import is_country

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

# CEF Electronic Address Scheme codes, as listed by the CEN Schematron 1.3.16 (rule BR-CL-25).
_EAS = (
    "0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170 0177 0183 0184 0188 "
    "0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203 0204 0205 0208 0209 0210 0211 0212 0213 "
    "0215 0216 0217 0218 0219 0220 0221 0225 0230 0235 0240 0244 0242 0245 0246 0248 9910 9913 9914 9915 9918 "
    "9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939 9940 "
    "9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 9959 AN AQ AS AU EM"
)
EAS_CODES = frozenset(_EAS.split())
# The EN 16931 VAT categories Cashtrail issues (UNCL 5305 subset) and the VATEX code each untaxed one needs.
TAXED = frozenset({"S", "Z"})
EXEMPTION_CODES = {"AE": "VATEX-EU-AE", "K": "VATEX-EU-IC", "G": "VATEX-EU-G", "O": "VATEX-EU-O"}
EXEMPT_PREFIX = "VATEX-EU-132"  # E: article 132 and its points (VATEX-EU-132-1A ...)
NOT_SUBJECT = "O"
_RULE_PREFIX = {"K": "IC"}  # the CEN rule families are named after the category, except K (BR-IC-*)
# Peppol R120 compares the line net with quantity x price within 0.02 (currency units).
LINE_SLACK = Decimal("0.02")
_UNIT_CODE = re.compile(r"^[A-Z0-9]{2,3}$")
_ICD = re.compile(r"^[0-9]{4}$")  # the shape of an ISO 6523 ICD; the CEN rules check the code list itself
_DUTCH_LEGAL_SCHEMES = {"0106", "0190"}  # KvK number, OIN
DUTCH_PAYMENT_MEANS = {"30", "48", "49", "57", "58", "59"}


def _err(rule: str, message: str, value: object = None, source: str | None = None) -> FieldError:
    return FieldError(rule, message, value=value, source=source)


def snapshot_problems(doc: DocumentSnapshot) -> list[FieldError]:
    """Every Peppol (and pre-empted CEN) rule ``doc`` breaks before it is written as UBL."""
    problems = _header_problems(doc)
    problems += _party_problems(doc.seller, "seller", "PEPPOL-EN16931-R020")
    problems += _party_problems(doc.buyer, "buyer", "PEPPOL-EN16931-R010")
    problems += _line_problems(doc)
    problems += _vat_problems(doc)
    if doc.seller.address.country == "NL":
        problems += _dutch_problems(doc)
    return problems


def _header_problems(doc: DocumentSnapshot) -> list[FieldError]:
    problems = []
    if not (doc.buyer_reference or "").strip() and not (doc.order_reference or "").strip():
        problems.append(_err("PEPPOL-EN16931-R003", "a buyer reference or purchase order reference must be provided"))
    if not _is_currency(doc.currency):
        problems.append(_err("PEPPOL-EN16931-CL007", "the currency must be an ISO 4217 code", doc.currency))
    if doc.period_start and doc.period_end and doc.period_end < doc.period_start:
        problems.append(_err("BR-29", "the invoicing period must not end before it starts"))
    if doc.payable < 0:
        problems.append(_err("BR-CO-25", "the amount due for payment must not be negative", doc.payable))
    return problems


def _is_currency(code: str) -> bool:
    try:
        check_currency(code)
    except ValueError:
        return False
    return True


def _party_problems(party: PartySnapshot, role: str, endpoint_rule: str) -> list[FieldError]:
    problems = []
    if not (party.endpoint or "").strip() or not (party.endpoint_scheme or "").strip():
        problems.append(_err(endpoint_rule, f"the {role}'s electronic address and its scheme must be provided"))
    elif party.endpoint_scheme not in EAS_CODES:
        problems.append(_err("PEPPOL-EN16931-CL008", f"unknown {role} endpoint scheme", party.endpoint_scheme))
    elif party.endpoint_scheme == "0208" and not _belgian_enterprise_number(party.endpoint or ""):
        problems.append(_err("PEPPOL-COMMON-R043", f"the {role}'s Belgian enterprise number is malformed"))
    if not is_country(party.address.country):
        problems.append(_err("BR-CL-14", f"the {role}'s country must be an ISO 3166-1 code", party.address.country))
    if party.company_id_scheme and not _ICD.match(party.company_id_scheme):
        problems.append(
            _err("BR-CL-11", f"the {role}'s registration scheme must be an ISO 6523 ICD", party.company_id_scheme)
        )
    return problems


def _belgian_enterprise_number(value: str) -> bool:
    return bool(re.fullmatch(r"[01][0-9]{9}", value)) and bool(be_vat.is_valid("BE" + value))


def _line_problems(doc: DocumentSnapshot) -> list[FieldError]:
    problems = []
    for line in doc.lines:
        where = f"line {line.position}"
        if abs(line.quantity * line.unit_price - line.net) > LINE_SLACK:
            problems.append(_err("PEPPOL-EN16931-R120", "line net must equal quantity x unit price", line.net, where))
        if not _UNIT_CODE.match(line.unit_code):
            problems.append(_err("BR-CL-23", "unit code must be a UN/ECE Rec 20 code", line.unit_code, where))
        if not line.description.strip():
            problems.append(_err("BR-25", "every line needs an item name", source=where))
        if line.period_start and line.period_end and line.period_end < line.period_start:
            problems.append(_err("BR-30", "a line period must not end before it starts", source=where))
    return problems


def _vat_problems(doc: DocumentSnapshot) -> list[FieldError]:
    problems = []
    categories = {g.category for g in doc.vat_groups} | {line.vat_category for line in doc.lines}
    for group in doc.vat_groups:
        problems += _exemption_problems(group.category, group.exemption_code, group.exemption_reason)
    if NOT_SUBJECT in categories and len(categories) > 1:
        problems.append(_err("BR-O-11", "'not subject to VAT' cannot share a document with other VAT categories"))
    if not doc.seller.vat_number:
        for category in sorted(categories - {NOT_SUBJECT}):
            rule = f"BR-{_RULE_PREFIX.get(category, category)}-02"
            problems.append(_err(rule, f"category {category} needs the seller's VAT number"))
    if "K" in categories and not doc.buyer.vat_number:
        problems.append(_err("BR-IC-02", "an intra-Community supply needs the buyer's VAT number"))
    if "AE" in categories and not (doc.buyer.vat_number or doc.buyer.company_id):
        problems.append(_err("BR-AE-02", "a reverse-charged supply needs the buyer's VAT or registration number"))
    if NOT_SUBJECT in categories and not doc.seller.company_id:
        # BR-O-02 forbids VAT numbers on such a document, so the seller must be identified by its registration.
        problems.append(_err("BR-CO-26", "the seller needs a registration number on a 'not subject to VAT' invoice"))
    return problems


def _exemption_problems(category: str, code: str, reason: str) -> list[FieldError]:
    where = f"VAT group {category}"
    if category in TAXED:
        return [_err("BR-S-10", "a taxed group carries no exemption code", code, where)] if code else []
    if category == "E":
        ok = code.startswith(EXEMPT_PREFIX) or (not code and bool(reason.strip()))
    elif category in EXEMPTION_CODES:
        ok = code == EXEMPTION_CODES[category] or (not code and bool(reason.strip()))
    else:
        return [_err("BR-CL-17", "VAT category outside S, Z, E, AE, K, G, O", category, where)]
    if not ok:
        rule = f"BR-{_RULE_PREFIX.get(category, category)}-10"
        return [_err(rule, "exemption code does not fit the category", code, where)]
    return []


def _dutch_problems(doc: DocumentSnapshot) -> list[FieldError]:
    """The Peppol national rules for suppliers in the Netherlands (NL-R-001 .. NL-R-008)."""
    problems = []
    if doc.preceding is None and doc.kind == "credit_note":
        problems.append(_err("NL-R-001", "a Dutch supplier's credit note must reference the invoice"))
    if doc.seller.company_id_scheme not in _DUTCH_LEGAL_SCHEMES or not doc.seller.company_id:
        problems.append(_err("NL-R-003", "a Dutch supplier's legal entity id must be a KvK or OIN number"))
    buyer = doc.buyer
    if buyer.address.country == "NL":
        if not (buyer.address.line1 and buyer.address.city and buyer.address.postal_code):
            problems.append(_err("NL-R-004", "a Dutch customer's address needs street, city and post code"))
        if buyer.company_id_scheme not in _DUTCH_LEGAL_SCHEMES or not buyer.company_id:
            problems.append(_err("NL-R-005", "a Dutch customer's legal entity id must be a KvK or OIN number"))
    if doc.kind == "invoice" and not doc.seller.iban:
        problems.append(_err("NL-R-007", "a Dutch supplier's invoice must state a means of payment (an account)"))
    return problems


# --- after writing -------------------------------------------------------------------------------------------


def tree_problems(root: Any, currency: str) -> list[FieldError]:
    """Every Peppol rule the written UBL tree ``root`` breaks (structure, not content)."""
    problems = list(_empty_elements(root))
    cbc = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
    cac = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
    if root.findtext(f"{cbc}CustomizationID") != CUSTOMIZATION_ID:
        problems.append(_err("PEPPOL-EN16931-R004", "the specification identifier must be Peppol BIS 3.0's"))
    if root.findtext(f"{cbc}ProfileID") != PROFILE_ID:
        problems.append(_err("PEPPOL-EN16931-R007", "the business process must be billing 01"))
    if len(root.findall(f"{cbc}Note")) > 1:
        problems.append(_err("PEPPOL-EN16931-R002", "no more than one document note is allowed"))
    with_subtotals = [t for t in root.findall(f"{cac}TaxTotal") if t.find(f"{cac}TaxSubtotal") is not None]
    if len(with_subtotals) != 1:
        problems.append(_err("PEPPOL-EN16931-R053", "exactly one tax total with subtotals is required"))
    for element in root.iter():
        found = element.get("currencyID")
        if found is not None and found != currency:
            problems.append(_err("PEPPOL-EN16931-R051", "every amount must be in the document currency", found))
    means = root.findtext(f"{cac}PaymentMeans/{cbc}PaymentMeansCode")
    supplier_country = root.findtext(
        f"{cac}AccountingSupplierParty/{cac}Party/{cac}PostalAddress/{cac}Country/{cbc}IdentificationCode"
    )
    if supplier_country == "NL" and means is not None and means not in DUTCH_PAYMENT_MEANS:
        problems.append(_err("NL-R-008", "a Dutch supplier's payment means must be 30, 48, 49, 57, 58 or 59", means))
    return problems


def _empty_elements(root: Any) -> Iterable[FieldError]:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if len(element) == 0 and not (element.text or "").strip():
            yield _err("PEPPOL-EN16931-R008", "the document must not contain empty elements", source=element.tag)
        for name, value in element.attrib.items():
            if not value.strip():
                yield _err("PEPPOL-EN16931-R008", f"empty attribute {name}", source=element.tag)
