"""The demo's customers, generated without touching the database: same seed, same customers.

:func:`plan_customers` spreads ``count`` customers over the regions by weight (every region gets at least one once
there are enough customers), forms groups (a parent holding with subsidiaries in other countries, about one group
per thirty customers) and gives each customer a local name and legal form, a valid VAT number (Spanish CIFs start
with A for an S.A. and B for an S.L. and carry the province of the address) and usually an IBAN, a credit limit,
payment terms usual in its country, a bill-to address, often a ship-to site, and a billing contact with an e-mail
address on a reserved ``.example`` domain. Names and people come from Faker, seeded from the same stream.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from faker import Faker

from cashtrail.demo.identifiers import IBAN_COUNTRIES, iban, spanish_vat, vat_number
from cashtrail.demo.regions import REGIONS, City, Region
from cashtrail.demo.users import ANALYST, collector_for
from cashtrail.parties.model import Address, AddressKind, Contact, ContactRole, Customer

CUSTOMERS_PER_GROUP = 30
_LETTERS = "ABDEGHJLNPRTWXZ"  # valid in British inward codes and Dutch postcodes alike


@dataclass
class Slot:
    """A customer to be: its region and, for group members, the brand and the parent's position."""

    region: Region
    brand: str | None = None
    parent: int | None = None
    is_parent: bool = False


@dataclass
class CustomerPlan:
    """A customer draft and the references it needs resolved to ids when it is stored."""

    customer: Customer
    parent_number: str | None
    collector: str
    analyst: str


def customer_number(index: int) -> str:
    """The number of the ``index``-th demo customer (0-based).

    >>> customer_number(0), customer_number(299)
    ('C10001', 'C10300')
    """
    return f"C{10001 + index}"


def allocate(count: int, regions: tuple[Region, ...] = REGIONS) -> list[tuple[Region, int]]:
    """Split ``count`` customers over ``regions`` by weight (largest remainder), at least one each if possible."""
    total = sum(r.weight for r in regions)
    shares = [count * r.weight / total for r in regions]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(regions)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: count - sum(counts)]:
        counts[i] += 1
    if count >= len(regions):
        for i, n in enumerate(counts):
            if n == 0:
                counts[i] = 1
                counts[counts.index(max(counts))] -= 1
    return list(zip(regions, counts, strict=True))


def plan_customers(rng: random.Random, count: int) -> list[CustomerPlan]:
    """``count`` valid customer drafts, in number order; deterministic for a given ``rng`` state."""
    fakers = {region.key: _faker(region, rng) for region in REGIONS}
    slots = [Slot(region) for region, n in allocate(count) for _ in range(n)]
    rng.shuffle(slots)
    _form_groups(rng, slots, fakers)
    taken: set[str] = set()
    return [_plan(rng, fakers[slot.region.key], index, slot, taken) for index, slot in enumerate(slots)]


def _faker(region: Region, rng: random.Random) -> Faker:
    fake = Faker(region.faker_locale)
    fake.seed_instance(rng.getrandbits(32))
    return fake


def _form_groups(rng: random.Random, slots: list[Slot], fakers: dict[str, Faker]) -> None:
    """Turn some slots into groups: a parent and one to three subsidiaries, each in another country."""
    free = list(range(len(slots)))
    brands: set[str] = set()
    for _ in range(len(slots) // CUSTOMERS_PER_GROUP):
        parent = free.pop(rng.randrange(len(free)))
        brand = _surname(fakers[slots[parent].region.key])
        while brand in brands or " " in brand:
            brand = _surname(fakers[slots[parent].region.key])
        brands.add(brand)
        slots[parent].brand, slots[parent].is_parent = brand, True
        countries = {slots[parent].region.country}
        wanted = rng.randint(1, 3)
        for index in rng.sample(free, len(free)):
            if len(countries) > wanted:
                break
            if slots[index].region.country not in countries:
                countries.add(slots[index].region.country)
                slots[index].brand, slots[index].parent = brand, parent
                free.remove(index)


def _plan(rng: random.Random, fake: Faker, index: int, slot: Slot, taken: set[str]) -> CustomerPlan:
    region = slot.region
    suffix = region.holding_suffix if slot.is_parent else rng.choice(region.suffixes)
    core = _core_name(rng, fake, slot, suffix, taken)
    city = rng.choice(region.cities)
    domain = f"{_slug(core)}.example"
    customer = Customer(
        number=customer_number(index),
        legal_name=f"{core} {suffix}",
        country=region.country,
        language=region.language,
        currency=region.currency,
        payment_terms_code=_weighted(rng, region.terms),
        vat_number=_vat(rng, region, suffix, city),
        credit_limit=_credit_limit(rng, slot),
        iban=iban(rng, region.country) if region.country in IBAN_COUNTRIES and rng.random() < 0.9 else None,
        addresses=_addresses(rng, region, city),
        contacts=_contacts(rng, fake, region, city, domain),
        registration_number=_register_number(region.country, index),
    )
    parent = None if slot.parent is None else customer_number(slot.parent)
    return CustomerPlan(customer, parent, collector_for(region.country), ANALYST)


def _register_number(country: str, index: int) -> str | None:
    """A Dutch KvK number (8 digits) for Dutch customers, which Dutch e-invoices require; derived from the index so
    the demo's random stream is untouched. Belgian and French numbers come from the VAT number itself."""
    return f"{60_000_000 + index * 7919 % 39_999_999:08d}" if country == "NL" else None


def _core_name(rng: random.Random, fake: Faker, slot: Slot, suffix: str, taken: set[str]) -> str:
    """The name without its legal form; unique among the demo's customers."""
    region = slot.region
    if slot.brand is not None:
        core = region.group_format.format(brand=slot.brand) if slot.is_parent else f"{slot.brand} {region.country_tag}"
        taken.add(f"{core} {suffix}")
        return core
    while True:
        pattern = rng.choices(("sector", "partners", "family"), weights=(5, 2, 2))[0]
        if pattern == "sector":
            sector = rng.choice(region.sectors)
            surname = _surname(fake)
            core = f"{sector} {surname}" if region.sector_first else f"{surname} {sector}"
        elif pattern == "partners":
            core = f"{_surname(fake)} & {_surname(fake)}"
        else:
            core = _surname(fake)
        if f"{core} {suffix}" not in taken:
            taken.add(f"{core} {suffix}")
            return core


def _surname(fake: Faker) -> str:
    """A family name fit to start a company name ("van Vliet" becomes "Van Vliet")."""
    name = str(fake.last_name())
    return name[:1].upper() + name[1:]


def _vat(rng: random.Random, region: Region, suffix: str, city: City) -> str:
    if region.country == "ES":
        return spanish_vat(rng, letter="A" if suffix == "S.A." else "B", province=city.province)
    return vat_number(rng, region.country)


def _credit_limit(rng: random.Random, slot: Slot) -> Decimal:
    """Group parents get large limits; others are small, medium or (rarely) large accounts."""
    if slot.is_parent:
        return Decimal(rng.randrange(250_000, 1_000_001, 50_000))
    tier = rng.choices(((5_000, 25_001, 2_500), (30_000, 150_001, 10_000), (200_000, 500_001, 50_000)), (5, 3, 1))
    low, high, step = tier[0]
    return Decimal(rng.randrange(low, high, step))


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _ in choices], weights=[weight for _, weight in choices])[0]


def _addresses(rng: random.Random, region: Region, city: City) -> list[Address]:
    """A bill-to address for the accounts-payable department and, for most customers, a ship-to site."""
    addresses = [_address(rng, region, city, AddressKind.BILL_TO, region.ap_label)]
    if rng.random() < 0.6:
        site = rng.choice(region.cities)
        label = region.site_format.format(city=site.name.split(",")[0])
        addresses.append(_address(rng, region, site, AddressKind.SHIP_TO, label))
    return addresses


def _address(rng: random.Random, region: Region, city: City, kind: AddressKind, name: str) -> Address:
    number = rng.randint(100, 9999) if region.country == "US" else rng.randint(1, 250)
    line2 = ""
    if region.country in ("US", "GB") and rng.random() < 0.3:
        line2 = f"Suite {rng.randint(100, 2400)}" if region.country == "US" else f"Unit {rng.randint(1, 40)}"
    return Address(
        kind=kind,
        name=name,
        line1=region.street_format.format(street=rng.choice(region.streets), number=number),
        line2=line2,
        postal_code=fill_pattern(rng, city.postcode),
        city=city.name,
        country=region.country,
    )


def fill_pattern(rng: random.Random, pattern: str) -> str:
    """Replace each ``#`` with a digit and each ``?`` with a letter (Dutch and British postcodes).

    >>> fill_pattern(random.Random(1), "10## ??")[:2], len(fill_pattern(random.Random(1), "EC2A #??"))
    ('10', 8)
    """
    chars = (_digits(rng, 1) if ch == "#" else rng.choice(_LETTERS) if ch == "?" else ch for ch in pattern)
    return "".join(chars)


def _contacts(rng: random.Random, fake: Faker, region: Region, city: City, domain: str) -> list[Contact]:
    """A billing contact (a person, writing from their own or a shared mailbox) and often a second contact."""
    first, last = str(fake.first_name()), str(fake.last_name())
    mailbox = f"{_slug(first)}.{_slug(last)}" if rng.random() < 0.6 else rng.choice(region.mailboxes)
    contacts = [Contact(f"{first} {last}", f"{mailbox}@{domain}", ContactRole.BILLING, phone_number(rng, region, city))]
    if rng.random() < 0.5:
        first, last = str(fake.first_name()), str(fake.last_name())
        role = rng.choice((ContactRole.TECHNICAL, ContactRole.GENERAL))
        email = f"{_slug(first)}.{_slug(last)}@{domain}"
        contacts.append(Contact(f"{first} {last}", email, role, phone_number(rng, region, city)))
    return contacts


def phone_number(rng: random.Random, region: Region, city: City) -> str:
    """An international number in the city's area (in the fiction ranges for the US and the UK)."""
    missing = region.phone_digits - sum(ch.isdigit() for ch in city.phone)
    return f"+{region.calling_code} {city.phone}{group_digits(_digits(rng, missing), region.phone_style)}"


def group_digits(digits: str, style: str) -> str:
    """Group a subscriber number the local way.

    >>> group_digits("2184567", "pairs"), group_digits("29023559", "pairs"), group_digits("0408333", "split4")
    ('218 45 67', '29 02 35 59', '040 8333')
    """
    if style == "pairs" and len(digits) > 3:
        head = 3 if len(digits) % 2 else 2
        return " ".join([digits[:head]] + [digits[i : i + 2] for i in range(head, len(digits), 2)])
    if style == "split4" and len(digits) > 5:
        return f"{digits[:-4]} {digits[-4:]}"
    return digits


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def _slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by hyphens (for domains and mailboxes).

    >>> _slug("Société Générale & Fils"), _slug("van 't Hof")
    ('societe-generale-fils', 'van-t-hof')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_text).split()
    return "-".join(words)
