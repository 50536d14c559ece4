"""Toner reconciliation errors, each with a stable code (clients may switch on it; never rename one)."""

from __future__ import annotations

from cashtrail.contracts.terms import Period
from cashtrail.errors import InvalidState, NotFound, ValidationFailed


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


class BadPeriod(ValidationFailed):
    """A reconciliation period label is not ``YYYY``, ``YYYY-H1``, ``YYYY-Q1`` or ``YYYY-MM``."""

    code = "toner.bad_period"

    def __init__(self, label: str) -> None:
        super().__init__(
            f"period {label!r} is not YYYY, YYYY-H1/H2, YYYY-Q1..Q4 or YYYY-MM", code=self.code, period=label
        )


class BadTrendDimension(ValidationFailed):
    """A trend can only be grouped by one of a fixed set of dimensions."""

    code = "toner.bad_trend_dimension"

    def __init__(self, by: str, allowed: tuple[str, ...]) -> None:
        super().__init__(
            f"cannot group a toner trend by {by!r}: use one of {', '.join(allowed)}",
            code=self.code,
            by=by,
            allowed=list(allowed),
        )


class BadFindingFilter(ValidationFailed):
    """A findings filter names a code, severity or state that does not exist (refused, never silently empty)."""

    code = "toner.bad_finding_filter"

    def __init__(self, name: str, value: str, allowed: tuple[str, ...]) -> None:
        super().__init__(
            f"unknown finding {name} {value!r}: use one of {', '.join(allowed)}",
            code=self.code,
            field=name,
            value=value,
            allowed=list(allowed),
        )


class ReconciliationNotFound(NotFound):
    """No reconciliation record for this agreement and period."""

    code = "toner.reconciliation_not_found"

    def __init__(self, agreement: str, period: str) -> None:
        super().__init__(
            f"no toner reconciliation for {agreement} in {period}", code=self.code, agreement=agreement, period=period
        )


class PartNotFound(NotFound):
    """No cartridge part with this number in the catalog."""

    code = "toner.part_not_found"

    def __init__(self, part_number: str) -> None:
        super().__init__(f"part {part_number} is not in the cartridge catalog", code=self.code, part=part_number)


class FindingNotFound(NotFound):
    """No finding with this id."""

    code = "toner.finding_not_found"

    def __init__(self, finding_id: int) -> None:
        super().__init__(f"no toner finding {finding_id}", code=self.code, finding_id=finding_id)


class UploadNotFound(NotFound):
    """No shipment line was ever stored under this upload."""

    code = "toner.upload_not_found"

    def __init__(self, upload_id: str) -> None:
        super().__init__(f"no toner shipment upload {upload_id!r}", code=self.code, upload_id=upload_id)


class ShipmentNotFound(NotFound):
    """Named shipment lines are not lines of this upload."""

    code = "toner.shipment_not_found"

    def __init__(self, upload_id: str, lines: list[str]) -> None:
        super().__init__(
            f"upload {upload_id!r} has no shipment line {', '.join(lines)}",
            code=self.code,
            upload_id=upload_id,
            lines=lines,
        )


class VoidIncomplete(ValidationFailed):
    """Voiding shipment lines needs a reason, and names either the whole upload or at least one line."""

    code = "toner.void_incomplete"
