"""Demo customers, planned without a database: spread, validity, groups and determinism."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from cashtrail.demo.companies import allocate, customer_number, group_digits, plan_customers
from cashtrail.demo.regions import REGIONS
from cashtrail.demo.users import DEMO_USERS, collector_for
from cashtrail.parties.model import AddressKind, check_customer

LANGUAGES = {"BE": {"nl", "fr"}, "FR": {"fr"}, "NL": {"nl"}, "ES": {"es"}, "DE": {"en"}, "US": {"en"}, "GB": {"en"}}
CURRENCIES = {"US": "USD", "GB": "GBP"}


@pytest.fixture(scope="module")
def plans():
    return plan_customers(random.Random(2026), 300)


@pytest.mark.parametrize("count", [1, 3, 7, 8, 60, 300, 1001])
def test_allocation_hands_out_exactly_the_requested_number_of_customers(count):
    shares = allocate(count)
    assert sum(n for _, n in shares) == count
    if count >= len(REGIONS):
        assert all(n >= 1 for _, n in shares)


def test_allocation_follows_the_region_weights():
    assert {region.key: n for region, n in allocate(300)} == {
        "BE-nl": 45,
        "BE-fr": 30,
        "FR": 60,
        "NL": 45,
        "ES": 36,
        "DE": 45,
        "US": 30,
        "GB": 9,
    }


def test_every_planned_customer_passes_the_domain_checks(plans):
    for plan in plans:
        assert check_customer(plan.customer) == [], plan.customer.number


def test_customers_are_numbered_in_order_and_named_uniquely(plans):
    assert [p.customer.number for p in plans] == [customer_number(i) for i in range(300)]
    assert len({p.customer.legal_name for p in plans}) == 300


def test_language_and_currency_follow_the_country(plans):
    for plan in plans:
        customer = plan.customer
        assert customer.language in LANGUAGES[customer.country]
        assert customer.currency == CURRENCIES.get(customer.country, "EUR")
    belgian = Counter(p.customer.language for p in plans if p.customer.country == "BE")
    assert belgian["nl"] > belgian["fr"] > 0


def test_every_customer_has_a_bill_to_address_a_billing_contact_and_a_vat_number(plans):
    for plan in plans:
        customer = plan.customer
        bill_to = customer.address(AddressKind.BILL_TO)
        assert bill_to is not None
        assert bill_to.country == customer.country
        contact = customer.billing_contact()
        assert contact is not None
        assert contact.email.endswith(".example")
        assert customer.vat_number
        assert customer.credit_limit is not None
        assert customer.credit_limit > 0


def test_most_european_customers_have_an_iban_and_us_customers_none(plans):
    european = [p.customer for p in plans if p.customer.country != "US"]
    assert sum(1 for c in european if c.iban) > 0.8 * len(european)
    assert all(p.customer.iban is None for p in plans if p.customer.country == "US")


def test_spanish_cifs_start_with_a_for_an_sa_and_b_for_an_sl(plans):
    spanish = [p.customer for p in plans if p.customer.country == "ES"]
    assert spanish
    for customer in spanish:
        expected = "A" if customer.legal_name.endswith("S.A.") else "B"
        assert customer.vat_number is not None
        assert customer.vat_number[2] == expected


def test_groups_have_a_parent_and_subsidiaries_in_other_countries(plans):
    by_number = {p.customer.number: p.customer for p in plans}
    children: dict[str, list[str]] = {}
    for plan in plans:
        if plan.parent_number:
            children.setdefault(plan.parent_number, []).append(plan.customer.number)
    assert len(children) == 300 // 30
    for parent, members in children.items():
        countries = [by_number[n].country for n in members] + [by_number[parent].country]
        assert len(set(countries)) == len(countries), (parent, countries)
        brands = {by_number[n].legal_name.split()[0] for n in members}
        assert len(brands) == 1
        assert brands.pop() in by_number[parent].legal_name.split()


def test_collectors_follow_their_portfolios_and_every_customer_has_the_analyst(plans):
    usernames = {u.username for u in DEMO_USERS}
    for plan in plans:
        assert plan.collector == collector_for(plan.customer.country)
        assert {plan.collector, plan.analyst} <= usernames


def test_the_same_seed_plans_the_same_customers_and_another_seed_others():
    def snapshots(seed: int) -> list[dict[str, object]]:
        return [p.customer.snapshot() for p in plan_customers(random.Random(seed), 40)]

    assert snapshots(7) == snapshots(7)
    assert snapshots(7) != snapshots(8)


def test_phone_numbers_are_grouped_the_local_way():
    assert group_digits("2184567", "pairs") == "218 45 67"
    assert group_digits("63424", "pairs") == "634 24"
    assert group_digits("0408333", "split4") == "040 8333"
    assert group_digits("5007470", "plain") == "5007470"
