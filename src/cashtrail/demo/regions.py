"""Where the demo's customers are: one :class:`Region` per country and document language.

Reference data only. Cities carry real postcodes (a ``#`` is filled with a digit and a ``?`` with a letter, for the
Dutch and British formats) and the telephone prefix of the area; US and UK numbers use the ranges reserved for
fiction (555-01xx, Ofcom's 496 0xxx and 7946 0xxx), so no demo number rings a real phone. Weights give the share
of customers per region; payment-terms weights follow local habit (Skonto in Germany, end of month in France,
long terms in Spain).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    """A city with its postcode pattern, telephone prefix and (for Spain) province code."""

    postcode: str
    name: str
    phone: str
    province: str = ""


@dataclass(frozen=True)
class Region:
    """A country as the demo writes it in one document language."""

    key: str
    country: str
    language: str
    currency: str
    weight: int
    faker_locale: str
    suffixes: tuple[str, ...]
    holding_suffix: str
    sectors: tuple[str, ...]
    sector_first: bool
    streets: tuple[str, ...]
    street_format: str
    cities: tuple[City, ...]
    country_tag: str
    group_format: str
    ap_label: str
    site_format: str
    mailboxes: tuple[str, ...]
    terms: tuple[tuple[str, int], ...]
    calling_code: str
    phone_digits: int
    #: How the subscriber part of a phone number is grouped: "pairs" (BE, FR, ES), "split4" (NL) or "plain".
    phone_style: str = "plain"


_NL_SECTORS = ("Bouw", "Logistiek", "Transport", "Techniek", "Vastgoed", "Metaal", "Verpakkingen", "Elektro", "Zorg")
_FR_SECTORS = ("Transports", "Construction", "Logistique", "Immobilier", "Imprimerie", "Électricité", "Ingénierie")
_EN_SECTORS = ("Logistics", "Construction", "Properties", "Printing", "Engineering", "Packaging", "Healthcare")


def _cities(*rows: tuple[str, ...]) -> tuple[City, ...]:
    return tuple(City(*row) for row in rows)


_BE_NL = Region(
    key="BE-nl",
    country="BE",
    language="nl",
    currency="EUR",
    weight=15,
    faker_locale="nl_BE",
    suffixes=("NV", "BV", "BV", "CV"),
    holding_suffix="NV",
    sectors=_NL_SECTORS + ("Accountants", "Drukkerij"),
    sector_first=False,
    streets=("Kerkstraat", "Stationsstraat", "Nijverheidsstraat", "Industrieweg", "Kortrijksesteenweg", "Molenstraat")
    + ("Brusselsesteenweg", "Leuvensesteenweg", "Noorderlaan", "Ambachtenlaan", "Havenlaan", "Dorpstraat"),
    street_format="{street} {number}",
    cities=_cities(
        ("2000", "Antwerpen", "3 "),
        ("9000", "Gent", "9 "),
        ("3000", "Leuven", "16 "),
        ("8000", "Brugge", "50 "),
        ("3500", "Hasselt", "11 "),
        ("2800", "Mechelen", "15 "),
        ("8500", "Kortrijk", "56 "),
        ("9300", "Aalst", "53 "),
        ("2300", "Turnhout", "14 "),
        ("1800", "Vilvoorde", "2 "),
        ("8400", "Oostende", "59 "),
        ("1930", "Zaventem", "2 "),
        ("8800", "Roeselare", "51 "),
        ("3600", "Genk", "89 "),
    ),
    country_tag="België",
    group_format="{brand} Group",
    ap_label="Boekhouding",
    site_format="Vestiging {city}",
    mailboxes=("facturen", "boekhouding"),
    terms=(("N30", 6), ("N60", 2), ("EOM30", 2)),
    calling_code="32",
    phone_digits=8,
    phone_style="pairs",
)

_BE_FR = Region(
    key="BE-fr",
    country="BE",
    language="fr",
    currency="EUR",
    weight=10,
    faker_locale="fr_BE",
    suffixes=("SA", "SRL", "SRL"),
    holding_suffix="SA",
    sectors=_FR_SECTORS,
    sector_first=True,
    streets=("Rue de la Station", "Rue de l'Industrie", "Chaussée de Louvain", "Avenue Louise", "Rue du Commerce")
    + ("Boulevard d'Avroy", "Rue des Champs", "Avenue de Tervueren", "Chaussée de Bruxelles", "Rue Royale"),
    street_format="{street} {number}",
    cities=_cities(
        ("1000", "Bruxelles", "2 "),
        ("1050", "Ixelles", "2 "),
        ("1348", "Louvain-la-Neuve", "10 "),
        ("4000", "Liège", "4 "),
        ("5000", "Namur", "81 "),
        ("6000", "Charleroi", "71 "),
        ("7000", "Mons", "65 "),
        ("1300", "Wavre", "10 "),
        ("1400", "Nivelles", "67 "),
        ("6700", "Arlon", "63 "),
        ("7500", "Tournai", "69 "),
        ("4800", "Verviers", "87 "),
    ),
    country_tag="Belgique",
    group_format="Groupe {brand}",
    ap_label="Service comptabilité",
    site_format="Site de {city}",
    mailboxes=("factures", "comptabilite"),
    terms=(("N30", 6), ("N60", 2), ("EOM30", 2)),
    calling_code="32",
    phone_digits=8,
    phone_style="pairs",
)

_FR = Region(
    key="FR",
    country="FR",
    language="fr",
    currency="EUR",
    weight=20,
    faker_locale="fr_FR",
    suffixes=("SAS", "SAS", "SARL", "SA"),
    holding_suffix="SA",
    sectors=_FR_SECTORS + ("Conseil", "Emballages", "Distribution"),
    sector_first=True,
    streets=("rue de la République", "avenue Jean Jaurès", "boulevard Haussmann", "rue Victor Hugo", "rue Pasteur")
    + ("avenue de la Gare", "rue du Faubourg Saint-Antoine", "rue Nationale", "allée des Tilleuls", "quai de Bercy"),
    street_format="{number} {street}",
    cities=_cities(
        ("75008", "Paris", "1 "),
        ("75011", "Paris", "1 "),
        ("69002", "Lyon", "4 "),
        ("13008", "Marseille", "4 "),
        ("31000", "Toulouse", "5 "),
        ("33000", "Bordeaux", "5 "),
        ("59000", "Lille", "3 "),
        ("44000", "Nantes", "2 "),
        ("67000", "Strasbourg", "3 "),
        ("35000", "Rennes", "2 "),
        ("06000", "Nice", "4 "),
        ("34000", "Montpellier", "4 "),
        ("92100", "Boulogne-Billancourt", "1 "),
        ("92400", "Courbevoie", "1 "),
        ("38000", "Grenoble", "4 "),
        ("21000", "Dijon", "3 "),
    ),
    country_tag="France",
    group_format="Groupe {brand}",
    ap_label="Service comptabilité fournisseurs",
    site_format="Site de {city}",
    mailboxes=("factures", "comptabilite", "fournisseurs"),
    terms=(("N45", 4), ("EOM30", 3), ("N60", 3)),
    calling_code="33",
    phone_digits=9,
    phone_style="pairs",
)

_NL = Region(
    key="NL",
    country="NL",
    language="nl",
    currency="EUR",
    weight=15,
    faker_locale="nl_NL",
    suffixes=("B.V.", "B.V.", "B.V.", "N.V."),
    holding_suffix="B.V.",
    sectors=_NL_SECTORS + ("Installatietechniek", "Advies"),
    sector_first=False,
    streets=("Stationsweg", "Kerkstraat", "Industrieweg", "Hoofdstraat", "Parallelweg", "Europalaan", "Energieweg")
    + ("Handelsweg", "Keizersgracht", "Coolsingel", "Transportweg", "Zuidplein"),
    street_format="{street} {number}",
    cities=_cities(
        ("10## ??", "Amsterdam", "20 "),
        ("30## ??", "Rotterdam", "10 "),
        ("25## ??", "Den Haag", "70 "),
        ("35## ??", "Utrecht", "30 "),
        ("56## ??", "Eindhoven", "40 "),
        ("97## ??", "Groningen", "50 "),
        ("50## ??", "Tilburg", "13 "),
        ("48## ??", "Breda", "76 "),
        ("65## ??", "Nijmegen", "24 "),
        ("80## ??", "Zwolle", "38 "),
        ("68## ??", "Arnhem", "26 "),
        ("20## ??", "Haarlem", "23 "),
        ("38## ??", "Amersfoort", "33 "),
        ("59## ??", "Venlo", "77 "),
    ),
    country_tag="Nederland",
    group_format="{brand} Groep",
    ap_label="Crediteurenadministratie",
    site_format="Vestiging {city}",
    mailboxes=("facturen", "crediteuren"),
    terms=(("N30", 8), ("N45", 1), ("2/10N30", 1)),
    calling_code="31",
    phone_digits=9,
    phone_style="split4",
)

_ES = Region(
    key="ES",
    country="ES",
    language="es",
    currency="EUR",
    weight=12,
    faker_locale="es_ES",
    suffixes=("S.L.", "S.L.", "S.A."),
    holding_suffix="S.A.",
    sectors=("Construcciones", "Transportes", "Logística", "Inmobiliaria", "Ingeniería", "Distribuciones")
    + ("Gráficas", "Instalaciones", "Asesores"),
    sector_first=True,
    streets=("Calle Mayor", "Avenida de la Constitución", "Gran Vía", "Paseo de la Castellana", "Calle de Alcalá")
    + ("Avenida Diagonal", "Calle San Vicente", "Calle Real", "Avenida de América", "Calle del Príncipe"),
    street_format="{street}, {number}",
    cities=_cities(
        ("28001", "Madrid", "91 ", "28"),
        ("28046", "Madrid", "91 ", "28"),
        ("08001", "Barcelona", "93 ", "08"),
        ("08029", "Barcelona", "93 ", "08"),
        ("46001", "Valencia", "96 ", "46"),
        ("41001", "Sevilla", "95 ", "41"),
        ("48001", "Bilbao", "94 ", "48"),
        ("29001", "Málaga", "95 ", "29"),
        ("50001", "Zaragoza", "976 ", "50"),
        ("03001", "Alicante", "965 ", "03"),
        ("30001", "Murcia", "968 ", "30"),
        ("47001", "Valladolid", "983 ", "47"),
        ("15001", "A Coruña", "981 ", "15"),
        ("20001", "San Sebastián", "943 ", "20"),
    ),
    country_tag="España",
    group_format="Grupo {brand}",
    ap_label="Departamento de contabilidad",
    site_format="Delegación {city}",
    mailboxes=("facturas", "contabilidad"),
    terms=(("N60", 6), ("N30", 3)),
    calling_code="34",
    phone_digits=9,
    phone_style="pairs",
)

_DE = Region(
    key="DE",
    country="DE",
    language="en",  # no German documents yet: German customers get English ones
    currency="EUR",
    weight=15,
    faker_locale="de_DE",
    suffixes=("GmbH", "GmbH", "AG", "GmbH & Co. KG"),
    holding_suffix="AG",
    sectors=("Bau", "Logistik", "Spedition", "Immobilien", "Druck", "Elektrotechnik", "Maschinenbau", "Verpackung"),
    sector_first=False,
    streets=("Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gewerbestraße", "Schillerstraße", "Goethestraße")
    + ("Friedrichstraße", "Am Hafen", "Königsallee", "Lindenstraße", "Kaiserstraße"),
    street_format="{street} {number}",
    cities=_cities(
        ("10115", "Berlin", "30 "),
        ("10178", "Berlin", "30 "),
        ("20095", "Hamburg", "40 "),
        ("80331", "München", "89 "),
        ("50667", "Köln", "221 "),
        ("60311", "Frankfurt am Main", "69 "),
        ("70173", "Stuttgart", "711 "),
        ("40213", "Düsseldorf", "211 "),
        ("04109", "Leipzig", "341 "),
        ("28195", "Bremen", "421 "),
        ("30159", "Hannover", "511 "),
        ("90402", "Nürnberg", "911 "),
        ("01067", "Dresden", "351 "),
        ("44135", "Dortmund", "231 "),
    ),
    country_tag="Deutschland",
    group_format="{brand} Holding",
    ap_label="Buchhaltung",
    site_format="Niederlassung {city}",
    mailboxes=("rechnungen", "buchhaltung"),
    terms=(("N30", 5), ("2/10N30", 4)),
    calling_code="49",
    phone_digits=10,
)

_US = Region(
    key="US",
    country="US",
    language="en",
    currency="USD",
    weight=10,
    faker_locale="en_US",
    suffixes=("Inc.", "Inc.", "LLC", "Corp."),
    holding_suffix="Inc.",
    sectors=_EN_SECTORS + ("Manufacturing", "Distribution"),
    sector_first=False,
    streets=("Main Street", "Oak Avenue", "Industrial Parkway", "Commerce Drive", "Market Street", "Elm Street")
    + ("Park Avenue", "Corporate Boulevard", "Washington Street", "Madison Avenue", "Pine Street"),
    street_format="{number} {street}",
    cities=_cities(
        ("60601", "Chicago, IL", "312 555 01"),
        ("10001", "New York, NY", "212 555 01"),
        ("94105", "San Francisco, CA", "415 555 01"),
        ("02110", "Boston, MA", "617 555 01"),
        ("30303", "Atlanta, GA", "404 555 01"),
        ("75201", "Dallas, TX", "214 555 01"),
        ("98101", "Seattle, WA", "206 555 01"),
        ("80202", "Denver, CO", "303 555 01"),
        ("33131", "Miami, FL", "305 555 01"),
        ("55401", "Minneapolis, MN", "612 555 01"),
        ("19103", "Philadelphia, PA", "215 555 01"),
        ("78701", "Austin, TX", "512 555 01"),
    ),
    country_tag="USA",
    group_format="{brand} Holdings",
    ap_label="Accounts Payable",
    site_format="{city} office",
    mailboxes=("ap", "invoices", "accounts.payable"),
    terms=(("N30", 6), ("2/10N30", 2), ("N45", 1)),
    calling_code="1",
    phone_digits=10,
)

_GB = Region(
    key="GB",
    country="GB",
    language="en",
    currency="GBP",
    weight=3,
    faker_locale="en_GB",
    suffixes=("Ltd", "Ltd", "PLC"),
    holding_suffix="PLC",
    sectors=_EN_SECTORS,
    sector_first=False,
    streets=("High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "King Street", "London Road"),
    street_format="{number} {street}",
    cities=_cities(
        ("EC2A #??", "London", "20 7946 0"),
        ("SE1 #??", "London", "20 7946 0"),
        ("M1 #??", "Manchester", "161 496 0"),
        ("B1 #??", "Birmingham", "121 496 0"),
        ("LS1 #??", "Leeds", "113 496 0"),
        ("G2 #??", "Glasgow", "141 496 0"),
        ("EH2 #??", "Edinburgh", "131 496 0"),
        ("BS1 #??", "Bristol", "117 496 0"),
    ),
    country_tag="UK",
    group_format="{brand} Group",
    ap_label="Accounts Payable",
    site_format="{city} depot",
    mailboxes=("accounts", "invoices", "purchase.ledger"),
    terms=(("N30", 7), ("EOM30", 3)),
    calling_code="44",
    phone_digits=10,
)

#: Every region, in the order customers are allocated.
REGIONS: tuple[Region, ...] = (_BE_NL, _BE_FR, _FR, _NL, _ES, _DE, _US, _GB)
