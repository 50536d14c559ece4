"""UBL validation benchmark: validate the conformance UBL examples N times and print documents per second.

Usage: python -m bench.ubl_validate [--rounds 50] [--workers 1] [--folder ../shared/conformance/ubl]. Reads every
``*.xml`` in the folder (valid examples and ``broken/``), compiles the validators once per process (timed apart),
then each of ``workers`` processes runs ``validate_ubl`` (XML + UBL 2.1 XSD + CEN EN 16931 XSLT) on every
document ``rounds`` times. Workers start together after warming up; the figure is all documents validated divided
by the slowest worker's time. Prints one JSON line. Files are read in place, never copied.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from pathlib import Path
from typing import Any

from cashtrail.documents.ubl_validation import validate_ubl, validator_versions, warm_up

DEFAULT_FOLDER = Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "ubl"


def _load(folder: Path) -> list[bytes]:
    documents = [p.read_bytes() for p in sorted(folder.rglob("*.xml"))]
    if not documents:
        raise SystemExit(f"no *.xml under {folder}")
    return documents


def _worker(documents: list[bytes], rounds: int, barrier: Any) -> tuple[float, float, int]:
    """Warm up, wait for the other workers, then validate; return (compile s, elapsed s, invalid count)."""
    started = time.perf_counter()
    warm_up()
    compile_s = time.perf_counter() - started
    if barrier is not None:
        barrier.wait()
    invalid = 0
    started = time.perf_counter()
    for _ in range(rounds):
        for xml in documents:
            invalid += not validate_ubl(xml).is_valid
    return compile_s, time.perf_counter() - started, invalid


def run(folder: Path, rounds: int, workers: int = 1) -> dict[str, object]:
    """Validate every example in ``folder`` ``rounds`` times in each worker; return a JSON-friendly dict."""
    documents = _load(folder)
    if workers == 1:
        results = [_worker(documents, rounds, None)]
    else:
        manager = multiprocessing.Manager()
        barrier = manager.Barrier(workers)
        with multiprocessing.Pool(workers) as pool:
            results = pool.starmap(_worker, [(documents, rounds, barrier)] * workers)
    elapsed = max(r[1] for r in results)
    validated = workers * rounds * len(documents)
    return {
        "bench": "ubl_validate",
        "documents": len(documents),
        "rounds": rounds,
        "workers": workers,
        "validated": validated,
        "invalid": sum(r[2] for r in results),
        "compile_s": round(max(r[0] for r in results), 3),
        "elapsed_s": round(elapsed, 3),
        "docs_per_s": round(validated / elapsed, 1),
        "ms_per_doc": round(1000 * elapsed * workers / validated, 2),
        **validator_versions(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Validate the conformance UBL examples and print docs/s.")
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args()
    print(json.dumps(run(args.folder, args.rounds, args.workers)))


if __name__ == "__main__":
    main()
