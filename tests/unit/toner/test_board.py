"""Huddle-board moves: the happy path, refused moves, and approval blocked by open error findings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cashtrail.errors import InvalidState, ValidationFailed
from cashtrail.toner.board import BoardEvent, BoardStatus, move, status_after
from cashtrail.toner.errors import OpenFindingsError, TransitionNotAllowed
from cashtrail.toner.findings import FindingCode, TonerFinding

S = BoardStatus
AT = datetime(2026, 4, 10, 9, 30, tzinfo=UTC)
ERROR = TonerFinding(FindingCode.NO_CARTRIDGE_COST, "MPS-1", "part K1 has no cost", ())
WARNING = TonerFinding(FindingCode.ZERO_PAGES, "MPS-1", "no cyan pages", ())


def _move(current: BoardStatus, target: BoardStatus, **kwargs: object) -> BoardEvent:
    args: dict[str, object] = {"actor": "ana", "reason": "checked", "at": AT, **kwargs}
    return move("MPS-1", "2026-Q1", current, target, **args)  # type: ignore[arg-type]


def test_a_reconciliation_walks_the_board_to_closed_and_every_move_is_recorded() -> None:
    path = [S.READY, S.CALCULATED, S.FINDINGS_OPEN, S.UNDER_REVIEW, S.APPROVED, S.INVOICED, S.CLOSED]
    events, status = [], S.DATA_PENDING
    for target in path:
        events.append(_move(status, target))
        status = target
    assert status_after(events) == S.CLOSED
    first = events[0]
    assert (first.actor, first.at, first.from_status, first.to_status, first.reason) == (
        "ana",
        AT,
        S.DATA_PENDING,
        S.READY,
        "checked",
    )


def test_an_approved_reconciliation_without_excess_closes_through_no_charge() -> None:
    assert _move(S.APPROVED, S.NO_CHARGE).to_status == S.NO_CHARGE
    assert _move(S.NO_CHARGE, S.CLOSED).to_status == S.CLOSED


def test_skipping_a_status_is_refused_with_a_stable_code() -> None:
    with pytest.raises(TransitionNotAllowed) as raised:
        _move(S.CALCULATED, S.APPROVED)
    assert isinstance(raised.value, InvalidState)
    assert raised.value.code == "toner.transition_not_allowed"


def test_a_closed_reconciliation_cannot_move() -> None:
    with pytest.raises(TransitionNotAllowed):
        _move(S.CLOSED, S.UNDER_REVIEW)


def test_approving_with_an_open_error_finding_is_refused() -> None:
    with pytest.raises(OpenFindingsError) as raised:
        _move(S.UNDER_REVIEW, S.APPROVED, open_findings=[ERROR, WARNING])
    assert isinstance(raised.value, InvalidState)
    assert raised.value.code == "toner.open_findings"
    assert raised.value.fields["finding_codes"] == ["no_cartridge_cost"]


def test_approving_with_only_open_warnings_is_allowed() -> None:
    assert _move(S.UNDER_REVIEW, S.APPROVED, open_findings=[WARNING]).to_status == S.APPROVED


def test_a_move_without_actor_or_reason_or_with_a_naive_time_is_refused() -> None:
    with pytest.raises(ValidationFailed) as raised:
        _move(S.DATA_PENDING, S.READY, actor=" ", reason="", at=datetime(2026, 4, 10, 9, 30))  # noqa: DTZ001
    assert raised.value.code == "toner.move_incomplete"
    assert {e.field for e in raised.value.errors} == {"actor", "reason", "at"}


def test_replaying_a_trail_with_a_gap_is_refused() -> None:
    with pytest.raises(TransitionNotAllowed):
        status_after([_move(S.DATA_PENDING, S.READY), _move(S.CALCULATED, S.UNDER_REVIEW)])
