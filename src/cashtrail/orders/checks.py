"""The contract consistency check: each order line against the contract and the price list of the order date.

For an order under a contract, the price terms valid on the order date are the reference: a line whose net unit
price (unit price less discount) differs from the contract's is priced above or below contract; a product the
terms do not list is not on contract; the quantity ordered under the contract (this order plus the other open and
accepted orders within the terms' validity) may not exceed an item's cap; a product's required components must be
on the order. A line that no contract item prices is compared with the list price valid on the order date in the
order's currency. Bundle components carry an allocated share of their bundle's price, so only the bundle line is
price-checked; components count for required products and caps.

Prices are compared at the currency's minor unit (half-up): a difference below half a cent is no deviation.

The check is pure and returns every finding at once (house style E3). A finding is identified by its code, line
and subject, so a re-check after a correction recognises the findings that are still there and keeps their
overrides, and the ones that went away are resolved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from cashtrail.money import Money
from cashtrail.orders.model import Order, OrderLine, line_label, net_unit_price
from cashtrail.orders.terms import ContractTerms


class FindingCode(StrEnum):
    PRICE_ABOVE_CONTRACT = "price_above_contract"
    PRICE_BELOW_CONTRACT = "price_below_contract"
    PRODUCT_NOT_ON_CONTRACT = "product_not_on_contract"
    QUANTITY_ABOVE_CAP = "quantity_above_cap"
    MISSING_COMPONENT = "missing_component"
    PRICE_ABOVE_LIST = "price_above_list"
    PRICE_BELOW_LIST = "price_below_list"
    NO_LIST_PRICE = "no_list_price"
    NO_CONTRACT_TERMS = "no_contract_terms"
    CONTRACT_OF_OTHER_CUSTOMER = "contract_of_other_customer"
    CURRENCY_MISMATCH = "currency_mismatch"


class FindingStatus(StrEnum):
    OPEN = "open"
    OVERRIDDEN = "overridden"  # a supervisor accepted the deviation, with a reason
    RESOLVED = "resolved"  # the order was corrected; the deviation is gone


@dataclass(frozen=True)
class Finding:
    """One deviation from the contract or price list."""

    code: str
    line_no: int | None
    subject: str  # the SKU (or required SKU, or contract) the finding is about
    message: str
    expected: str = ""
    actual: str = ""

    @property
    def identity(self) -> tuple[str, int | None, str]:
        return (self.code, self.line_no, self.subject)


@dataclass(eq=False)
class StoredFinding:
    """A finding as kept on the order: its status and, once overridden, who did it, when and why."""

    finding: Finding
    status: str = FindingStatus.OPEN
    found_at: datetime | None = None
    overridden_by: str | None = None
    overridden_at: datetime | None = None
    override_reason: str | None = None
    resolved_at: datetime | None = None
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status == FindingStatus.OPEN


def check_order_prices(
    order: Order,
    *,
    terms: ContractTerms | None,
    list_prices: Mapping[str, Decimal],
    ordered_elsewhere: Mapping[str, Decimal],
) -> list[Finding]:
    """Every deviation of ``order`` from ``terms`` (the version valid on its date) and the list prices.

    ``list_prices`` maps SKUs to their unit price on the order date in the order's currency;
    ``ordered_elsewhere`` the quantity per SKU already on other open or accepted orders under the same contract.
    """
    findings: list[Finding] = _header_findings(order, terms)
    usable = terms if terms is not None and terms.currency == order.currency else None
    for line in order.lines:
        if line.parent_line_no is None:
            findings += _price_findings(order, line, usable, list_prices)
    if usable is not None:
        findings += _cap_findings(order, usable, ordered_elsewhere)
        findings += _component_findings(order, usable)
    return findings


def _header_findings(order: Order, terms: ContractTerms | None) -> list[Finding]:
    number = order.contract_number
    if not number:
        return []
    if terms is None:
        return [
            Finding(
                FindingCode.NO_CONTRACT_TERMS,
                None,
                number,
                f"contract {number} has no price terms valid on {order.order_date}",
            )
        ]
    found = []
    if terms.customer_number not in (order.customer_number, order.invoiced_customer):
        found.append(
            Finding(
                FindingCode.CONTRACT_OF_OTHER_CUSTOMER,
                None,
                number,
                f"contract {number} belongs to customer {terms.customer_number}",
                terms.customer_number,
                order.customer_number,
            )
        )
    if terms.currency != order.currency:
        found.append(
            Finding(
                FindingCode.CURRENCY_MISMATCH,
                None,
                number,
                f"contract {number} is priced in {terms.currency}; the order is in {order.currency}",
                terms.currency,
                order.currency,
            )
        )
    return found


def _rounded(value: Decimal, currency: str) -> Money:
    return Money(value, currency).rounded()


def _price_findings(
    order: Order, line: OrderLine, terms: ContractTerms | None, list_prices: Mapping[str, Decimal]
) -> list[Finding]:
    actual = _rounded(net_unit_price(line.unit_price, line.discount_percent), order.currency)
    item = terms.items.get(line.sku) if terms is not None else None
    if item is not None:
        expected = _rounded(item.net_price, order.currency)
        if actual == expected:
            return []
        code = FindingCode.PRICE_ABOVE_CONTRACT if actual > expected else FindingCode.PRICE_BELOW_CONTRACT
        detail = f"{line.sku} at {actual.amount} net; the contract says {expected.amount}"
        return [Finding(code, line.line_no, line.sku, detail, str(expected.amount), str(actual.amount))]
    found = []
    if terms is not None:
        message = f"{line.sku} is not on contract {terms.contract_number}"
        found.append(Finding(FindingCode.PRODUCT_NOT_ON_CONTRACT, line.line_no, line.sku, message))
    listed = list_prices.get(line.sku)
    if listed is None:
        message = f"{line.sku} has no {order.currency} list price on {order.order_date}"
        found.append(Finding(FindingCode.NO_LIST_PRICE, line.line_no, line.sku, message))
        return found
    expected = _rounded(listed, order.currency)
    if actual != expected:
        code = FindingCode.PRICE_ABOVE_LIST if actual > expected else FindingCode.PRICE_BELOW_LIST
        detail = f"{line.sku} at {actual.amount} net; the list price is {expected.amount}"
        found.append(Finding(code, line.line_no, line.sku, detail, str(expected.amount), str(actual.amount)))
    return found


def _cap_findings(order: Order, terms: ContractTerms, ordered_elsewhere: Mapping[str, Decimal]) -> list[Finding]:
    here: dict[str, Decimal] = defaultdict(Decimal)
    first_line: dict[str, int] = {}
    for line in order.lines:
        if not line.is_bundle or line.sku in terms.items:
            here[line.sku] += line.quantity
            first_line.setdefault(line.sku, line.line_no)
    found = []
    for sku, quantity in sorted(here.items()):
        item = terms.items.get(sku)
        if item is None or item.max_quantity is None:
            continue
        total = quantity + ordered_elsewhere.get(sku, Decimal(0))
        if total > item.max_quantity:
            message = (
                f"{_plain(total)} {sku} ordered under contract {terms.contract_number} "
                f"(this order {_plain(quantity)}); the cap is {_plain(item.max_quantity)}"
            )
            found.append(
                Finding(
                    FindingCode.QUANTITY_ABOVE_CAP,
                    first_line[sku],
                    sku,
                    message,
                    _plain(item.max_quantity),
                    _plain(total),
                )
            )
    return found


def _component_findings(order: Order, terms: ContractTerms) -> list[Finding]:
    present = {line.sku for line in order.lines}
    found = []
    for line in order.lines:
        item = terms.items.get(line.sku)
        for required in item.requires if item is not None else ():
            if required not in present:
                message = f"line {line_label(line.line_no)} ({line.sku}) needs {required} on the same order"
                found.append(Finding(FindingCode.MISSING_COMPONENT, line.line_no, required, message, required, ""))
    return found


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def reconcile(stored: list[StoredFinding], fresh: list[Finding]) -> tuple[list[Finding], list[StoredFinding]]:
    """Compare a re-check with the stored findings: (new findings to store, stored findings now resolved).

    A stored open or overridden finding that is found again stays as it is (an override survives a re-check only
    while the deviation is the same: a changed expected or actual value is a new finding).
    """
    live = {(s.finding.identity, s.finding.expected, s.finding.actual): s for s in stored if s.status != "resolved"}
    seen: set[tuple[tuple[str, int | None, str], str, str]] = set()
    new: list[Finding] = []
    for finding in fresh:
        key = (finding.identity, finding.expected, finding.actual)
        seen.add(key)
        if key not in live:
            new.append(finding)
    gone = [s for key, s in live.items() if key not in seen]
    return new, gone
