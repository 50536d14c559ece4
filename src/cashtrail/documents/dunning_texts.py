"""The words of dunning letters and e-mails in English, French, Dutch and Spanish, per level (1 friendly reminder,
2 first reminder, 3 formal notice, 4 final notice; higher levels use the last)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title.1": "Friendly reminder",
        "title.2": "First reminder",
        "title.3": "Formal notice",
        "title.4": "Final notice",
        "intro.1": "Our records show that the invoices below are past due. Perhaps this has escaped your attention.",
        "intro.2": "Despite our reminder, the invoices below remain unpaid.",
        "intro.3": "We formally request payment of the invoices below. Late-payment interest and the fixed "
        "compensation for recovery costs are due under Directive 2011/7/EU.",
        "intro.4": "This is our final notice. Without payment within 8 days, we will hand the debt to a collection "
        "agency without further notice.",
        "invoice": "Invoice",
        "due": "Due date",
        "days": "Days late",
        "open": "Open amount",
        "interest": "Interest",
        "compensation": "Compensation",
        "fee": "Reminder fee",
        "total": "Total to pay",
        "pay": "Please pay to",
        "ignore": "If you have paid in the meantime, please disregard this letter.",
        "subject": "{title}: {count} invoice(s) past due, {amount}",
        "greeting": "Dear customer,",
        "closing": "Kind regards,",
    },
    "fr": {
        "title.1": "Rappel amical",
        "title.2": "Premier rappel",
        "title.3": "Mise en demeure",
        "title.4": "Dernier avis",
        "intro.1": "Sauf erreur de notre part, les factures ci-dessous sont échues. Cela vous a peut-être échappé.",
        "intro.2": "Malgré notre rappel, les factures ci-dessous restent impayées.",
        "intro.3": "Nous vous mettons en demeure de payer les factures ci-dessous. Des intérêts de retard et "
        "l'indemnité forfaitaire pour frais de recouvrement sont dus (directive 2011/7/UE).",
        "intro.4": "Ceci est notre dernier avis. À défaut de paiement sous 8 jours, nous confierons la créance à "
        "une société de recouvrement sans autre avis.",
        "invoice": "Facture",
        "due": "Échéance",
        "days": "Jours de retard",
        "open": "Montant ouvert",
        "interest": "Intérêts",
        "compensation": "Indemnité",
        "fee": "Frais de rappel",
        "total": "Total à payer",
        "pay": "Veuillez payer à",
        "ignore": "Si vous avez payé entre-temps, veuillez ignorer ce courrier.",
        "subject": "{title} : {count} facture(s) échue(s), {amount}",
        "greeting": "Madame, Monsieur,",
        "closing": "Sincères salutations,",
    },
    "nl": {
        "title.1": "Vriendelijke herinnering",
        "title.2": "Eerste herinnering",
        "title.3": "Ingebrekestelling",
        "title.4": "Laatste aanmaning",
        "intro.1": "Volgens onze gegevens zijn de onderstaande facturen vervallen. Misschien is dit aan uw aandacht "
        "ontsnapt.",
        "intro.2": "Ondanks onze herinnering blijven de onderstaande facturen onbetaald.",
        "intro.3": "Wij stellen u in gebreke voor de betaling van de onderstaande facturen. Verwijlintresten en de "
        "forfaitaire vergoeding voor invorderingskosten zijn verschuldigd (richtlijn 2011/7/EU).",
        "intro.4": "Dit is onze laatste aanmaning. Zonder betaling binnen 8 dagen dragen wij de schuld zonder verdere "
        "verwittiging over aan een incassobureau.",
        "invoice": "Factuur",
        "due": "Vervaldag",
        "days": "Dagen te laat",
        "open": "Openstaand bedrag",
        "interest": "Intresten",
        "compensation": "Vergoeding",
        "fee": "Herinneringskosten",
        "total": "Totaal te betalen",
        "pay": "Gelieve te betalen aan",
        "ignore": "Hebt u intussen betaald, dan mag u deze brief als niet verzonden beschouwen.",
        "subject": "{title}: {count} vervallen factu(u)r(en), {amount}",
        "greeting": "Geachte klant,",
        "closing": "Met vriendelijke groeten,",
    },
    "es": {
        "title.1": "Recordatorio amistoso",
        "title.2": "Primer recordatorio",
        "title.3": "Requerimiento formal",
        "title.4": "Último aviso",
        "intro.1": "Según nuestros registros, las facturas siguientes están vencidas. Quizá se le haya pasado.",
        "intro.2": "A pesar de nuestro recordatorio, las facturas siguientes siguen pendientes de pago.",
        "intro.3": "Le requerimos formalmente el pago de las facturas siguientes. Se devengan intereses de demora y "
        "la indemnización fija por costes de cobro (Directiva 2011/7/UE).",
        "intro.4": "Este es nuestro último aviso. Sin pago en 8 días, cederemos la deuda a una agencia de cobro sin "
        "más aviso.",
        "invoice": "Factura",
        "due": "Vencimiento",
        "days": "Días de retraso",
        "open": "Importe pendiente",
        "interest": "Intereses",
        "compensation": "Indemnización",
        "fee": "Gastos de reclamación",
        "total": "Total a pagar",
        "pay": "Pague a",
        "ignore": "Si ya ha pagado, no tenga en cuenta esta carta.",
        "subject": "{title}: {count} factura(s) vencida(s), {amount}",
        "greeting": "Estimado cliente:",
        "closing": "Atentamente,",
    },
}


def text(language: str, key: str, level: int | None = None) -> str:
    """The text ``key`` (``key.level`` for per-level texts, capped at level 4) in ``language`` (English fallback)."""
    words = TEXTS.get(language, TEXTS["en"])
    if level is not None:
        key = f"{key}.{min(max(level, 1), 4)}"
    return words[key]
