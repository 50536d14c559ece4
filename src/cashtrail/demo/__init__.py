"""The demo company: a realistic, deterministic data set built through the real use cases.

``cashtrail demo`` prepares the database (:mod:`.database`), runs the chapters registered in
:data:`.runner.CHAPTER_MODULES` in order (users, catalog, payment terms, customers; later domains append theirs),
prints a summary and serves the workbench. Every chapter goes through the service layer, so the demo also writes
the audit trail and exercises the same validation as the API and the imports.

Modules: :mod:`.context` (what chapters share), :mod:`.runner` (running them), :mod:`.identifiers` (valid VAT
numbers and IBANs), :mod:`.regions` and :mod:`.companies` (who the customers are), and one module per chapter
group (:mod:`.users`, :mod:`.catalog`, :mod:`.customers`).
"""

from cashtrail.demo.context import DEFAULT_CUSTOMERS, DEFAULT_SEED, DEMO_PASSWORD, Chapter, DemoContext
from cashtrail.demo.runner import build_demo, default_chapters, summarize

__all__ = [
    "DEFAULT_CUSTOMERS",
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "Chapter",
    "DemoContext",
    "build_demo",
    "default_chapters",
    "summarize",
]
