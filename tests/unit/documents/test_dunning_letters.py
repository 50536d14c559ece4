"""Dunning letters rendered for real: WeasyPrint PDF in each language, page 1 rasterised with pdfium, and the
e-mail text with Babel's formats."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium
import pytest

from cashtrail.documents.dunning_pdf import WeasyLetterRenderer, letter_email
from cashtrail.dunning.letters import LetterContent, LetterLine
from cashtrail.money import Money


def _letter(language: str, level: int = 3) -> LetterContent:
    line = LetterLine(
        1,
        "INV-BE01-2026-000001",
        date(2026, 3, 31),
        60,
        level,
        Money.of("10000.00", "EUR"),
        Money.of("166.85", "EUR"),
        Money.of("40", "EUR"),
        60,
    )
    return LetterContent(
        "C1",
        "Acme Lifts NV",
        ("Grote Markt 1", "1000 Brussel"),
        language,
        date(2026, 5, 30),
        level,
        "formal notice",
        "email",
        "EUR",
        (line,),
        Money.of("0", "EUR"),
        "Cashtrail Services Belgium NV",
        "BE68539007547034",
    )


@pytest.mark.parametrize(
    ("language", "title", "total"),
    [
        ("en", "Formal notice", "€10,206.85"),
        ("fr", "Mise en demeure", "10\u202f206,85\xa0€"),
        ("nl", "Ingebrekestelling", "€\xa010.206,85"),
        ("es", "Requerimiento formal", "10.206,85\xa0€"),
    ],
)
def test_the_letter_is_written_in_the_customers_language_with_its_number_formats(language, title, total) -> None:
    subject, body = letter_email(_letter(language))
    assert subject.startswith(title)
    assert total in body
    assert "INV-BE01-2026-000001" in body


def test_the_pdf_has_one_a4_page_with_ink_on_it() -> None:
    rendered = WeasyLetterRenderer().render(_letter("nl"))
    document = pdfium.PdfDocument(rendered.pdf)
    assert len(document) == 1
    page = document[0]
    width, height = page.get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    image = page.render(scale=0.5).to_pil().convert("L")
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 500  # text and table rules, not a blank page
    text = page.get_textpage().get_text_range()
    assert "Ingebrekestelling" in text
    assert "166,85" in text
    assert "BE68 5390 0754 7034" in text  # where to pay
