"""Collections work as pure domain: promises kept or broken, the worklist score, rebalancing, hold rules, policy
settings and letters with interest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.dunning.activities import PromiseRecord, PromiseStatus, evaluate
from cashtrail.dunning.errors import InvalidPolicy
from cashtrail.dunning.holds import hold_reasons
from cashtrail.dunning.interest import ReferenceRateTable
from cashtrail.dunning.letters import Addressee, build_letter, letter_language
from cashtrail.dunning.levels import DunnableItem, propose_dunning
from cashtrail.dunning.policies import LevelSettings, PolicySettings, standard_policy
from cashtrail.dunning.portfolios import rebalance
from cashtrail.dunning.worklists import AccountFacts, priority_score, worklist
from cashtrail.errors import ValidationFailed
from cashtrail.money import Money

EUR = "EUR"


def _promise(amount: str = "100", due: date = date(2026, 5, 10)) -> PromiseRecord:
    return PromiseRecord("C1", Money.of(amount, EUR), due, date(2026, 5, 1))


def test_a_promise_paid_in_full_by_its_date_is_kept_on_the_day_the_cash_covers_it() -> None:
    payments = [(date(2026, 5, 3), Money.of("40", EUR)), (date(2026, 5, 8), Money.of("60", EUR))]
    kept = evaluate(_promise(), payments, date(2026, 5, 9))
    assert (kept.status, kept.settled_on, kept.paid) == (PromiseStatus.KEPT, date(2026, 5, 8), Money.of("100", EUR))


def test_a_promise_partly_paid_or_paid_late_is_broken_once_its_date_has_passed() -> None:
    partly = [(date(2026, 5, 3), Money.of("40", EUR))]
    assert evaluate(_promise(), partly, date(2026, 5, 10)).status == PromiseStatus.OPEN  # its day is not over
    broken = evaluate(_promise(), [*partly, (date(2026, 5, 11), Money.of("60", EUR))], date(2026, 5, 11))
    assert (broken.status, broken.paid) == (PromiseStatus.BROKEN, Money.of("40", EUR))
    before = evaluate(_promise(), [(date(2026, 4, 30), Money.of("100", EUR))], date(2026, 5, 11))
    assert before.status == PromiseStatus.BROKEN  # cash before the promise was made does not count


def test_a_promise_needs_a_positive_amount_and_a_date_not_before_it_was_made() -> None:
    with pytest.raises(ValidationFailed):
        _promise("0")
    with pytest.raises(ValidationFailed):
        _promise(due=date(2026, 4, 30))


def test_the_worklist_score_follows_its_documented_formula() -> None:
    plain = AccountFacts("A", Decimal("1000"), Decimal("30000"), 0, False, 0, 0)
    assert priority_score(plain) == Decimal("30.00")
    assert priority_score(AccountFacts("B", Decimal("1000"), Decimal("30000"), 2, False, 50, 1)) == Decimal("112.50")
    assert priority_score(AccountFacts("C", Decimal("1000"), Decimal("30000"), 2, True, 0, 0)) == Decimal("6.00")
    ordered = worklist([plain, AccountFacts("D", Decimal("5"), Decimal("0"), 0, False, 0, 0)])
    assert [e.facts.customer_number for e in ordered] == ["A"]  # no exposure, not listed


def test_rebalancing_weighs_open_amount_and_account_count_together() -> None:
    amounts = {f"C{i}": Decimal(100) for i in range(4)} | {"BIG": Decimal(400)}
    plan = rebalance(amounts, ["ann", "bob"], {"C0": "bob"})
    load = {c: sum(amounts[k] for k, v in plan.items() if v == c) for c in ("ann", "bob")}
    count = {c: sum(1 for v in plan.values() if v == c) for c in ("ann", "bob")}
    # BIG (half the money) goes first; bob then takes small accounts until ann's load is the lower one again
    assert plan["BIG"] == "ann"
    assert load == {"ann": Decimal(500), "bob": Decimal(300)}
    assert count == {"ann": 2, "bob": 3}
    assert rebalance({"X": Decimal(1)}, ["ann", "bob"], {"X": "bob"}) == {"X": "bob"}  # a tie keeps the current one
    with pytest.raises(ValidationFailed):
        rebalance(amounts, [], {})


@pytest.mark.parametrize(
    ("open_ar", "limit", "days", "reasons"),
    [
        ("1000", "1000", 60, []),
        ("1000.01", "1000", 0, ["over_credit_limit"]),
        ("10", None, 61, ["past_due"]),
        ("5000", "100", 90, ["over_credit_limit", "past_due"]),
    ],
)
def test_hold_reasons(open_ar: str, limit: str | None, days: int, reasons: list[str]) -> None:
    assert hold_reasons(Decimal(open_ar), None if limit is None else Decimal(limit), days) == reasons


def test_policy_settings_round_trip_and_refuse_levels_out_of_order() -> None:
    standard = standard_policy()
    levels = tuple(LevelSettings.from_dict(level.as_dict()) for level in standard.levels)
    assert levels == standard.levels
    with pytest.raises(InvalidPolicy):
        PolicySettings("x", "bad", (LevelSettings(1, "a", 30), LevelSettings(2, "b", 15)))


def test_a_letter_claims_interest_per_line_and_the_compensation_once_per_invoice() -> None:
    policy = standard_policy()
    as_of = date(2026, 5, 30)
    items = [
        DunnableItem("1", date(2026, 3, 31), Money.of("10000", EUR)),
        DunnableItem("2", date(2026, 4, 15), Money.of("500", EUR)),
    ]
    proposal = propose_dunning(items, policy.policy(EUR), as_of, {})
    rates = ReferenceRateTable.of({date(2026, 1, 1): Decimal("2.15")})
    who = Addressee("C1", "Acme", (), "de", EUR)
    letter = build_letter(proposal, who, claim_charges=True, rates=rates, compensated={2}, references={1: "INV-1"})
    assert letter is not None
    assert letter.language == "en"  # German falls back to English
    assert letter.level_number == 4  # 60 days: final notice
    first, second = letter.lines
    assert (first.reference, first.interest.rounded(), first.compensation) == (
        "INV-1",
        Money.of("166.85", EUR),
        Money.of("40", EUR),
    )
    assert second.compensation == Money.of("0", EUR)  # already claimed on an earlier letter
    assert letter.fee == Money.of("15.00", EUR)
    assert letter.amount_due == letter.total + letter.fee + letter.interest + Money.of("40", EUR)
    assert letter_language("nl") == "nl"
