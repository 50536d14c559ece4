"""Legal mentions printed on an invoice when a line carries no (or no local) VAT.

An invoice without VAT must say why (Directive 2006/112/EC, article 226 points 11 and 11a): the exemption, or
"reverse charge". Each mention names the directive article it relies on and exists in every document language
Cashtrail writes (English, French, Dutch, Spanish). Domestic lines (standard, reduced or zero rate) need none.

Invariants: every :class:`Treatment` that is not domestic has a mention in every language of ``LANGUAGES``.

>>> mention(Treatment.REVERSE_CHARGE, "fr")
'Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE)'
>>> mention(Treatment.DOMESTIC, "en")
''
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
    if language not in LANGUAGES:
        raise ValidationFailed(
            f"no legal mentions in language {language!r}", code="invoicing.unsupported_language", language=language
        )
    return _MENTIONS.get(treatment, {}).get(language, "")
