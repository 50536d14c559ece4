"""PDF documents from HTML templates (WeasyPrint): invoices, credit notes, progress and account statements.

Every renderer is a pure adapter: frozen values in, PDF bytes out, no database. Templates live in
``documents/templates/`` (Jinja2, autoescaped); labels come from :mod:`cashtrail.documents.labels` in the
document language; numbers, amounts and dates from :class:`~cashtrail.documents.formatting.Formatter` in the
reader's locale. The seller block, the buyer block in the envelope window, the footer with the seller's legal
identity and "page X of Y" are shared by every document (``base.html``).

Performance (decision D-203): the Jinja2 environment, the compiled stylesheet and WeasyPrint's font configuration are
built once per process and reused (compiling the stylesheet and loading the fonts cost more than laying out a
one-page invoice). The templates are well-formed XHTML, so the rendered markup is read by the C XML parser instead
of the pure-Python HTML5 one (the same tree, a tenth of the time), falling back to the HTML5 parser when a text is
not valid XML. The cyclic garbage collector is paused while a document is laid out: its passes over the thousands
of young boxes (all alive until the PDF is written) cost about a tenth of the render. Rendering is serialised by a
lock: Pango and fontconfig are not documented as thread-safe, so use processes, not threads, to render in
parallel.

Invariants: a renderer never recomputes a total (it prints the values it is given); every text is escaped.
"""

from __future__ import annotations

import functools
import gc
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import cssselect2
import jinja2
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from cashtrail.documents.content import legal_mentions, reference_kind
from cashtrail.documents.formatting import Formatter, group_iban
from cashtrail.documents.labels import Labels, locale_for
from cashtrail.invoicing.account_statement import AccountStatement
from cashtrail.invoicing.progress import ProgressStatement
from cashtrail.invoicing.snapshot import DocumentSnapshot, LineSnapshot, PartySnapshot
from cashtrail.invoicing.totals import DocumentKind

TEMPLATES = Path(__file__).resolve().parent / "templates"
_LOCK = threading.Lock()
_TAXED = {"S", "Z"}


def render_pdf(snapshot: DocumentSnapshot) -> bytes:
    """The invoice or credit note ``snapshot`` as a PDF in the customer's language."""
    credit = snapshot.kind == DocumentKind.CREDIT_NOTE
    context = _context(snapshot.seller, snapshot.buyer, snapshot.language, snapshot.currency)
    t = context["t"]
    context.update(
        doc=snapshot,
        credit=credit,
        title=t("credit_note" if credit else "invoice"),
        number=snapshot.number,
        mentions=legal_mentions(snapshot),
        reference_kind=reference_kind(snapshot.payment_reference),
    )
    return _render("invoice.html", context)


def render_progress_pdf(
    statement: ProgressStatement, seller: PartySnapshot, buyer: PartySnapshot, language: str
) -> bytes:
    """A progress statement (works billed so far against the contract value) as a PDF in ``language``."""
    context = _context(seller, buyer, language, statement.currency)
    context.update(s=statement, title=context["t"]("progress_statement"), number=statement.number)
    return _render("progress.html", context)


def render_statement_pdf(
    statement: AccountStatement, seller: PartySnapshot, buyer: PartySnapshot, language: str
) -> bytes:
    """A customer's statement of account (open items, balance, aging) as a PDF in ``language``."""
    context = _context(seller, buyer, language, statement.currency)
    t = context["t"]
    context.update(
        s=statement,
        title=t("account_statement"),
        number=t("as_of", date=context["f"].date(statement.as_of)),
        buckets=[
            (bucket_label(t, b.first_day, b.last_day), statement.aging_amount(b.label)) for b in statement.buckets
        ],
    )
    return _render("statement.html", context)


def bucket_label(t: Labels, first_day: int | None, last_day: int | None) -> str:
    """The printed name of an aging bucket: not yet due, ``1–30 days``, ``> 120 days``."""
    if first_day is None:
        return t("bucket_current")
    if last_day is None:
        return t("bucket_over", low=first_day - 1)
    return t("bucket_range", low=first_day, high=last_day)


def _context(seller: PartySnapshot, buyer: PartySnapshot, language: str, currency: str) -> dict[str, Any]:
    t = Labels(language, seller.address.country)
    f = Formatter(locale_for(language, buyer.address.country), currency)

    def vat_label(category: str, rate: Decimal, short: bool = False) -> str:
        # A line's narrow VAT column shows the rate (0 % when untaxed, a dash when outside VAT); the breakdown
        # below names the category and the mentions say why.
        if category in _TAXED or (short and category != "O"):
            return f.percent(rate)
        return "–" if short else t(f"vat_{category}")

    def registration(party: PartySnapshot) -> str:
        return t.get(f"registration_{party.address.country}", t("registration"))

    def line_detail(line: LineSnapshot) -> str:
        parts = [f"{t('item')} {line.item_id}" if line.item_id else ""]
        parts.append(f"{t('contract')} {line.contract_number}" if line.contract_number else "")
        parts.append(f.period(line.period_start, line.period_end))
        return " · ".join(p for p in parts if p)

    return {
        "t": t,
        "f": f,
        "seller": seller,
        "buyer": buyer,
        "vat_label": vat_label,
        "registration": registration,
        "line_detail": line_detail,
    }


def _render(template: str, context: dict[str, Any]) -> bytes:
    html = _environment().get_template(template).render(**context)
    with _LOCK, _collector_paused():
        pdf = _DocumentHTML(html).write_pdf(stylesheets=[_stylesheet()], font_config=_fonts())
    if pdf is None:  # only when a target file is given; kept for the type checker
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["iban"] = group_iban
    environment.filters["css_string"] = _css_string
    environment.filters["nobr"] = _no_break
    return environment


def _no_break(parts: tuple[str, ...]) -> str:
    """``parts`` joined by spaces that never break: one text run instead of a ``white-space: nowrap`` span, whose
    boxes cost as much to lay out and draw as a line of text."""
    return "\u00a0".join(str(part).replace(" ", "\u00a0") for part in parts)


def _css_string(text: str) -> Markup:
    """``text`` safe inside a double-quoted CSS string in a ``<style>`` element."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>&\n' else ch for ch in str(text))
    return Markup(escaped)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for the block; reference counting still frees the rest."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


class _DocumentHTML(HTML):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """WeasyPrint's HTML read from our XHTML markup, with our small user-agent stylesheet (decision D-203)."""

    def __init__(self, markup: str) -> None:
        try:
            root = ElementTree.fromstring(markup)
        except ElementTree.ParseError:  # a text with a character XML forbids: the forgiving HTML5 parser
            super().__init__(string=markup, base_url=str(TEMPLATES))
            return
        self.base_url = str(TEMPLATES)
        self.url_fetcher = URLFetcher()
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [_ua_stylesheet()]


@functools.cache
def _ua_stylesheet() -> CSS:
    return CSS(filename=str(TEMPLATES / "ua.css"))


@functools.cache
def _fonts() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _stylesheet() -> CSS:
    return CSS(filename=str(TEMPLATES / "document.css"), font_config=_fonts())
