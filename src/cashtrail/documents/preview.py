"""Pictures and text of a PDF, for previews in the workbench and for tests that look at a rendered document.

PDFium (``pypdfium2``) rasterises a page the way a PDF viewer shows it and extracts its text in reading order.
Invariants: the input is never modified; a PDF without pages is refused with ``ValidationFailed``.
"""

from __future__ import annotations

import io
import threading

import pypdfium2

from cashtrail.errors import ValidationFailed

_POINTS_PER_INCH = 72
# PDFium keeps global state; its documentation asks callers not to use it from several threads at once.
_LOCK = threading.Lock()


def first_page_png(pdf: bytes, dpi: int = 110) -> bytes:
    """Page 1 of ``pdf`` as a PNG at ``dpi`` (A4 at 110 dpi is 910 x 1286 pixels)."""
    with _LOCK:
        document = _open(pdf)
        try:
            bitmap = document[0].render(scale=dpi / _POINTS_PER_INCH)
            image = bitmap.to_pil()
        finally:
            document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def pdf_text(pdf: bytes) -> str:
    """The text of every page of ``pdf``, pages separated by a form feed."""
    with _LOCK:
        document = _open(pdf)
        try:
            return "\f".join(page.get_textpage().get_text_range() for page in document)
        finally:
            document.close()


def page_count(pdf: bytes) -> int:
    """How many pages ``pdf`` has."""
    with _LOCK:
        document = _open(pdf)
        try:
            return len(document)
        finally:
            document.close()


def _open(pdf: bytes) -> pypdfium2.PdfDocument:
    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as err:
        raise ValidationFailed(f"not a readable PDF: {err}", code="documents.bad_pdf") from err
    if len(document) == 0:
        document.close()
        raise ValidationFailed("the PDF has no pages", code="documents.bad_pdf")
    return document
