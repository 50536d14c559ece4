"""The printed labels of every document, in the four document languages, and the locale each reader gets.

The catalogue is a Python mapping, one tuple ``(en, fr, nl, es)`` per label (decision D-201): a missing
translation is a test failure, not a silent fallback, and a label is reviewed next to its siblings. Labels may
hold ``{name}`` fields filled by :meth:`Labels.__call__`. A few labels depend on the seller's legal system (a
French seller's credit note is an "avoir", a Spanish one a "factura rectificativa"): :data:`SELLER_OVERRIDES`.

:func:`locale_for` picks the CLDR locale for numbers, dates and currency: the document language in the buyer's
country when CLDR has that locale (``fr_BE``, ``nl_NL``, ``en_IE``), else the language's home locale.

Invariants: every label has exactly four non-empty texts; every language of ``LANGUAGES`` has a home locale.
"""

from __future__ import annotations

import functools
from typing import Any

from babel import Locale, localedata

from cashtrail.errors import ValidationFailed
from cashtrail.parties.identifiers import LANGUAGES

HOME_LOCALES = {"en": "en_IE", "fr": "fr_FR", "nl": "nl_NL", "es": "es_ES"}

_T = tuple[str, str, str, str]
CATALOGUE: dict[str, _T] = {
    # document titles
    "invoice": ("Invoice", "Facture", "Factuur", "Factura"),
    "credit_note": ("Credit note", "Note de crédit", "Creditnota", "Nota de crédito"),
    "progress_statement": ("Progress statement", "État d'avancement", "Vorderingsstaat", "Certificación de obra"),
    "account_statement": ("Statement of account", "Relevé de compte", "Rekeningoverzicht", "Estado de cuenta"),
    # heading facts
    "number": ("Number", "Numéro", "Nummer", "Número"),
    "date": ("Date", "Date", "Datum", "Fecha"),
    "due_date": ("Due date", "Échéance", "Vervaldatum", "Vencimiento"),
    "customer_number": ("Customer no.", "N° client", "Klantnummer", "N.º de cliente"),
    "your_reference": ("Your reference", "Votre référence", "Uw referentie", "Su referencia"),
    "order_reference": ("Purchase order", "Bon de commande", "Bestelbon", "Pedido"),
    "contract": ("Contract", "Contrat", "Contract", "Contrato"),
    "period": ("Period", "Période", "Periode", "Periodo"),
    "delivery_date": ("Delivery date", "Date de livraison", "Leveringsdatum", "Fecha de entrega"),
    "corrects": (
        "Corrects invoice {number} of {date}",
        "Corrige la facture {number} du {date}",
        "Corrigeert factuur {number} van {date}",
        "Rectifica la factura {number} de {date}",
    ),
    # parties
    "vat_number": ("VAT No.", "N° TVA", "Btw-nr.", "NIF-IVA"),
    "registration": ("Registration No.", "N° d'immatriculation", "Registratienr.", "N.º de registro"),
    "registration_BE": ("Enterprise No.", "N° d'entreprise", "Ondernemingsnr.", "N.º de empresa"),
    "registration_FR": ("SIREN", "SIREN", "SIREN", "SIREN"),
    "registration_NL": ("KvK No.", "N° KvK", "KvK-nr.", "N.º KvK"),
    "registration_ES": ("NIF", "NIF", "NIF", "NIF"),
    "registration_DE": ("Commercial register", "Registre du commerce", "Handelsregister", "Registro mercantil"),
    "email": ("E-mail", "E-mail", "E-mail", "Correo"),
    "phone": ("Tel.", "Tél.", "Tel.", "Tel."),
    # lines
    "description": ("Description", "Description", "Omschrijving", "Descripción"),
    "quantity": ("Qty", "Qté", "Aantal", "Cant."),
    "unit": ("Unit", "Unité", "Eenheid", "Unidad"),
    "unit_price": ("Unit price", "Prix unitaire", "Eenheidsprijs", "Precio unitario"),
    "vat": ("VAT", "TVA", "Btw", "IVA"),
    "amount_excl": ("Amount excl. VAT", "Montant hors TVA", "Bedrag excl. btw", "Importe sin IVA"),
    "net_amount": ("Net amount", "Montant net", "Nettobedrag", "Importe neto"),
    "item": ("Item", "Article", "Artikel", "Artículo"),
    # VAT breakdown and totals
    "vat_breakdown": ("VAT breakdown", "Récapitulatif TVA", "Btw-overzicht", "Desglose de IVA"),
    "taxable": ("Taxable amount", "Base imposable", "Maatstaf van heffing", "Base imponible"),
    "vat_amount": ("VAT amount", "Montant TVA", "Btw-bedrag", "Cuota de IVA"),
    "total_net": ("Total excl. VAT", "Total hors TVA", "Totaal excl. btw", "Total sin IVA"),
    "total_gross": ("Total incl. VAT", "Total TVA comprise", "Totaal incl. btw", "Total con IVA"),
    "prepaid": ("Already paid", "Déjà payé", "Reeds betaald", "Ya pagado"),
    "amount_due": ("Amount due", "Montant à payer", "Te betalen", "Importe a pagar"),
    "amount_credited": ("Amount credited", "Montant crédité", "Gecrediteerd bedrag", "Importe abonado"),
    "vat_S": ("Standard rate", "Taux normal", "Normaal tarief", "Tipo general"),
    "vat_Z": ("Zero rate", "Taux zéro", "Nultarief", "Tipo cero"),
    "vat_E": ("Exempt", "Exonéré", "Vrijgesteld", "Exento"),
    "vat_AE": ("Reverse charge", "Autoliquidation", "Btw verlegd", "Inversión del sujeto pasivo"),
    "vat_K": (
        "Intra-Community supply",
        "Livraison intracommunautaire",
        "Intracommunautaire levering",
        "Entrega intracomunitaria",
    ),
    "vat_G": ("Export", "Exportation", "Uitvoer", "Exportación"),
    "vat_O": ("Not subject to VAT", "Hors champ de la TVA", "Niet onderworpen aan btw", "No sujeto a IVA"),
    # payment
    "payment": ("Payment", "Paiement", "Betaling", "Pago"),
    "pay_by": (
        "Please pay {amount} by {date} to the account below, quoting the reference.",
        "Merci de payer {amount} au plus tard le {date} sur le compte ci-dessous, en mentionnant la référence.",
        "Gelieve {amount} te betalen uiterlijk op {date} op de rekening hieronder, met vermelding van de referentie.",
        "Le rogamos abone {amount} antes del {date} en la cuenta indicada, indicando la referencia.",
    ),
    "credited": (
        "This amount is credited to your account; please quote the reference when you offset it.",
        "Ce montant est porté au crédit de votre compte ; merci de mentionner la référence lors de son imputation.",
        "Dit bedrag wordt op uw rekening gecrediteerd; vermeld de referentie wanneer u het verrekent.",
        "Este importe se abona en su cuenta; indique la referencia al compensarlo.",
    ),
    "reference_rf": ("Payment reference", "Référence de paiement", "Betalingskenmerk", "Referencia de pago"),
    "reference_ogm": (
        "Structured communication",
        "Communication structurée",
        "Gestructureerde mededeling",
        "Comunicación estructurada",
    ),
    "iban": ("IBAN", "IBAN", "IBAN", "IBAN"),
    "bic": ("BIC", "BIC", "BIC", "BIC"),
    "payment_terms": ("Payment terms", "Conditions de paiement", "Betalingsvoorwaarden", "Condiciones de pago"),
    "notes": ("Notes", "Remarques", "Opmerkingen", "Observaciones"),
    "page": ("Page", "Page", "Pagina", "Página"),
    "of": ("of", "sur", "van", "de"),
    # progress statement
    "contract_value": ("Contract value", "Montant du marché", "Contractwaarde", "Importe del contrato"),
    "works": (
        "Works and stages billed",
        "Travaux et étapes facturés",
        "Gefactureerde werken en fasen",
        "Trabajos y fases facturados",
    ),
    "share_of_contract": ("% of contract", "% du marché", "% contract", "% contrato"),
    "previously_billed": ("Previously billed", "Déjà facturé", "Reeds gefactureerd", "Facturado anteriormente"),
    "this_statement": ("This statement", "Présent état", "Deze staat", "Esta certificación"),
    "billed_to_date": ("Billed to date", "Cumul facturé", "Totaal gefactureerd", "Facturado a origen"),
    "percent_complete": ("Progress", "Avancement", "Vordering", "Grado de avance"),
    "remaining": ("Remaining to bill", "Reste à facturer", "Nog te factureren", "Pendiente de facturar"),
    "this_statement_marker": ("this statement", "présent état", "deze staat", "esta certificación"),
    "not_an_invoice": (
        "This statement is not an invoice. Amounts exclude VAT; each stage is invoiced separately.",
        "Cet état n'est pas une facture. Montants hors TVA ; chaque étape fait l'objet d'une facture.",
        "Deze staat is geen factuur. Bedragen exclusief btw; elke fase wordt afzonderlijk gefactureerd.",
        "Esta certificación no es una factura. Importes sin IVA; cada fase se factura por separado.",
    ),
    # statement of account
    "as_of": (
        "Open items on {date}",
        "Postes ouverts au {date}",
        "Openstaande posten op {date}",
        "Partidas abiertas a {date}",
    ),
    "document": ("Document", "Document", "Document", "Documento"),
    "kind": ("Type", "Type", "Soort", "Tipo"),
    "kind_invoice": ("Invoice", "Facture", "Factuur", "Factura"),
    "kind_credit_note": ("Credit note", "Note de crédit", "Creditnota", "Nota de crédito"),
    "kind_payment": ("Payment", "Paiement", "Betaling", "Pago"),
    "amount": ("Amount", "Montant", "Bedrag", "Importe"),
    "open_amount": ("Open amount", "Solde ouvert", "Openstaand", "Pendiente"),
    "days_overdue": ("Days overdue", "Jours de retard", "Dagen te laat", "Días de retraso"),
    "balance": ("Balance", "Solde", "Saldo", "Saldo"),
    "overdue": ("Overdue", "Échu", "Vervallen", "Vencido"),
    "aging": ("Aging", "Ancienneté", "Ouderdom", "Antigüedad"),
    "bucket_current": ("Not yet due", "Non échu", "Niet vervallen", "No vencido"),
    "bucket_range": ("{low}–{high} days", "{low}–{high} jours", "{low}–{high} dagen", "{low}–{high} días"),
    "bucket_over": ("> {low} days", "> {low} jours", "> {low} dagen", "> {low} días"),
    "no_open_items": ("No open items.", "Aucun poste ouvert.", "Geen openstaande posten.", "Sin partidas abiertas."),
    "statement_pay": (
        "Please pay the overdue amount of {amount} now, quoting the document numbers.",
        "Merci de régler dès à présent le montant échu de {amount} en mentionnant les numéros de documents.",
        "Gelieve het vervallen bedrag van {amount} nu te betalen, met vermelding van de documentnummers.",
        "Le rogamos abone ahora el importe vencido de {amount}, indicando los números de documento.",
    ),
    "statement_ok": (
        "Thank you: nothing on your account is overdue.",
        "Merci : aucun montant n'est échu sur votre compte.",
        "Dank u: er staat niets vervallen op uw rekening.",
        "Gracias: no hay importes vencidos en su cuenta.",
    ),
    # units (UN/ECE Recommendation 20)
    "unit_C62": ("pc", "pce", "st", "ud"),
    "unit_H87": ("pc", "pce", "st", "ud"),
    "unit_EA": ("each", "pce", "st", "ud"),
    "unit_HUR": ("h", "h", "u", "h"),
    "unit_MIN": ("min", "min", "min", "min"),
    "unit_DAY": ("day", "jour", "dag", "día"),
    "unit_MON": ("month", "mois", "maand", "mes"),
    "unit_ANN": ("year", "an", "jaar", "año"),
    "unit_KGM": ("kg", "kg", "kg", "kg"),
    "unit_MTR": ("m", "m", "m", "m"),
    "unit_KWH": ("kWh", "kWh", "kWh", "kWh"),
    "unit_LS": ("lump sum", "forfait", "forfait", "global"),
}

# (label, language, seller country) -> text, where the seller's legal system names a document differently.
SELLER_OVERRIDES: dict[tuple[str, str, str], str] = {
    ("credit_note", "fr", "FR"): "Facture d'avoir",
    ("credit_note", "nl", "NL"): "Creditfactuur",
    ("credit_note", "es", "ES"): "Factura rectificativa",
    ("credit_note", "en", "ES"): "Corrective invoice",
    ("credit_note", "fr", "ES"): "Facture rectificative",
    ("credit_note", "nl", "ES"): "Corrigerende factuur",
}
_INDEX = {language: i for i, language in enumerate(("en", "fr", "nl", "es"))}


class Labels:
    """The labels of one document: ``labels("due_date")``, ``labels("pay_by", amount=..., date=...)``."""

    def __init__(self, language: str, seller_country: str = "") -> None:
        if language not in _INDEX:
            raise ValidationFailed(
                f"no document labels in language {language!r}", code="documents.unsupported_language", language=language
            )
        self.language = language
        self.seller_country = seller_country

    def __call__(self, key: str, **fields: Any) -> str:
        text = SELLER_OVERRIDES.get((key, self.language, self.seller_country)) or CATALOGUE[key][_INDEX[self.language]]
        return text.format(**fields) if fields else text

    def colon(self, key: str) -> str:
        """The label followed by a colon, with the no-break space French typography puts before it."""
        return self(key) + ("\u00a0:" if self.language == "fr" else ":")

    def get(self, key: str, default: str) -> str:
        """The label ``key``, or ``default`` when the catalogue has none (unit codes, registration kinds)."""
        return self(key) if key in CATALOGUE else default


@functools.cache
def locale_for(language: str, country: str) -> Locale:
    """The CLDR locale of a reader of ``language`` in ``country`` (``fr`` + ``BE`` -> ``fr_BE``)."""
    if language not in LANGUAGES:
        raise ValidationFailed(
            f"no document locale for language {language!r}", code="documents.unsupported_language", language=language
        )
    name = f"{language}_{country}"
    return Locale.parse(name if localedata.exists(name) else HOME_LOCALES[language])
