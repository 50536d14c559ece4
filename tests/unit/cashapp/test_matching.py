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


def test_a_typo_in_the_invoice_number_is_automatic_only_for_a_known_payer_paying_exactly():
    typo = _pay("250.00", text="inv F2026-000130", counterparty_iban="BE68539007547034")
    proposal = match(typo, BOOK, POLICY)
    assert (proposal.outcome, proposal.applications[0][0]) == (Outcome.EXACT, "F2026-000103")
    assert proposal.is_automatic(POLICY)
    unknown_payer = match(_pay("250.00", text="inv F2026-000130"), BOOK, POLICY)  # found through the amount
    assert (unknown_payer.outcome, unknown_payer.customer) == (Outcome.EXACT, "C1")
    assert not unknown_payer.is_automatic(POLICY)
    other_amount = match(_pay("200.00", text="inv F2026-000130", counterparty_iban="BE68539007547034"), BOOK, POLICY)
    assert (other_amount.outcome, other_amount.is_automatic(POLICY)) == (Outcome.SHORT, False)
    assert match(_pay("251.00", text="inv F2026-000130"), BOOK, POLICY).outcome == Outcome.UNIDENTIFIED


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


def test_the_only_combination_among_all_the_customers_items_is_applied():
    proposal = match(_pay("1694.00", counterparty_iban="BE68539007547034"), BOOK, POLICY)
    assert (proposal.outcome, [n for n, _ in proposal.applications]) == (
        Outcome.COMBINATION,
        ["F2026-000101", "F2026-000102"],
    )
    assert proposal.is_automatic(POLICY)
    many = {"C1": [OpenItem(f"F-{n}", "C1", _eur(str(100 + n)), date(2026, 4, 1 + n)) for n in range(25)]}
    capped = match(_pay("201.00", counterparty_iban="BE68539007547034"), Book(many, {"BE68539007547034": "C1"}), POLICY)
    assert capped.outcome == Outcome.COMBINATION  # found among the 20 oldest, but not all items were searched
    assert not capped.is_automatic(POLICY)


def test_an_unknown_payer_goes_to_suspense():
    proposal = match(_pay("99.00", counterparty_name="Someone Else Ltd"), BOOK, POLICY)
    assert (proposal.outcome, proposal.customer, proposal.confidence) == (Outcome.UNIDENTIFIED, None, 0)


def test_a_tail_of_our_number_is_narrowed_by_customer_or_amount():
    items = {
        "C1": [OpenItem("INV-BE01-2026-000042", "C1", _eur("100.00"), date(2026, 4, 30))],
        "C2": [OpenItem("INV-FR01-2026-000042", "C2", _eur("200.00"), date(2026, 4, 30))],
    }
    book = Book(items, names={"C1": "Alpha NV", "C2": "Beta SAS"})
    by_amount = match(_pay("200.00", text="facture 2026-000042"), book, POLICY)
    assert (by_amount.customer, by_amount.applications[0][0]) == ("C2", "INV-FR01-2026-000042")
    spaced = match(_pay("100.00", text="INV BE01 2026 000042"), book, POLICY)
    assert (spaced.outcome, spaced.customer, spaced.is_automatic(POLICY)) == (Outcome.EXACT, "C1", True)
    assert match(_pay("300.00", text="2026-000042"), book, POLICY).outcome == Outcome.UNIDENTIFIED


def test_the_customer_number_or_vat_number_in_the_text_identifies_the_payer():
    book = Book(
        ITEMS, names={"C1": "Ascenseurs Dubois SA", "C2": "Liftwerk Janssens BV"}, vat_numbers={"C2": "BE0403170701"}
    )
    assert match(_pay("605.00", text="our vat BE 0403.170.701"), book, POLICY).customer == "C2"
    numbered = Book({"K10023": [OpenItem("F-9", "K10023", _eur("250.00"), date(2026, 4, 30))]}, names={"K10023": "X"})
    assert match(_pay("250.00", text="client K10023 April"), numbered, POLICY).applications[0][0] == "F-9"


def test_a_parent_company_paying_for_a_subsidiary_is_matched_across_the_group():
    items = {"SUB": [OpenItem("F-1", "SUB", _eur("321.00"), date(2026, 4, 30))]}
    book = Book(
        items,
        iban_owner={"BE68539007547034": "PARENT"},
        names={"SUB": "Sub NV", "PARENT": "Holding NV"},
        parents={"SUB": "PARENT"},
    )
    proposal = match(_pay("321.00", counterparty_iban="BE68539007547034"), book, POLICY)
    assert (proposal.customer, proposal.applications[0][0]) == ("SUB", "F-1")
    assert not proposal.is_automatic(POLICY)


def test_a_payment_naming_a_settled_invoice_stays_on_account_for_a_person():
    book = Book(ITEMS, iban_owner={"BE68539007547034": "C1"}, settled={"F2026000099": "C1"})
    proposal = match(_pay("250.00", text="F2026-000099", counterparty_iban="BE68539007547034"), book, POLICY)
    assert (proposal.outcome, proposal.customer, proposal.remainder) == (Outcome.OVER, "C1", _eur("250.00"))
    assert proposal.applications == []
    assert not proposal.is_automatic(POLICY)


def test_references_to_two_customers_items_are_not_applied():
    proposal = match(_pay("1815.00", text="F2026-000101 F2026-000201"), BOOK, POLICY)
    assert proposal.outcome == Outcome.UNIDENTIFIED
    assert "several customers" in proposal.reasons[-1]
