"""Dunning levels: progression by days past due, exclusions, no repeated level, minimum amount, grace days."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, timedelta

import pytest

from cashtrail.dunning.errors import InvalidPolicy
from cashtrail.dunning.levels import (
    Channel,
    DunnableItem,
    DunningLevel,
    DunningPolicy,
    DunningProposal,
    ItemStatus,
    propose_dunning,
)
from cashtrail.money import Money

AS_OF = date(2026, 6, 30)
FRIENDLY = DunningLevel(1, "friendly reminder", 7, "dunning/friendly", Channel.EMAIL)
FIRST = DunningLevel(2, "first reminder", 15, "dunning/first", Channel.EMAIL)
FORMAL = DunningLevel(3, "formal notice", 30, "dunning/formal", Channel.POST, Money.of("10", "EUR"), True)
FINAL = DunningLevel(4, "final notice", 60, "dunning/final", Channel.POST, Money.of("15", "EUR"), True)
LEVELS = (FRIENDLY, FIRST, FORMAL, FINAL)
POLICY = DunningPolicy(LEVELS)


def _item(
    item_id: str,
    days_late: int,
    amount: str = "100",
    *,
    disputed: bool = False,
    blocked: bool = False,
    promised_until: date | None = None,
) -> DunnableItem:
    due = AS_OF - timedelta(days=days_late)
    return DunnableItem(item_id, due, Money.of(amount, "EUR"), disputed, blocked, promised_until)


def _propose(
    *items: DunnableItem, policy: DunningPolicy = POLICY, history: Mapping[str, Collection[int]] | None = None
) -> DunningProposal:
    return propose_dunning(items, policy, AS_OF, history)


@pytest.mark.parametrize(
    ("days", "level"),
    [(7, FRIENDLY), (14, FRIENDLY), (15, FIRST), (29, FIRST), (30, FORMAL), (59, FORMAL), (60, FINAL), (400, FINAL)],
)
def test_an_item_reaches_the_highest_level_its_days_past_due_allow(days: int, level: DunningLevel) -> None:
    proposal = _propose(_item("A", days))
    assert proposal.status_of("A") == ItemStatus.SEND
    assert proposal.letter is not None
    assert proposal.letter.level == level
    assert proposal.levels_to_record() == {"A": level.number}


def test_an_item_before_the_first_level_gets_no_letter() -> None:
    proposal = _propose(_item("A", 6))
    assert proposal.status_of("A") == ItemStatus.NO_LEVEL
    assert proposal.letter is None
    assert proposal.levels_to_record() == {}


def test_an_item_not_yet_due_is_not_dunned() -> None:
    assert _propose(_item("A", 0)).status_of("A") == ItemStatus.NOT_DUE


def test_a_customer_walks_through_the_levels_one_letter_per_level() -> None:
    item = _item("A", 0)
    history: dict[str, list[int]] = {}
    sent = []
    for day in range(0, 70):
        proposal = propose_dunning([item], POLICY, item.due_on + timedelta(days=day), history)
        for item_id, number in proposal.levels_to_record().items():
            history.setdefault(item_id, []).append(number)
            sent.append((day, number))
    assert sent == [(7, 1), (15, 2), (30, 3), (60, 4)]


@pytest.mark.parametrize(
    ("item", "status"),
    [
        (_item("A", 40, disputed=True), ItemStatus.DISPUTED),
        (_item("A", 40, blocked=True), ItemStatus.BLOCKED),
        (_item("A", 40, promised_until=AS_OF), ItemStatus.PROMISED),
        (_item("A", 40, promised_until=AS_OF + timedelta(days=5)), ItemStatus.PROMISED),
    ],
)
def test_disputed_blocked_and_promised_items_are_left_out(item: DunnableItem, status: ItemStatus) -> None:
    proposal = _propose(item, _item("B", 40))
    assert proposal.status_of("A") == status
    assert proposal.letter is not None
    assert [line.item.item_id for line in proposal.letter.lines] == ["B"]


def test_a_broken_promise_makes_the_item_dunnable_again() -> None:
    proposal = _propose(_item("A", 40, promised_until=AS_OF - timedelta(days=1)))
    assert proposal.status_of("A") == ItemStatus.SEND


def test_items_with_nothing_open_are_never_dunned() -> None:
    proposal = _propose(_item("A", 40, "0"), _item("CN", 40, "-50"))
    assert {d.status for d in proposal.decisions} == {ItemStatus.NO_BALANCE}
    assert proposal.letter is None


def test_the_same_level_is_never_sent_twice_for_the_same_item() -> None:
    proposal = _propose(_item("A", 20), history={"A": [2]})
    assert proposal.status_of("A") == ItemStatus.ALREADY_SENT
    assert proposal.letter is None


def test_an_item_never_goes_back_to_a_lower_level() -> None:
    # the due date moved later (say, a corrected invoice): level 1 is reached but level 3 was already sent
    assert _propose(_item("A", 8), history={"A": [1, 3]}).status_of("A") == ItemStatus.ALREADY_SENT


def test_a_new_item_joins_the_letter_while_an_already_reminded_item_stays_off_it() -> None:
    proposal = _propose(_item("OLD", 20), _item("NEW", 8), history={"OLD": [2]})
    assert proposal.letter is not None
    assert [line.item.item_id for line in proposal.letter.lines] == ["NEW"]
    assert proposal.letter.level == FRIENDLY


def test_levels_skipped_while_excluded_are_not_sent_retrospectively() -> None:
    proposal = _propose(_item("A", 45), history={"A": [1]})  # disputed from day 8 to day 44
    assert proposal.levels_to_record() == {"A": 3}


def test_one_letter_goes_out_at_the_highest_level_and_each_line_keeps_its_own() -> None:
    proposal = _propose(_item("A", 8, "100"), _item("B", 65, "250.50"), _item("C", 31, "49.50"))
    letter = proposal.letter
    assert letter is not None
    assert (letter.level, letter.level.template_id, letter.level.channel) == (FINAL, "dunning/final", Channel.POST)
    assert letter.fee == Money.of("15", "EUR")
    assert letter.level.charge_interest
    assert letter.totals == {"EUR": Money.of("400.00", "EUR")}
    assert proposal.levels_to_record() == {"A": 1, "B": 4, "C": 3}


def test_items_below_the_minimum_amount_wait() -> None:
    policy = DunningPolicy(LEVELS, minimum_amounts={"EUR": Money.of("50", "EUR")})
    proposal = _propose(_item("A", 20, "49.99"), policy=policy)
    assert proposal.status_of("A") == ItemStatus.BELOW_MINIMUM
    assert proposal.letter is None


def test_the_minimum_applies_to_the_letters_total_per_currency() -> None:
    policy = DunningPolicy(LEVELS, minimum_amounts={"EUR": Money.of("50", "EUR")})
    usd = DunnableItem("U", AS_OF - timedelta(days=20), Money.of("10", "USD"))
    proposal = _propose(_item("A", 20, "30"), _item("B", 8, "20"), usd, policy=policy)
    assert [d.status for d in proposal.decisions] == [ItemStatus.SEND, ItemStatus.SEND, ItemStatus.SEND]
    assert proposal.letter is not None
    assert proposal.letter.totals == {"EUR": Money.of("50", "EUR"), "USD": Money.of("10", "USD")}


@pytest.mark.parametrize(
    ("days", "status"), [(8, ItemStatus.IN_GRACE), (10, ItemStatus.IN_GRACE), (11, ItemStatus.SEND)]
)
def test_grace_days_hold_an_item_back_until_they_are_over(days: int, status: ItemStatus) -> None:
    proposal = _propose(_item("A", days), policy=DunningPolicy(LEVELS, grace_days=10))
    assert proposal.status_of("A") == status


def test_after_the_grace_days_the_level_still_follows_the_raw_days_past_due() -> None:
    proposal = _propose(_item("A", 16), policy=DunningPolicy(LEVELS, grace_days=10))
    assert proposal.letter is not None
    assert proposal.letter.level == FIRST


@pytest.mark.parametrize(
    "levels",
    [(), (FIRST, FRIENDLY), (FRIENDLY, DunningLevel(2, "x", 7, "t", Channel.EMAIL)), (FRIENDLY, FRIENDLY)],
)
def test_a_policy_with_levels_out_of_order_is_refused(levels: tuple[DunningLevel, ...]) -> None:
    with pytest.raises(InvalidPolicy):
        DunningPolicy(levels)


def test_a_policy_with_a_negative_grace_or_a_mislabelled_minimum_is_refused() -> None:
    with pytest.raises(InvalidPolicy):
        DunningPolicy(LEVELS, grace_days=-1)
    with pytest.raises(InvalidPolicy):
        DunningPolicy(LEVELS, minimum_amounts={"EUR": Money.of("5", "USD")})


def test_asking_for_an_item_outside_the_proposal_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        _propose(_item("A", 8)).status_of("B")
