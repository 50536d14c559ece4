"""Toner reconciliation errors, each with a stable code (clients may switch on it; never rename one)."""

from __future__ import annotations

from cashtrail.contracts.terms import Period
from cashtrail.errors import InvalidState, ValidationFailed


class NoSetupError(InvalidState):
    """The agreement has no toner reconciliation set-up with toner included for the period."""

    code = "toner.no_setup"

    def __init__(self, agreement: str, period: Period) -> None:
        super().__init__(
            f"agreement {agreement} has no toner reconciliation set-up with toner included for {period.label()}",
            agreement=agreement,
            period=period.label(),
        )


class TransitionNotAllowed(InvalidState):
    """The huddle board does not allow this move from the current status."""

    code = "toner.transition_not_allowed"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"a reconciliation cannot move from {current} to {target}", current=current, target=target)


class OpenFindingsError(InvalidState):
    """A reconciliation with open error findings cannot be approved."""

    code = "toner.open_findings"

    def __init__(self, codes: list[str]) -> None:
        super().__init__(f"{len(codes)} open error finding(s) block approval: {', '.join(codes)}", finding_codes=codes)


class MoveIncomplete(ValidationFailed):
    """A board move needs an actor, a reason and an aware instant."""

    code = "toner.move_incomplete"
