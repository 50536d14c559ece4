"""docs/formats.md stays true to the column specs it documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from cashtrail.imports.services import KINDS
from cashtrail.imports.spec import markdown_table

FORMATS = Path(__file__).resolve().parents[3] / "docs" / "formats.md"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_formats_doc_shows_each_kinds_columns_exactly_as_the_spec_defines_them(kind):
    text = FORMATS.read_text(encoding="utf-8")
    assert markdown_table(KINDS[kind].spec) in text, f"regenerate the {kind} table in docs/formats.md"
    assert f"`{KINDS[kind].spec.source}`" in text
