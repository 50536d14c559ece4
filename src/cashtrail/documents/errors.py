"""Errors raised by the document adapters, each with a stable ``code``."""

from __future__ import annotations

from typing import Any

from cashtrail.errors import FieldError, InvalidState, ValidationFailed


class UblDocumentInvalid(ValidationFailed):
    """A UBL document has at least one fatal finding; ``errors`` lists each one (rule id, location, message)."""

    code = "documents.ubl_invalid"
    title = "UBL document invalid"

    def __init__(self, detail: str, *, errors: list[FieldError], **fields: Any) -> None:
        super().__init__(detail, errors=errors, **fields)


class ValidatorUnavailable(InvalidState):
    """The validation artefacts (UBL XSD, CEN XSLT) cannot be found, so a document cannot be checked."""

    code = "documents.validator_unavailable"
    title = "Validator unavailable"


class PeppolRulesBroken(ValidationFailed):
    """A document cannot be written as valid Peppol BIS 3.0 UBL; ``errors`` lists each rule broken (id, message)."""

    code = "documents.peppol_rules_broken"
    title = "Peppol rules broken"
