"""Cash-application benchmark: the matching engine over synthetic payments with a documented noise model.

Usage: ``python -m bench.cashapp [--payments 50000 --items 300000 --customers 20000 --seed 20260601]``.
Generates the data (``bench/cashapp_data.py``, fixed seed), then times building the book and matching every payment
(single process), and scores each proposal against the truth. Prints one JSON line:

- ``auto_rate``: matchable payments applied automatically with the right customer and items ÷ matchable payments;
- ``wrong_auto_per_1000``: automatic applications whose customer or items are wrong, per 1,000 automatic ones
  (a non-matchable payment applied automatically counts as wrong);
- ``suggestion_top1``: suggestions (non-automatic proposals naming items) whose customer and items are right;
- ``seconds`` and ``payments_per_second`` for book + matching (wall clock), ``cpu_seconds`` the same in CPU time of
  this process (what the code costs when other processes share the cores) and ``book_cpu_seconds`` the book's part.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import Counter

from bench.cashapp_data import SEED, Dataset, Truth, generate
from cashtrail.cashapp.book import Book
from cashtrail.cashapp.matching import Outcome, Policy, Proposal, match


def _right(proposal: Proposal, truth: Truth) -> bool:
    return proposal.customer == truth.customer and {n for n, _ in proposal.applications} == truth.items


def score(data: Dataset, proposals: list[Proposal], policy: Policy) -> dict[str, object]:
    """The benchmark's figures for ``proposals`` against the truth."""
    auto = wrong = matchable = auto_right = suggestions = suggestions_right = 0
    misses: Counter[str] = Counter()
    wrong_by: Counter[str] = Counter()
    for proposal in proposals:
        truth = data.truth[proposal.payment_id]
        matchable += truth.matchable
        if proposal.is_automatic(policy) and proposal.applications:
            auto += 1
            ok = truth.matchable and _right(proposal, truth)
            auto_right += ok
            if not ok:
                wrong += 1
                wrong_by[truth.scenario] += 1
        else:
            if truth.matchable:
                misses[truth.scenario] += 1
            if proposal.applications and proposal.outcome != Outcome.UNIDENTIFIED:
                suggestions += 1
                suggestions_right += truth.matchable and _right(proposal, truth)
    return {
        "payments": len(proposals),
        "matchable": matchable,
        "auto_applied": auto,
        "auto_rate": round(auto_right / matchable, 4) if matchable else None,
        "wrong_auto": wrong,
        "wrong_auto_per_1000": round(1000 * wrong / auto, 3) if auto else None,
        "suggestions": suggestions,
        "suggestion_top1": round(suggestions_right / suggestions, 4) if suggestions else None,
        "not_auto_by_scenario": dict(sorted(misses.items())),
        "wrong_by_scenario": dict(sorted(wrong_by.items())),
    }


def run(payments: int, items: int, customers: int, seed: int) -> dict[str, object]:
    """Generate, match and score; returns the figures."""
    started = time.perf_counter()
    data = generate(payments, items, customers, seed)
    generated = time.perf_counter() - started
    policy = Policy()
    start, cpu = time.perf_counter(), time.process_time()
    book = Book(
        data.book.items,
        iban_owner=data.book.iban_owner,
        names=data.book.names,
        parents=data.book.parents,
        settled=data.book.settled,
    )
    book_cpu = time.process_time() - cpu
    proposals = [match(p, book, policy) for p in data.payments]
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    figures = score(data, proposals, policy)
    figures.update(
        {
            "items": items,
            "customers": customers,
            "seed": seed,
            "generate_seconds": round(generated, 2),
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu_seconds, 2),
            "book_cpu_seconds": round(book_cpu, 2),
            "payments_per_second": round(payments / seconds),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        }
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    print(json.dumps(run(args.payments, args.items, args.customers, args.seed)))


if __name__ == "__main__":
    main()
