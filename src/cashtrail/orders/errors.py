"""Errors of order management, each with a stable code (clients may switch on it; never rename one)."""

from __future__ import annotations

from cashtrail.errors import Conflict, InvalidState, NotFound, PermissionDenied, ValidationFailed


class OrderNotFound(NotFound):
    code = "order.not_found"

    def __init__(self, number: str) -> None:
        super().__init__(f"order {number} not found", number=number)


class OrderExists(Conflict):
    code = "order.already_exists"

    def __init__(self, number: str) -> None:
        super().__init__(f"order {number} already exists", number=number)


class OrderLineNotFound(NotFound):
    code = "order.line_not_found"

    def __init__(self, number: str, line: str) -> None:
        super().__init__(f"order {number} has no line {line}", number=number, line=line)


class OrderInvalid(ValidationFailed):
    code = "order.invalid"


class OrderNotEditable(InvalidState):
    """Lines change only while the order is entered (not yet accepted or cancelled)."""

    code = "order.not_editable"

    def __init__(self, number: str, status: str) -> None:
        super().__init__(f"order {number} is {status}; its lines can no longer change", number=number, status=status)


class AcceptanceBlocked(InvalidState):
    """The order has open findings or an incomplete acceptance checklist."""

    code = "order.acceptance_blocked"

    def __init__(self, number: str, reasons: list[str]) -> None:
        super().__init__(f"order {number} cannot be accepted: {'; '.join(reasons)}", number=number, reasons=reasons)


class TriggerRefused(InvalidState):
    """An event cannot fire (or be recorded for) this line: wrong trigger, too much quantity, a repeat …"""

    code = "order.trigger_refused"


class FindingNotOpen(InvalidState):
    code = "order.finding_not_open"


class SegregationOfDuties(PermissionDenied):
    code = "order.segregation_of_duties"


class RmaNotFound(NotFound):
    code = "rma.not_found"

    def __init__(self, number: str) -> None:
        super().__init__(f"RMA {number} not found", number=number)


class RmaRefused(ValidationFailed):
    """The RMA request breaks a rule: the line is not invoiced, the quantity is more than was invoiced …"""

    code = "rma.invalid"


class RmaTransitionRefused(InvalidState):
    code = "rma.transition_not_allowed"

    def __init__(self, number: str, status: str, action: str) -> None:
        super().__init__(f"RMA {number} is {status}; it cannot be {action}", number=number, status=status)
