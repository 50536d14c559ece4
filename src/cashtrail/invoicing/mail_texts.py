"""The e-mail that carries an invoice or credit note, in the customer's language (EN, FR, NL, ES).

>>> subject, body = document_mail("invoice", "fr", number="INV-BE01-2026-000001", seller="Cashtrail SA",
...     amount="1 210,00 €", due="30/05/2026", reference="+++000/0000/12326+++")
>>> subject
'Facture INV-BE01-2026-000001 de Cashtrail SA'
"""

from __future__ import annotations

_SUBJECTS = {
    ("invoice", "en"): "Invoice {number} from {seller}",
    ("invoice", "fr"): "Facture {number} de {seller}",
    ("invoice", "nl"): "Factuur {number} van {seller}",
    ("invoice", "es"): "Factura {number} de {seller}",
    ("credit_note", "en"): "Credit note {number} from {seller}",
    ("credit_note", "fr"): "Note de crédit {number} de {seller}",
    ("credit_note", "nl"): "Creditnota {number} van {seller}",
    ("credit_note", "es"): "Nota de crédito {number} de {seller}",
}

_BODIES = {
    ("invoice", "en"): "Dear customer,\n\nPlease find attached invoice {number} for {amount}, due on {due}.\n"
    "Please pay with the structured reference {reference}.\n\nKind regards,\n{seller}",
    ("invoice", "fr"): "Madame, Monsieur,\n\nVeuillez trouver ci-joint la facture {number} d'un montant de {amount}, "
    "payable au plus tard le {due}.\nMerci d'utiliser la communication structurée {reference}.\n\n"
    "Meilleures salutations,\n{seller}",
    ("invoice", "nl"): "Geachte klant,\n\nIn bijlage vindt u factuur {number} van {amount}, te betalen uiterlijk op "
    "{due}.\nGelieve de gestructureerde mededeling {reference} te gebruiken.\n\nMet vriendelijke groeten,\n{seller}",
    ("invoice", "es"): "Estimado cliente:\n\nAdjuntamos la factura {number} por {amount}, con vencimiento el {due}.\n"
    "Le rogamos que pague indicando la referencia {reference}.\n\nAtentamente,\n{seller}",
    ("credit_note", "en"): "Dear customer,\n\nPlease find attached credit note {number} for {amount}.\n\n"
    "Kind regards,\n{seller}",
    ("credit_note", "fr"): "Madame, Monsieur,\n\nVeuillez trouver ci-joint la note de crédit {number} d'un montant de "
    "{amount}.\n\nMeilleures salutations,\n{seller}",
    ("credit_note", "nl"): "Geachte klant,\n\nIn bijlage vindt u creditnota {number} van {amount}.\n\n"
    "Met vriendelijke groeten,\n{seller}",
    ("credit_note", "es"): "Estimado cliente:\n\nAdjuntamos la nota de crédito {number} por {amount}.\n\n"
    "Atentamente,\n{seller}",
}


def document_mail(kind: str, language: str, **values: str) -> tuple[str, str]:
    """Subject and body of the e-mail sending a document (English when the language is unknown)."""
    lang = language if (kind, language) in _SUBJECTS else "en"
    return _SUBJECTS[(kind, lang)].format(**values), _BODIES[(kind, lang)].format(**values)
