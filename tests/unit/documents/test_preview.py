"""Page pictures and text of a PDF (pypdfium2)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from cashtrail.documents.pdf import render_pdf
from cashtrail.documents.preview import first_page_png, page_count, pdf_text
from cashtrail.errors import ValidationFailed
from tests.factories import document_snapshot


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(document_snapshot())


@pytest.mark.parametrize(("dpi", "size"), [(72, (595, 842)), (150, (1240, 1754))])
def test_page_one_is_an_a4_picture_at_the_asked_resolution(pdf: bytes, dpi: int, size: tuple[int, int]) -> None:
    image = Image.open(io.BytesIO(first_page_png(pdf, dpi=dpi)))

    assert abs(image.size[0] - size[0]) <= 1
    assert abs(image.size[1] - size[1]) <= 1


def test_the_text_and_page_count_are_read_back(pdf: bytes) -> None:
    assert page_count(pdf) == 1
    assert "INV-BE-2026-000001" in pdf_text(pdf)


def test_bytes_that_are_not_a_pdf_are_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        first_page_png(b"not a pdf")
    assert caught.value.code == "documents.bad_pdf"
