"""The billing report from our own bill runs: per device and month, the pages our usage lines billed.

Every agreement whose usage our bill runs billed is covered, set-up or not, so shipments to an agreement without
a toner set-up are compared with its pages too (and reported as ``no_toner_contract``).

A usage line's ``source`` explains each device's pages (``read … − read … = N``); a pooled plan bills its devices
on one line (in bands), a per-device plan one line per device. This reads every usage line for the months of a
span, takes each device's ``N`` once per month and meter (bands of one pool repeat the same source), and stores
one billing-report line per device and month (mono and colour pages, asset count 1, invoice ``DRAFT-<id>`` of the
draft that billed it), updating earlier lines built the same way in place (their ids, which reconciliations keep
as traces, do not change) and removing those no longer billed. Lines imported from an ERP export are left alone.
"""

from __future__ import annotations

import re
from collections import defaultdict

from cashtrail.clock import Clock
from cashtrail.contracts.terms import Period
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork
from cashtrail.toner.model import BillingLine
from cashtrail.toner.periods import parse_span

SOURCE = "bill-run"
_UNITS = re.compile(r"= (-?\d+)$")


def pages_of(explanation: str) -> int | None:
    """The pages an explanation states, or None (``no reads``).

    >>> pages_of("read 1500 on 2026-01-31 − read 1000 on 2025-12-31 = 500"), pages_of("no reads")
    (500, None)
    """
    match = _UNITS.search(explanation)
    return None if match is None else max(0, int(match[1]))


def report_from_bill_runs(uow: UnitOfWork, clock: Clock, actor: Actor, span_label: str) -> int:
    """Build and store the billing report of ``span_label`` from the bill runs; returns the lines stored."""
    actor.require(Permission.TONER_RUN)
    span = parse_span(span_label)
    with uow:
        pages: dict[tuple[str, Period, str], dict[str, int]] = defaultdict(lambda: {"mono": 0, "colour": 0})
        drafts: dict[tuple[str, Period, str], int] = {}
        seen: set[tuple[str, Period, str, str]] = set()
        for number, month, meter, source, draft in uow.toner.billed_usage(span.start, span.end):
            for serial, explanation in source.items():
                count = pages_of(explanation)
                if count is None or (number, month, meter, serial) in seen:
                    continue
                seen.add((number, month, meter, serial))
                key = (number, month, serial)
                pages[key]["colour" if meter == "colour" else "mono"] += count
                drafts[key] = draft
        lines = [
            BillingLine(number, month, p["mono"], p["colour"], 1, f"DRAFT-{drafts[(number, month, serial)]}", serial)
            for (number, month, serial), p in sorted(pages.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))
        ]
        keep = {(b.agreement, b.period.start, b.period.end, b.serial or "") for b in lines}
        agreements = sorted({b.agreement for b in lines})
        stored = [b for b in uow.toner.billing(span.start, span.end, agreements) if b.row_id is not None]
        gone = [b.row_id for b in stored if (b.agreement, b.period.start, b.period.end, b.serial or "") not in keep]
        uow.toner.delete_billing_ids([i for i in gone if i is not None], SOURCE)
        uow.toner.put_billing(lines, SOURCE)  # updates keep their ids, so stored traces stay valid
        uow.commit()
    return len(lines)
