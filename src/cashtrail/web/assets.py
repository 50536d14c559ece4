"""Static files: our own CSS/JS and the vendor bundles that ``npm ci`` copies into ``static/vendor/``.

``static/vendor.json`` lists the vendor files; the npm ``postinstall`` script (``scripts/copy-vendor-assets.mjs``)
reads the same list, so Python and npm agree on what must be there. Vendor files are never committed: when they
are missing the pages still work (plain forms and links) and the server logs how to install them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
MANIFEST = STATIC_DIR / "vendor.json"
INSTALL_HINT = "run `npm ci` in the repository root (it copies them from node_modules into static/vendor/)"


@cache
def vendor_files() -> tuple[str, ...]:
    """The file names the workbench expects under ``static/vendor/``."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return tuple(sorted(manifest["files"]))


def missing_vendor_files(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """The expected vendor files that are not installed (empty when ``npm ci`` has run)."""
    return [name for name in vendor_files() if not (vendor_dir / name).is_file()]


def static_url(path: str) -> str:
    """The URL of a static file, with its modification time as a cache-busting version."""
    try:
        version = int((STATIC_DIR / path).stat().st_mtime)
    except OSError:
        version = 0
    return f"/static/{path}?v={version}"
