"""Valid tax numbers and IBANs for the demo, generated from a seeded ``random.Random``.

Every generator computes the real check digits (with python-stdnum's helpers where it has them), so what it returns
passes :func:`cashtrail.parties.identifiers.normalize_vat` and ``normalize_iban`` and python-stdnum's own
validators, country checks included. Bank codes are real ones (BNP Paribas Fortis, ING, Rabobank, Deutsche Bank,
CaixaBank, ...) so the demo reads like a real ledger; account numbers are random, and national account check
digits are computed too (Belgian mod 97, French RIB key, Dutch eleven-test, Spanish CCC).

>>> import random
>>> vat_number(random.Random(1), "BE")[:2], iban(random.Random(1), "NL")[:2]
('BE', 'NL')
"""

from __future__ import annotations

import random
from collections.abc import Callable

from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.es import ccc, cif
from stdnum.fr import siren
from stdnum.iso7064 import mod_11_10, mod_97_10

VAT_COUNTRIES = ("BE", "FR", "NL", "ES", "DE", "US", "GB")
IBAN_COUNTRIES = ("BE", "FR", "NL", "ES", "DE", "GB")

#: Belgian bank-code ranges (first three BBAN digits) of large banks in the National Bank's register.
_BE_BANK_CODES = ((1, 49), (50, 99), (310, 399), (400, 499), (630, 631))
#: French bank codes: BNP Paribas, Société Générale, LCL, CIC, La Banque Postale, Crédit Mutuel.
_FR_BANK_CODES = ("30004", "30003", "30002", "30066", "20041", "10278")
#: Dutch bank codes; ING accounts are former Postbank numbers, which have no eleven-test.
_NL_BANK_CODES = ("ABNA", "RABO", "INGB", "SNSB", "TRIO", "ASNB")
#: German Bankleitzahlen: Deutsche Bank, Commerzbank, Postbank, ING-DiBa, HypoVereinsbank, Haspa.
_DE_BANK_CODES = ("10070000", "37040044", "10010010", "50010517", "70020270", "20050550")
#: Spanish entity codes: CaixaBank, Santander, BBVA, Sabadell, Bankinter, Ibercaja.
_ES_BANK_CODES = ("2100", "0049", "0182", "0081", "0128", "2085")
#: British bank codes with the first digits of their sort codes.
_GB_BANK_CODES = (("NWBK", "60"), ("BARC", "20"), ("HBUK", "40"), ("LOYD", "30"))
#: EIN prefixes the IRS assigns (python-stdnum's us/ein.dat).
_EIN_PREFIXES = ("10", "12", "20", "27", "30", "35", "36", "45", "46", "52", "54", "61", "82", "84", "88", "91", "95")
#: Spanish province codes for CIFs when the caller does not pass one (Madrid, Barcelona, Valencia, Sevilla).
_ES_PROVINCES = ("28", "08", "46", "41")


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


def belgian_vat(rng: random.Random) -> str:
    """A Belgian enterprise number as VAT number: 0 or 1, seven digits, then 97 minus the mod-97 remainder."""
    base = "0" + str(rng.randint(2_000_000, 9_999_999)) if rng.random() < 0.9 else "1" + _digits(rng, 7)
    return f"BE{base}{97 - int(base) % 97:02d}"


def french_vat(rng: random.Random) -> str:
    """A French TVA number: a Luhn-valid SIREN with its two mod-97 key digits in front."""
    base = str(rng.randint(3, 9)) + _digits(rng, 7)
    return "FR" + siren.to_tva(base + luhn.calc_check_digit(base))


def _eleven_test_number(rng: random.Random, *, last_weight: int) -> str:
    """Nine digits passing a Dutch eleven-test: weights 9..2, then ``last_weight`` for the last digit.

    RSIN and BSN numbers weigh the last digit -1; bank account numbers weigh it +1.
    """
    while True:
        base = str(rng.randint(1, 9)) + _digits(rng, 7)
        weighted = sum((9 - i) * int(d) for i, d in enumerate(base))
        check = (weighted if last_weight == -1 else -weighted) % 11
        if check < 10:
            return base + str(check)


def dutch_vat(rng: random.Random) -> str:
    """A Dutch btw-id: mostly a company's RSIN plus B01, sometimes the newer mod-97 form (since 2020)."""
    if rng.random() < 0.85:
        return f"NL{_eleven_test_number(rng, last_weight=-1)}B0{rng.choice('1112')}"
    while True:
        body = "NL" + str(rng.randint(1, 9)) + _digits(rng, 8) + "B"
        suffix = mod_97_10.calc_check_digits(body)
        if suffix != "00":
            return body + suffix


def spanish_vat(rng: random.Random, *, letter: str = "B", province: str | None = None) -> str:
    """A Spanish NIF of a company (CIF): A for an S.A., B for an S.L., province code, five digits, check digit."""
    base = letter + (province or rng.choice(_ES_PROVINCES)) + _digits(rng, 5)
    return "ES" + base + cif.calc_check_digits(base)[0]


def german_vat(rng: random.Random) -> str:
    """A German USt-IdNr: eight digits (no leading zero) and an ISO 7064 mod 11,10 check digit."""
    base = str(rng.randint(1, 9)) + _digits(rng, 7)
    return "DE" + base + mod_11_10.calc_check_digit(base)


def us_ein(rng: random.Random) -> str:
    """A US Employer Identification Number with a prefix the IRS assigns, as ``12-3456789``."""
    return f"{rng.choice(_EIN_PREFIXES)}-{_digits(rng, 7)}"


def british_vat(rng: random.Random) -> str:
    """A UK VAT registration number: seven digits and a two-digit mod-97 check."""
    base = str(rng.randint(1, 9)) + _digits(rng, 6)
    weighted = sum(w * int(d) for w, d in zip((8, 7, 6, 5, 4, 3, 2), base, strict=True))
    return f"GB{base}{-weighted % 97:02d}"


_VAT: dict[str, Callable[[random.Random], str]] = {
    "BE": belgian_vat,
    "FR": french_vat,
    "NL": dutch_vat,
    "ES": spanish_vat,
    "DE": german_vat,
    "US": us_ein,
    "GB": british_vat,
}


def vat_number(rng: random.Random, country: str) -> str:
    """A valid VAT number (EIN for the US) of ``country``, one of :data:`VAT_COUNTRIES`."""
    return _VAT[country](rng)


def _with_check_digits(country: str, bban: str) -> str:
    """The IBAN of ``bban`` with its ISO 13616 mod-97 check digits."""
    return country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban


def belgian_iban(rng: random.Random) -> str:
    """A Belgian IBAN: bank code, seven account digits, national mod-97 check (97 when the remainder is 0)."""
    low, high = rng.choice(_BE_BANK_CODES)
    account = f"{rng.randint(low, high):03d}" + _digits(rng, 7)
    return _with_check_digits("BE", f"{account}{belgian_account_check(account):02d}")


def french_iban(rng: random.Random) -> str:
    """A French IBAN: bank, branch, eleven-digit account and the RIB key."""
    bban = rng.choice(_FR_BANK_CODES) + _digits(rng, 5) + _digits(rng, 11)
    return _with_check_digits("FR", f"{bban}{rib_key(bban):02d}")


def dutch_iban(rng: random.Random) -> str:
    """A Dutch IBAN: a real bank code and a ten-digit account (eleven-test valid except at ING)."""
    bank = rng.choice(_NL_BANK_CODES)
    account = "000" + _digits(rng, 7) if bank == "INGB" else "0" + _eleven_test_number(rng, last_weight=1)
    return _with_check_digits("NL", bank + account)


def spanish_iban(rng: random.Random) -> str:
    """A Spanish IBAN around a CCC whose two control digits are computed."""
    entity_office = rng.choice(_ES_BANK_CODES) + _digits(rng, 4)
    account = _digits(rng, 10)
    control = ccc.calc_check_digits(entity_office + "00" + account)
    return _with_check_digits("ES", entity_office + control + account)


def german_iban(rng: random.Random) -> str:
    """A German IBAN: a real Bankleitzahl and a ten-digit account number."""
    return _with_check_digits("DE", rng.choice(_DE_BANK_CODES) + _digits(rng, 10))


def british_iban(rng: random.Random) -> str:
    """A UK IBAN: bank code, sort code of that bank and an eight-digit account."""
    bank, sort_prefix = rng.choice(_GB_BANK_CODES)
    return _with_check_digits("GB", bank + sort_prefix + _digits(rng, 4) + _digits(rng, 8))


_IBAN: dict[str, Callable[[random.Random], str]] = {
    "BE": belgian_iban,
    "FR": french_iban,
    "NL": dutch_iban,
    "ES": spanish_iban,
    "DE": german_iban,
    "GB": british_iban,
}


def iban(rng: random.Random, country: str) -> str:
    """A valid IBAN of ``country``, one of :data:`IBAN_COUNTRIES`."""
    return _IBAN[country](rng)


def is_eleven_test_valid(number: str) -> bool:
    """True when a Dutch bank account number (up to ten digits) passes the eleven-test.

    >>> is_eleven_test_valid("0417164300"), is_eleven_test_valid("0417164301")
    (True, False)
    """
    padded = number.rjust(10, "0")
    return sum((10 - i) * int(d) for i, d in enumerate(padded)) % 11 == 0


def rib_key(bban: str) -> int:
    """The French RIB key of a numeric bank (5), branch (5) and account (11) number.

    >>> rib_key("30006" "00001" "12345678901")  # FR76 3000 6000 0112 3456 7890 189
    89
    """
    return 97 - (89 * int(bban[:5]) + 15 * int(bban[5:10]) + 3 * int(bban[10:21])) % 97


def belgian_account_check(account: str) -> int:
    """The Belgian account check number of the first ten BBAN digits (97 when the remainder is 0).

    >>> belgian_account_check("5390075470")  # BE68 5390 0754 7034
    34
    """
    return int(account) % 97 or 97
