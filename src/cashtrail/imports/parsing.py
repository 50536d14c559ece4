"""Reading a file's header and rows against a :class:`KindSpec`, reporting every problem at once.

The header decides which cell belongs to which column, so a bad header (unknown, missing required, duplicated or
unnamed columns) stops the rows from being read: their errors would only be noise. Otherwise every row is read
and every bad cell is reported with its row number (the header is row 1) and column. A business key that appears
twice in the file is an error on the second and later rows. Nothing here touches storage.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from cashtrail.errors import FieldError
from cashtrail.imports.spec import CellError, KindSpec, ParsedRow

RawRow = tuple[int, Sequence[str]]


def parse_table(
    spec: KindSpec, source: str, header: Sequence[str], rows: Iterable[RawRow]
) -> tuple[list[ParsedRow], list[FieldError]]:
    """Check the header, then read every row; returns the rows read and every problem found."""
    if not any(cell.strip() for cell in header):
        return [], [FieldError("file", "has no header row (row 1 is blank)", row=1, source=source)]
    positions, errors = check_header(spec, source, header)
    if errors:
        return [], errors
    parsed, errors = parse_rows(spec, source, positions, len(header), rows)
    if not parsed and not errors:
        errors.append(FieldError("file", "has a header row but no data rows", source=source))
    return parsed, errors + duplicate_keys(spec, parsed)


def check_header(spec: KindSpec, source: str, header: Sequence[str]) -> tuple[dict[str, int], list[FieldError]]:
    """Map each column name to its 0-based position; report unknown, duplicated, unnamed and missing columns."""
    positions: dict[str, int] = {}
    errors: list[FieldError] = []
    known = spec.names()
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        if not name:
            errors.append(FieldError(f"column {index + 1}", "has no name in the header", row=1, source=source))
        elif name in positions:
            where = f"columns {positions[name] + 1} and {index + 1}"
            errors.append(FieldError(name, f"is duplicated in the header ({where})", row=1, source=source))
        else:
            positions[name] = index
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
                hint = f"; did you mean {close[0]}?" if close else ""
                message = f"is not a column of {spec.kind} files{hint}"
                errors.append(FieldError(name, message, value=raw, row=1, source=source))
    for column in spec.columns:
        if column.required and column.name not in positions:
            errors.append(FieldError(column.name, "is a required column but is missing", row=1, source=source))
    return positions, errors


def parse_rows(
    spec: KindSpec, source: str, positions: dict[str, int], width: int, rows: Iterable[RawRow]
) -> tuple[list[ParsedRow], list[FieldError]]:
    """Read each row's cells into typed values; blank optional cells take the column default."""
    parsed: list[ParsedRow] = []
    errors: list[FieldError] = []
    for number, cells in rows:
        row = ParsedRow(source=source, row=number, values={})
        beyond = [index for index in range(width, len(cells)) if cells[index].strip()]
        if beyond:
            errors.append(row.error(f"column {beyond[0] + 1}", "has a value but no header", cells[beyond[0]]))
        for column in spec.columns:
            index = positions.get(column.name)
            raw = cells[index].strip() if index is not None and index < len(cells) else ""
            if not raw:
                row.values[column.name] = column.default
                if column.required:
                    row.bad.add(column.name)
                    errors.append(row.error(column.name, "is required"))
                continue
            try:
                row.values[column.name] = column.type.parse(raw)
            except CellError as exc:
                row.values[column.name] = None
                row.bad.add(column.name)
                errors.append(row.error(column.name, str(exc), raw))
        parsed.append(row)
    return parsed, errors


def duplicate_keys(spec: KindSpec, rows: Iterable[ParsedRow]) -> list[FieldError]:
    """An error for every row whose business key already appeared on an earlier row of the file."""
    first_row: dict[str, int] = {}
    errors: list[FieldError] = []
    for row in rows:
        if row.bad & set(spec.key):
            continue
        key = spec.external_id(row)
        if key in first_row:
            message = f"duplicates row {first_row[key]}: {key} may appear only once per file"
            errors.append(row.error(spec.key[-1], message, key))
        else:
            first_row[key] = row.row
    return errors
