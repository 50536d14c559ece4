"""Dunning letters as PDF (WeasyPrint from an HTML template) and as e-mail text, in the customer's language, with
dates and amounts formatted by Babel for that language (``nl`` → ``nl_BE``, ``fr`` → ``fr_BE``…)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency
from jinja2 import Environment, FileSystemLoader, select_autoescape

from cashtrail.documents.dunning_texts import text
from cashtrail.dunning.letters import LetterContent, RenderedLetter
from cashtrail.money import Money

TEMPLATES = Path(__file__).parent / "templates"
LOCALES = {"en": "en_GB", "fr": "fr_BE", "nl": "nl_BE", "es": "es_ES"}

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def _money(amount: Money, locale: str) -> str:
    return format_currency(amount.rounded().amount, amount.currency, locale=locale)


def letter_context(letter: LetterContent) -> dict[str, Any]:
    """What the template shows, formatted for the letter's language."""
    lang, level = letter.language, letter.level_number
    locale = LOCALES.get(lang, "en_GB")
    return {
        "lang": lang,
        "letter": letter,
        "t": lambda key: text(lang, key),
        "title": text(lang, "title", level),
        "intro": text(lang, "intro", level),
        "as_of": format_date(letter.as_of, "long", locale=locale),
        "charges": any(not line.interest.is_zero() or not line.compensation.is_zero() for line in letter.lines),
        "lines": [
            {
                "reference": line.reference,
                "due": format_date(line.due_date, "short", locale=locale),
                "days": line.days_past_due,
                "open": _money(line.open_amount, locale),
                "interest": _money(line.interest, locale),
                "compensation": _money(line.compensation, locale),
            }
            for line in letter.lines
        ],
        "fee": None if letter.fee.is_zero() else _money(letter.fee, locale),
        "amount_due": _money(letter.amount_due, locale),
        "iban": " ".join(letter.creditor_iban[i : i + 4] for i in range(0, len(letter.creditor_iban), 4)),
    }


def letter_html(letter: LetterContent) -> str:
    return _env.get_template("dunning/letter.html").render(**letter_context(letter))


def letter_email(letter: LetterContent) -> tuple[str, str]:
    """Subject and plain-text body of the e-mail that carries the PDF."""
    ctx = letter_context(letter)
    lang = letter.language
    subject = text(lang, "subject").format(title=ctx["title"], count=len(letter.lines), amount=ctx["amount_due"])
    rows = [f"- {r['reference']}  {r['due']}  {r['open']}" for r in ctx["lines"]]
    pay = [f"{text(lang, 'pay')}: {letter.creditor_name}, IBAN {ctx['iban']}", ""] if letter.creditor_iban else []
    body = "\n".join(
        [
            text(lang, "greeting"),
            "",
            ctx["intro"],
            "",
            *rows,
            "",
            f"{text(lang, 'total')}: {ctx['amount_due']}",
            "",
            *pay,
            text(lang, "ignore"),
            "",
            text(lang, "closing"),
            letter.creditor_name,
        ]
    )
    return subject, body


class WeasyLetterRenderer:
    """Implements :class:`cashtrail.dunning.letters.LetterRenderer`."""

    def render(self, letter: LetterContent) -> RenderedLetter:
        from weasyprint import HTML  # imported here: loading WeasyPrint costs ~1 s, only letters need it

        subject, body = letter_email(letter)
        pdf = HTML(string=letter_html(letter)).write_pdf()
        assert pdf is not None
        return RenderedLetter(subject, body, pdf)
