"""Demo identifiers: every generated VAT number and IBAN is valid, checked by python-stdnum directly."""

from __future__ import annotations

import random

import pytest
from stdnum import iban as stdnum_iban
from stdnum.be import iban as be_iban
from stdnum.es import cif
from stdnum.es import iban as es_iban
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat
from stdnum.nl import bsn
from stdnum.us import ein

from cashtrail.demo import identifiers as ids
from cashtrail.parties.identifiers import normalize_iban, normalize_vat

SAMPLES = 500


def _stdnum_validate_vat(number: str, country: str) -> None:
    if country == "US":
        ein.validate(number)
    elif country == "GB":
        gb_vat.validate(number)
    else:
        eu_vat.validate(number)


@pytest.mark.parametrize("country", ids.VAT_COUNTRIES)
def test_500_generated_vat_numbers_per_country_are_valid_for_stdnum_and_cashtrail(country):
    rng = random.Random(f"vat-{country}")
    for _ in range(SAMPLES):
        number = ids.vat_number(rng, country)
        _stdnum_validate_vat(number, country)
        normalize_vat(number, country)


@pytest.mark.parametrize("country", ids.IBAN_COUNTRIES)
def test_500_generated_ibans_per_country_are_valid_including_stdnum_country_checks(country):
    rng = random.Random(f"iban-{country}")
    for _ in range(SAMPLES):
        number = ids.iban(rng, country)
        assert number.startswith(country)
        assert stdnum_iban.validate(number, check_country=True) == number
        assert normalize_iban(number) == number


def test_belgian_ibans_carry_a_known_bank_code_and_the_national_check_digits():
    rng = random.Random(3)
    for _ in range(SAMPLES):
        number = ids.belgian_iban(rng)
        be_iban.validate(number)
        assert be_iban.to_bic(number) is not None
        assert int(number[-2:]) == ids.belgian_account_check(number[4:14])


def test_spanish_ibans_carry_valid_ccc_control_digits():
    rng = random.Random(4)
    for _ in range(SAMPLES):
        es_iban.validate(ids.spanish_iban(rng))


def test_french_ibans_carry_the_rib_key_of_their_account():
    rng = random.Random(5)
    for _ in range(SAMPLES):
        number = ids.french_iban(rng)
        assert int(number[-2:]) == ids.rib_key(number[4:25])


def test_dutch_accounts_pass_the_eleven_test_except_former_postbank_accounts_at_ing():
    rng = random.Random(6)
    numbers = [ids.dutch_iban(rng) for _ in range(SAMPLES)]
    assert {n[4:8] for n in numbers} >= {"ABNA", "RABO", "INGB"}
    for number in numbers:
        if number[4:8] != "INGB":
            assert ids.is_eleven_test_valid(number[8:]), number


def test_dutch_vat_numbers_come_in_both_the_rsin_and_the_mod_97_form():
    rng = random.Random(7)
    numbers = [ids.dutch_vat(rng) for _ in range(SAMPLES)]
    rsin_based = [n for n in numbers if bsn.is_valid(n[2:11])]
    assert 0 < len(rsin_based) < len(numbers)


def test_spanish_company_vat_numbers_encode_legal_form_and_province():
    rng = random.Random(8)
    limited = ids.spanish_vat(rng, letter="B", province="46")
    public = ids.spanish_vat(rng, letter="A", province="08")
    assert limited.startswith("ESB46")
    assert public.startswith("ESA08")
    assert cif.is_valid(limited[2:])
    assert cif.is_valid(public[2:])


def test_us_eins_are_formatted_with_a_dash_and_an_irs_prefix():
    rng = random.Random(9)
    for _ in range(50):
        number = ids.us_ein(rng)
        assert number[2] == "-"
        assert ein.get_campus(number)


def test_the_same_seed_gives_the_same_numbers_and_another_seed_different_ones():
    def sample(seed: int) -> list[str]:
        rng = random.Random(seed)
        return [ids.vat_number(rng, c) for c in ids.VAT_COUNTRIES] + [ids.iban(rng, c) for c in ids.IBAN_COUNTRIES]

    assert sample(2026) == sample(2026)
    assert sample(2026) != sample(2027)


def test_a_country_without_a_generator_is_a_key_error():
    with pytest.raises(KeyError):
        ids.vat_number(random.Random(1), "JP")
