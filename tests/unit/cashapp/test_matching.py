"""The matching engine: every outcome, with its confidence deciding automatic versus suggested."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cashtrail.cashapp.matching import Book, OpenItem, Outcome, Payment, Policy, match
from cashtrail.money import Money

POLICY = Policy()


def _eur(value: str) -> Money:
    return Money.of(value, "EUR")


ITEMS = {
    "C1": [
        OpenItem("F2026-000101", "C1", _eur("1210.00"), date(2026, 3, 31), "RF18000000000000000101"),
        OpenItem(
            "F2026-000102",
            "C1",
            _eur("484.00"),
            date(2026, 4, 30),
            "RF45000000000000000102",
            discount=_eur("9.68"),
            discount_until=date(2026, 4, 10),
        ),
        OpenItem("F2026-000103", "C1", _eur("250.00"), date(2026, 5, 31)),
    ],
    "C2": [
        OpenItem("F2026-000201", "C2", _eur("605.00"), date(2026, 4, 15)),
        OpenItem("F2026-000202", "C2", _eur("605.00"), date(2026, 5, 15)),
    ],
}
BOOK = Book(
    ITEMS, iban_owner={"BE68539007547034": "C1"}, names={"C1": "Ascenseurs Dubois SA", "C2": "Liftwerk Janssens BV"}
)


def _pay(amount: str, **kw: object) -> Payment:
    return Payment("P1", _eur(amount), date(2026, 4, 20), **kw)  # type: ignore[arg-type]


def test_a_structured_reference_for_the_exact_amount_is_applied_automatically():
    proposal = match(_pay("1210.00", references=("RF18000000000000000101",)), BOOK, POLICY)
    assert (proposal.outcome, proposal.customer, proposal.applications) == (
        Outcome.EXACT,
        "C1",
        [("F2026-000101", _eur("1210.00"))],
    )
    assert proposal.is_automatic(POLICY)


def test_invoice_numbers_in_free_text_settle_several_items_even_without_their_prefix():
    proposal = match(_pay("1460.00", text="Payment invoices 2026-000101 and 2026-000103, thanks"), BOOK, POLICY)
    assert (proposal.outcome, [n for n, _ in proposal.applications]) == (
        Outcome.EXACT,
        ["F2026-000101", "F2026-000103"],
    )
    assert proposal.is_automatic(POLICY)


def test_a_typo_in_the_invoice_number_is_only_a_suggestion_and_needs_a_known_customer():
    typo = _pay("250.00", text="inv F2026-000130", counterparty_iban="BE68539007547034")
    proposal = match(typo, BOOK, POLICY)
    assert (proposal.outcome, proposal.applications[0][0]) == (Outcome.EXACT, "F2026-000103")
    assert not proposal.is_automatic(POLICY)
    assert match(_pay("250.00", text="inv F2026-000130"), BOOK, POLICY).outcome == Outcome.UNIDENTIFIED


def test_bank_fees_within_tolerance_settle_the_item_and_book_the_fee():
    proposal = match(_pay("1202.50", references=("RF18000000000000000101",)), BOOK, POLICY)
    assert (proposal.outcome, proposal.remainder) == (Outcome.TOLERANCE, _eur("7.50"))
    assert "bank fees" in proposal.reasons[-1]


def test_the_early_payment_discount_is_accepted_only_within_its_window():
    on_time = match(
        Payment("P1", _eur("474.32"), date(2026, 4, 8), references=("RF45000000000000000102",)), BOOK, POLICY
    )
    assert (on_time.outcome, on_time.remainder, on_time.reasons[-1]) == (
        Outcome.TOLERANCE,
        _eur("9.68"),
        "early-payment discount",
    )
    late = Payment("P2", _eur("474.32"), date(2026, 4, 11), references=("RF45000000000000000102",))
    # After the window the same gap is only tolerated as bank fees (it is within the 15.00 limit).
    assert match(late, BOOK, POLICY).reasons[-1] == "bank fees of 9.68 EUR"
    far = Payment("P3", _eur("450.00"), date(2026, 4, 11), references=("RF45000000000000000102",))
    assert match(far, BOOK, POLICY).outcome == Outcome.SHORT


def test_a_short_payment_opens_a_deduction_and_an_over_payment_stays_on_account():
    short = match(_pay("1000.00", references=("RF18000000000000000101",)), BOOK, POLICY)
    assert (short.outcome, short.applications, short.remainder) == (
        Outcome.SHORT,
        [("F2026-000101", _eur("1000.00"))],
        _eur("210.00"),
    )
    over = match(_pay("1300.00", references=("RF18000000000000000101",)), BOOK, POLICY)
    assert (over.outcome, over.remainder) == (Outcome.OVER, _eur("90.00"))


def test_a_known_iban_and_a_unique_amount_match_one_item():
    proposal = match(_pay("484.00", counterparty_iban="BE68539007547034"), BOOK, POLICY)
    assert (proposal.outcome, proposal.applications[0][0]) == (Outcome.EXACT, "F2026-000102")
    assert proposal.is_automatic(POLICY)


def test_two_items_of_the_same_amount_make_the_match_ambiguous():
    proposal = match(_pay("605.00", counterparty_name="LIFTWERK JANSSENS B.V."), BOOK, POLICY)
    assert (proposal.outcome, proposal.customer) == (Outcome.EXACT, "C2")
    assert proposal.confidence < Decimal("0.6")
    assert not proposal.is_automatic(POLICY)


def test_a_combination_of_open_items_is_found_and_suggested():
    proposal = match(_pay("1694.00", counterparty_iban="BE68539007547034"), BOOK, POLICY)
    assert (proposal.outcome, [n for n, _ in proposal.applications]) == (
        Outcome.COMBINATION,
        ["F2026-000101", "F2026-000102"],
    )
    assert not proposal.is_automatic(POLICY)


def test_an_unknown_payer_goes_to_suspense():
    proposal = match(_pay("99.00", counterparty_name="Someone Else Ltd"), BOOK, POLICY)
    assert (proposal.outcome, proposal.customer, proposal.confidence) == (Outcome.UNIDENTIFIED, None, 0)


def test_references_to_two_customers_items_are_not_applied():
    proposal = match(_pay("1815.00", text="F2026-000101 F2026-000201"), BOOK, POLICY)
    assert proposal.outcome == Outcome.UNIDENTIFIED
    assert "several customers" in proposal.reasons[-1]
