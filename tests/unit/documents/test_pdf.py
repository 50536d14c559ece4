"""Real PDFs of every document type in every language: page 1 renders to a non-blank A4 picture, and the text a
reader sees holds the translated labels, the number, the totals in the reader's locale and the legal mentions."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import replace
from datetime import date

import pytest
from PIL import Image
from weasyprint import HTML

from cashtrail.documents.pdf import render_pdf, render_progress_pdf, render_statement_pdf
from cashtrail.documents.preview import first_page_png, page_count, pdf_text
from tests.factories import account_statement, buyer_party, document_snapshot, progress_statement, seller_party

LANGUAGES = ("en", "fr", "nl", "es")
# What each language must show, written out here (not read from the label catalogue) so a wrong translation fails.
EXPECTED = {
    "en": {
        "remaining": "21.600,00 €",
        "balance": "6.628,40 €",
        "invoice": "INVOICE",
        "credit_note": "CREDIT NOTE",
        "progress": "PROGRESS STATEMENT",
        "statement": "STATEMENT OF ACCOUNT",
        "due": "Amount due",
        "page": "Page 1 of 1",
        "total": "594,40 €",  # English read in Belgium: CLDR en_BE
        "date": "30 April 2026",
    },
    "fr": {
        "remaining": "21 600,00 €",
        "balance": "6 628,40 €",
        "invoice": "FACTURE",
        "credit_note": "NOTE DE CRÉDIT",
        "progress": "ÉTAT D'AVANCEMENT",
        "statement": "RELEVÉ DE COMPTE",
        "due": "Montant à payer",
        "page": "Page 1 sur 1",
        "total": "594,40 €",
        "date": "30 avril 2026",
    },
    "nl": {
        "remaining": "€ 21.600,00",
        "balance": "€ 6.628,40",
        "invoice": "FACTUUR",
        "credit_note": "CREDITNOTA",
        "progress": "VORDERINGSSTAAT",
        "statement": "REKENINGOVERZICHT",
        "due": "Te betalen",
        "page": "Pagina 1 van 1",
        "total": "€ 594,40",
        "date": "30 april 2026",
    },
    "es": {
        "remaining": "21.600,00 €",
        "balance": "6.628,40 €",
        "invoice": "FACTURA",
        "credit_note": "NOTA DE CRÉDITO",
        "progress": "CERTIFICACIÓN DE OBRA",
        "statement": "ESTADO DE CUENTA",
        "due": "Importe a pagar",
        "page": "Página 1 de 1",
        "total": "594,40 €",
        "date": "30 de abril de 2026",
    },
}
A4_AT_72_DPI = (595, 842)
# The number each document prints under its title, and the figure (key to EXPECTED) that must appear in the locale.
NUMBERS = {
    "invoice": ("INV-BE-2026-000001", "total"),
    "credit_note": ("CN-BE-2026-000009", "total"),
    "progress": ("PS-LFT-00042-03", "remaining"),
    "statement": ("C0001", "balance"),
}


def _text(pdf: bytes) -> str:
    """The PDF's text with no-break spaces made plain and runs of white space collapsed."""
    text = pdf_text(pdf).replace("\u00a0", " ").replace("\u202f", " ").replace("\ufffe", "")
    return re.sub(r"\s+", " ", text)


def _assert_first_page_looks_like_a_document(pdf: bytes) -> None:
    png = first_page_png(pdf, dpi=72)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert abs(image.size[0] - A4_AT_72_DPI[0]) <= 1
    assert abs(image.size[1] - A4_AT_72_DPI[1]) <= 1
    grey = image.convert("L")
    histogram = grey.histogram()
    ink = sum(histogram[:128])  # dark pixels: text, rules, the amount-due box
    assert 0.01 < ink / (image.size[0] * image.size[1]) < 0.5
    assert grey.getextrema()[0] < 40  # there is real black-ish text, not a grey haze


def _render(kind: str, language: str) -> bytes:
    seller, buyer = seller_party(country="BE"), buyer_party(country="BE")
    if kind == "invoice":
        return render_pdf(document_snapshot(language=language))
    if kind == "credit_note":
        return render_pdf(document_snapshot(language=language, kind="credit_note", number="CN-BE-2026-000009"))
    if kind == "progress":
        return render_progress_pdf(progress_statement(), seller, buyer, language)
    return render_statement_pdf(account_statement(), seller, buyer, language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["invoice", "credit_note", "progress", "statement"])
def test_every_document_renders_in_every_language_with_its_title_and_page_numbers(kind: str, language: str) -> None:
    pdf = _render(kind, language)
    text = _text(pdf)

    assert pdf.startswith(b"%PDF-")
    _assert_first_page_looks_like_a_document(pdf)
    assert EXPECTED[language][kind] in text
    assert EXPECTED[language]["page"] in text
    assert EXPECTED[language]["date"] in text
    assert "Cashtrail Demo Services SA" in text
    assert "Acme Lifts NV" in text
    assert "BE0202239951" in text  # the seller's VAT number, on every document
    number, figure = NUMBERS[kind]
    assert number in text
    assert EXPECTED[language][figure] in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invoice_shows_its_number_total_in_the_readers_locale_and_payment_reference(language: str) -> None:
    snapshot = document_snapshot(language=language)
    text = _text(render_pdf(snapshot))

    assert snapshot.number in text
    assert f"{EXPECTED[language]['due']} {EXPECTED[language]['total']}" in text
    assert snapshot.payment_reference_display in text  # +++000/0001/00131+++
    assert "BE68 5390 0754 7034" in text
    assert "GKCCBEBB" in text


def test_an_english_reader_in_ireland_gets_irish_number_formats() -> None:
    snapshot = document_snapshot(language="en", buyer_country="IE", buyer_vat=None)
    text = _text(render_pdf(snapshot))

    assert "Amount due €594.40" in text
    assert "IRELAND" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invoice_prints_the_legal_mentions_in_its_language(language: str) -> None:
    reverse_charge = document_snapshot(language=language, buyer_country="FR", buyer_vat="FR40303265045")
    text = _text(render_pdf(reverse_charge))

    assert reverse_charge.mentions  # the VAT exemption reason, frozen in the snapshot
    for mention in reverse_charge.mentions:
        assert mention in text
    assert "2006/112" in text
    assert "40" in text
    assert "2002" in text  # the Belgian late-payment notice


def test_a_french_invoice_states_the_late_payment_penalties_and_the_40_euro_indemnity() -> None:
    snapshot = document_snapshot(seller_country="FR", buyer_country="FR", buyer_vat="FR40303265045", language="fr")
    text = _text(render_pdf(snapshot))

    assert "L441-10" in text
    assert "indemnité forfaitaire pour frais de recouvrement de 40 €" in text
    assert "SAS au capital de 50 000 €, RCS Paris 303 265 045" in text  # the seller's legal form and register
    assert "SIREN 303265045" in text
    assert snapshot.payment_reference.startswith("RF")
    assert snapshot.payment_reference_display in text
    assert "Référence de paiement" in text


def test_a_credit_note_names_the_invoice_it_corrects_and_the_belgian_vat_mention() -> None:
    snapshot = document_snapshot(language="nl", kind="credit_note")
    text = _text(render_pdf(snapshot))

    assert "Corrigeert factuur INV-BE-2026-000000 van 31 maart 2026" in text
    assert "Btw terug te storten aan de Staat" in text
    assert "Gecrediteerd bedrag € 594,40" in text
    assert "BE68 5390" not in text.split("Gecrediteerd")[1].split("Cashtrail")[0]  # no pay-to account box


def test_a_spanish_sellers_credit_note_is_a_factura_rectificativa() -> None:
    snapshot = document_snapshot(
        seller_country="ES", buyer_country="ES", buyer_vat="ESJ99216582", language="es", kind="credit_note"
    )
    text = _text(render_pdf(snapshot))

    assert "FACTURA RECTIFICATIVA" in text
    assert "artículo 15 del Real Decreto 1619/2012" in text


def test_a_foreign_buyer_gets_the_country_name_in_the_document_language() -> None:
    snapshot = document_snapshot(language="nl", buyer_country="FR", buyer_vat="FR40303265045")
    text = _text(render_pdf(snapshot))

    assert "FRANKRIJK" in text
    assert "Btw verlegd" in text


def test_line_periods_notes_and_delivery_date_are_printed() -> None:
    snapshot = document_snapshot(language="en")
    lines = tuple(
        replace(line, period_start=date(2026, 4, 1), period_end=date(2026, 4, 30), note="3 units x 250.00")
        for line in snapshot.lines
    )
    dated = replace(snapshot, lines=lines, period_start=date(2026, 4, 1), period_end=date(2026, 4, 30))
    text = _text(render_pdf(replace(dated, delivery_date=date(2026, 4, 21))))

    assert "1 Apr 2026 – 30 Apr 2026" in text
    assert "3 units x 250.00" in text
    assert "Delivery date 21 April 2026" in text


def test_text_from_the_snapshot_is_escaped_not_interpreted() -> None:
    snapshot = document_snapshot(lines=(('Fee <b>bold</b> & "quotes" <script>x</script>', "1", "10.00", "standard"),))
    text = _text(render_pdf(snapshot))

    assert 'Fee <b>bold</b> & "quotes" <script>x' in text


@pytest.mark.parametrize("kind", ["invoice", "credit_note", "progress", "statement"])
def test_templates_are_read_as_xml_and_give_the_same_pdf_as_the_html5_parser(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    html5_reads: list[object] = []
    html5_init = HTML.__init__

    def html5_parse(self: HTML, **kwargs: object) -> None:
        html5_reads.append(kwargs)
        html5_init(self, **kwargs)

    monkeypatch.setattr(HTML, "__init__", html5_parse)
    fast = _render(kind, "fr")
    assert html5_reads == []  # every template is well-formed: the C XML parser read it

    def not_xml(markup: str) -> None:
        raise ElementTree.ParseError("forced")

    monkeypatch.setattr(ElementTree, "fromstring", not_xml)
    slow = _render(kind, "fr")
    assert len(html5_reads) == 1
    assert fast == slow


def test_a_text_xml_forbids_falls_back_to_the_html5_parser() -> None:
    snapshot = document_snapshot(lines=(("Fee\x0bwith a vertical tab", "1", "10.00", "standard"),))
    text = _text(render_pdf(snapshot))

    assert "Fee" in text
    assert "with a vertical tab" in text
    assert "INV-BE-2026-000001" in text


def test_a_long_invoice_runs_over_pages_with_page_x_of_y() -> None:
    lines = tuple((f"Meter read {i}: black and white pages", str(i * 10), "0.0123", "standard") for i in range(1, 121))
    pdf = render_pdf(document_snapshot(language="en", lines=lines))
    pages = page_count(pdf)
    text = _text(pdf)

    assert pages >= 3
    assert f"Page {pages} of {pages}" in text
    assert f"Page 2 of {pages}" in text
    assert "Meter read 120" in text


def test_a_progress_statement_shows_the_stages_and_what_remains_to_bill() -> None:
    irish = buyer_party(country="IE", vat=None)
    text = _text(render_progress_pdf(progress_statement(), seller_party(), irish, "en"))

    assert "MOD-00042" in text
    assert "INV-BE-2026-000101" in text
    assert "INV-BE-2026-000245" in text
    assert "Contract value €86,400.00" in text
    assert "Billed to date · 75% €64,800.00" in text
    assert "Remaining to bill €21,600.00" in text
    assert "This statement is not an invoice" in text


def test_a_statement_of_account_shows_the_items_balance_and_aging() -> None:
    text = _text(render_statement_pdf(account_statement(), seller_party(), buyer_party(), "fr"))

    assert "INV-BE-2025-000912" in text
    assert "Note de crédit" in text
    assert "123" in text  # days overdue of the oldest invoice
    assert "SOLDE 6 628,40 €" in text
    assert "> 120 jours" in text
    assert "montant échu de 3 630,00 €" in text


def test_an_empty_statement_of_account_says_so() -> None:
    text = _text(render_statement_pdf(account_statement(items=()), seller_party(), buyer_party(), "es"))

    assert "Sin partidas abiertas." in text
    assert "no hay importes vencidos" in text
