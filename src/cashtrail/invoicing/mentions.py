"""Legal mentions printed on invoices and credit notes: the VAT reason of untaxed lines and the seller country's texts.

An invoice without VAT must say why (Directive 2006/112/EC, article 226 points 11 and 11a): the exemption, or
"reverse charge". Each mention names the directive article it relies on and exists in every document language
Cashtrail writes (English, French, Dutch, Spanish). Domestic lines (standard, reduced or zero rate) need none.

:func:`country_mentions` adds what the seller's own country asks of a business-to-business document (sources in
``docs/documents.md``):
- FR: the late-payment penalty rate and the EUR 40 fixed recovery indemnity must be printed on the invoice
  (Code de commerce L441-9, L441-10 II, D441-5), and so must the early-payment discount terms (L441-9);
- BE: a credit note that carries VAT must say the VAT is to be repaid to the State in so far as it was deducted
  (arrêté royal n° 4, art. 4); the statutory late-payment interest and EUR 40 indemnity (loi du 2 août 2002)
  apply without being printed, and are printed as information;
- NL, ES, DE: the statutory commercial interest and the EUR 40 indemnity (BW 6:119a and 6:96; Ley 3/2004 arts. 7
  and 8; BGB § 288) apply without being printed, and are printed as information; a Spanish credit note is a
  "factura rectificativa" and must say so (Real Decreto 1619/2012, art. 15).

Invariants: every :class:`Treatment` that is not domestic has a mention in every language of ``LANGUAGES``, and so
has every country text; the functions are pure (no clock, no IO).

>>> mention(Treatment.REVERSE_CHARGE, "fr")
'Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE)'
>>> mention(Treatment.DOMESTIC, "en")
''
>>> country_mentions("BE", "fr", credit_note=True, vat_charged=True)[0][:48]
"TVA à reverser à l'État dans la mesure où elle a"
"""

from __future__ import annotations

from enum import StrEnum

from cashtrail.errors import ValidationFailed
from cashtrail.parties.identifiers import LANGUAGES


class Treatment(StrEnum):
    """Why a line carries the VAT it carries."""

    DOMESTIC = "domestic"  # the seller's rate for the product's category (EN 16931 S or Z)
    REVERSE_CHARGE = "reverse_charge"  # intra-EU B2B services, art. 196 (AE)
    INTRA_COMMUNITY_SUPPLY = "intra_community_supply"  # intra-EU B2B goods, art. 138 (K)
    EXPORT = "export"  # goods leaving the EU, art. 146 (G)
    OUTSIDE_SCOPE = "outside_scope"  # B2B services to a customer outside the EU, art. 44 (O)
    EXEMPT = "exempt"  # an exempt activity, art. 132 (E)


_MENTIONS: dict[Treatment, dict[str, str]] = {
    Treatment.REVERSE_CHARGE: {
        "en": "Reverse charge: VAT to be accounted for by the customer (Article 196 of Directive 2006/112/EC)",
        "fr": "Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE)",
        "nl": "Verlegging van heffing: btw verlegd naar de afnemer (artikel 196 van Richtlijn 2006/112/EG)",
        "es": "Inversión del sujeto pasivo: IVA a cargo del destinatario (artículo 196 de la Directiva 2006/112/CE)",
    },
    Treatment.INTRA_COMMUNITY_SUPPLY: {
        "en": "Exempt intra-Community supply of goods (Article 138 of Directive 2006/112/EC)",
        "fr": "Exonération de TVA, livraison intracommunautaire de biens (article 138 de la directive 2006/112/CE)",
        "nl": "Vrijgestelde intracommunautaire levering van goederen (artikel 138 van Richtlijn 2006/112/EG)",
        "es": "Entrega intracomunitaria de bienes exenta de IVA (artículo 138 de la Directiva 2006/112/CE)",
    },
    Treatment.EXPORT: {
        "en": "Export outside the EU, exempt from VAT (Article 146 of Directive 2006/112/EC)",
        "fr": "Exportation hors de l'UE, exonérée de TVA (article 146 de la directive 2006/112/CE)",
        "nl": "Uitvoer buiten de EU, vrijgesteld van btw (artikel 146 van Richtlijn 2006/112/EG)",
        "es": "Exportación fuera de la UE, exenta de IVA (artículo 146 de la Directiva 2006/112/CE)",
    },
    Treatment.OUTSIDE_SCOPE: {
        "en": "Not subject to EU VAT: place of supply outside the EU (Article 44 of Directive 2006/112/EC)",
        "fr": "Hors champ de la TVA de l'UE : lieu de la prestation hors de l'UE (article 44 de la directive "
        "2006/112/CE)",
        "nl": "Niet onderworpen aan EU-btw: plaats van de dienst buiten de EU (artikel 44 van Richtlijn 2006/112/EG)",
        "es": "No sujeto al IVA de la UE: lugar de prestación fuera de la UE (artículo 44 de la Directiva 2006/112/CE)",
    },
    Treatment.EXEMPT: {
        "en": "Exempt from VAT (Article 132 of Directive 2006/112/EC)",
        "fr": "Exonération de TVA (article 132 de la directive 2006/112/CE)",
        "nl": "Vrijgesteld van btw (artikel 132 van Richtlijn 2006/112/EG)",
        "es": "Exento de IVA (artículo 132 de la Directiva 2006/112/CE)",
    },
}


def mention(treatment: Treatment, language: str) -> str:
    """The legal mention for ``treatment`` in ``language`` (``en``, ``fr``, ``nl``, ``es``); empty when domestic."""
    _check_language(language)
    return _MENTIONS.get(treatment, {}).get(language, "")


class CountryText(StrEnum):
    """Which country-specific text."""

    LATE_PAYMENT = "late_payment"  # statutory late-payment interest and the EUR 40 recovery indemnity
    EARLY_PAYMENT = "early_payment"  # the early-payment discount terms (France)
    CREDIT_NOTE_VAT = "credit_note_vat"  # VAT to be repaid where it was deducted (Belgian credit notes)
    CORRECTIVE_INVOICE = "corrective_invoice"  # a Spanish credit note is a "factura rectificativa"


_COUNTRY_TEXTS: dict[tuple[str, CountryText], dict[str, str]] = {
    ("FR", CountryText.LATE_PAYMENT): {
        "en": "Late payment: penalties at the European Central Bank refinancing rate plus 10 percentage points "
        "(article L441-10 of the French Commercial Code) and a fixed indemnity of EUR 40 for recovery costs "
        "(article D441-5).",
        "fr": "En cas de retard de paiement : pénalités au taux de refinancement de la BCE majoré de 10 points "
        "(article L441-10 du Code de commerce) et indemnité forfaitaire pour frais de recouvrement de 40 € "
        "(article D441-5 du Code de commerce).",
        "nl": "Bij laattijdige betaling: nalatigheidsinteresten tegen de herfinancieringsrente van de ECB verhoogd "
        "met 10 procentpunten (artikel L441-10 van het Franse Wetboek van Koophandel) en een forfaitaire "
        "vergoeding van € 40 voor invorderingskosten (artikel D441-5).",
        "es": "En caso de demora en el pago: penalizaciones al tipo de refinanciación del Banco Central Europeo "
        "incrementado en 10 puntos porcentuales (artículo L441-10 del Código de Comercio francés) e indemnización "
        "fija de 40 € por costes de cobro (artículo D441-5).",
    },
    ("FR", CountryText.EARLY_PAYMENT): {
        "en": "No discount for early payment unless the payment terms grant one (article L441-9 of the French "
        "Commercial Code).",
        "fr": "Pas d'escompte pour paiement anticipé, sauf mention contraire dans les conditions de paiement "
        "(article L441-9 du Code de commerce).",
        "nl": "Geen korting voor vervroegde betaling, tenzij de betalingsvoorwaarden er een toekennen "
        "(artikel L441-9 van het Franse Wetboek van Koophandel).",
        "es": "Sin descuento por pronto pago, salvo que las condiciones de pago lo prevean (artículo L441-9 del "
        "Código de Comercio francés).",
    },
    ("BE", CountryText.LATE_PAYMENT): {
        "en": "Late payment: interest at the rate of the Belgian Act of 2 August 2002 on combating late payment in "
        "commercial transactions and a fixed indemnity of EUR 40 for recovery costs.",
        "fr": "En cas de retard de paiement : intérêts au taux de la loi du 2 août 2002 concernant la lutte contre "
        "le retard de paiement dans les transactions commerciales et indemnité forfaitaire de 40 € pour frais de "
        "recouvrement.",
        "nl": "Bij laattijdige betaling: intrest tegen de rentevoet van de wet van 2 augustus 2002 betreffende de "
        "bestrijding van de betalingsachterstand bij handelstransacties en een forfaitaire vergoeding van € 40 "
        "voor invorderingskosten.",
        "es": "En caso de demora en el pago: intereses al tipo de la Ley belga de 2 de agosto de 2002 sobre la "
        "morosidad en las operaciones comerciales e indemnización fija de 40 € por costes de cobro.",
    },
    ("BE", CountryText.CREDIT_NOTE_VAT): {
        "en": "VAT to be repaid to the State to the extent that it was initially deducted (Belgian Royal Decree "
        "No. 4, article 4).",
        "fr": "TVA à reverser à l'État dans la mesure où elle a été initialement déduite (arrêté royal n° 4, "
        "article 4).",
        "nl": "Btw terug te storten aan de Staat in de mate waarin ze oorspronkelijk in aftrek werd gebracht "
        "(koninklijk besluit nr. 4, artikel 4).",
        "es": "IVA que debe reintegrarse al Estado en la medida en que se haya deducido inicialmente (Real Decreto "
        "belga n.º 4, artículo 4).",
    },
    ("NL", CountryText.LATE_PAYMENT): {
        "en": "Late payment: statutory commercial interest (article 6:119a of the Dutch Civil Code) and "
        "compensation for recovery costs of at least EUR 40 (article 6:96 of the Dutch Civil Code).",
        "fr": "En cas de retard de paiement : intérêts commerciaux légaux (article 6:119a du Code civil "
        "néerlandais) et indemnité pour frais de recouvrement d'au moins 40 € (article 6:96).",
        "nl": "Bij te late betaling zijn de wettelijke handelsrente (artikel 6:119a BW) en een vergoeding voor "
        "incassokosten van ten minste € 40 (artikel 6:96 BW) verschuldigd.",
        "es": "En caso de demora en el pago: interés comercial legal (artículo 6:119a del Código Civil neerlandés) "
        "e indemnización por costes de cobro de al menos 40 € (artículo 6:96).",
    },
    ("ES", CountryText.LATE_PAYMENT): {
        "en": "Late payment: statutory late-payment interest (article 7 of Spanish Law 3/2004) and a fixed "
        "indemnity of EUR 40 for recovery costs (article 8 of Law 3/2004).",
        "fr": "En cas de retard de paiement : intérêts moratoires légaux (article 7 de la loi espagnole 3/2004) et "
        "indemnité forfaitaire de 40 € pour frais de recouvrement (article 8 de la loi 3/2004).",
        "nl": "Bij laattijdige betaling: wettelijke nalatigheidsinteresten (artikel 7 van de Spaanse wet 3/2004) en "
        "een forfaitaire vergoeding van € 40 voor invorderingskosten (artikel 8 van wet 3/2004).",
        "es": "En caso de demora en el pago se devengarán los intereses de demora legales (artículo 7 de la Ley "
        "3/2004) y una indemnización de 40 € por costes de cobro (artículo 8 de la Ley 3/2004).",
    },
    ("ES", CountryText.CORRECTIVE_INVOICE): {
        "en": "Corrective invoice (factura rectificativa, article 15 of Spanish Royal Decree 1619/2012).",
        "fr": "Facture rectificative (factura rectificativa, article 15 du décret royal espagnol 1619/2012).",
        "nl": "Corrigerende factuur (factura rectificativa, artikel 15 van het Spaanse koninklijk besluit 1619/2012).",
        "es": "Factura rectificativa (artículo 15 del Real Decreto 1619/2012).",
    },
    ("DE", CountryText.LATE_PAYMENT): {
        "en": "Late payment: default interest of nine percentage points above the base rate and a flat fee of "
        "EUR 40 (section 288(2) and (5) of the German Civil Code).",
        "fr": "En cas de retard de paiement : intérêts moratoires de neuf points au-dessus du taux de base et "
        "indemnité forfaitaire de 40 € (article 288, alinéas 2 et 5, du Code civil allemand).",
        "nl": "Bij laattijdige betaling: verwijlinterest van negen procentpunten boven de basisrente en een "
        "forfaitaire vergoeding van € 40 (§ 288 lid 2 en 5 van het Duitse Burgerlijk Wetboek).",
        "es": "En caso de demora en el pago: intereses de demora de nueve puntos porcentuales sobre el tipo básico "
        "y una cantidad fija de 40 € (artículo 288, apartados 2 y 5, del Código Civil alemán).",
    },
}


def country_texts(
    seller_country: str, *, credit_note: bool = False, vat_charged: bool = True
) -> tuple[CountryText, ...]:
    """Which country texts a document of ``seller_country`` carries, in printing order.

    >>> country_texts("FR")
    (<CountryText.LATE_PAYMENT: 'late_payment'>, <CountryText.EARLY_PAYMENT: 'early_payment'>)
    >>> country_texts("BE", credit_note=True, vat_charged=False)
    ()
    """
    if credit_note:
        wanted = [CountryText.CORRECTIVE_INVOICE] + ([CountryText.CREDIT_NOTE_VAT] if vat_charged else [])
    else:
        wanted = [CountryText.LATE_PAYMENT, CountryText.EARLY_PAYMENT]
    return tuple(text for text in wanted if (seller_country, text) in _COUNTRY_TEXTS)


def country_mentions(
    seller_country: str, language: str, *, credit_note: bool = False, vat_charged: bool = True
) -> tuple[str, ...]:
    """The seller country's texts for a business-to-business invoice or credit note, in ``language``.

    A credit note carries no late-payment text (the customer owes nothing on it); ``vat_charged`` says whether
    the document charges VAT (the Belgian repayment mention concerns only VAT that could have been deducted).
    """
    _check_language(language)
    texts = country_texts(seller_country, credit_note=credit_note, vat_charged=vat_charged)
    return tuple(_COUNTRY_TEXTS[(seller_country, text)][language] for text in texts)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationFailed(
            f"no legal mentions in language {language!r}", code="invoicing.unsupported_language", language=language
        )
