"""XLSX export of any workbench table: column specs plus rows in, a typed and filterable workbook out.

Every table gets its export from one :class:`Column` tuple and one call to :func:`xlsx_response`. Cells keep their
types so a spreadsheet can sum and sort them: amounts and other numbers are numeric cells (a ``Decimal`` is
written with its exact digits, never through ``float`` on our side) with a number format, dates are date cells,
instants are UTC date-times (Excel has no timezones), and text stays text, even when it starts with ``=`` (so a
customer name can never become a formula). The header row is bold and frozen, with an autofilter over the data.
The workbook is streamed row by row (openpyxl's write-only mode), so large tables do not sit in memory as cells.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

T = TypeVar("T")
ColumnKind = Literal["text", "integer", "decimal", "amount", "date", "datetime"]
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS: dict[str, str] = {
    "integer": "#,##0",
    "decimal": "#,##0.########",
    "amount": "#,##0.00",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm:ss",
}
DEFAULT_WIDTHS: dict[str, int] = {"text": 18, "integer": 10, "decimal": 14, "amount": 16, "date": 12, "datetime": 20}
_HEADER_FONT = Font(bold=True)


@dataclass(frozen=True)
class Column(Generic[T]):
    """One exported column: its header, how to get the cell value from a row, its kind and width (characters)."""

    header: str
    value: Callable[[T], object]
    kind: ColumnKind = "text"
    width: int | None = None


def workbook_bytes(sheet_title: str, columns: Sequence[Column[T]], rows: Iterable[T]) -> bytes:
    """An XLSX file with a header row and one row per item of ``rows``."""
    workbook = Workbook(write_only=True)
    # Any: the openpyxl stubs lack the write-only sheet's column_dimensions and auto_filter.
    sheet: Any = workbook.create_sheet(_sheet_title(sheet_title))
    for index, column in enumerate(columns, start=1):
        width = column.width or max(DEFAULT_WIDTHS[column.kind], len(column.header) + 2)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, column.header) for column in columns])
    count = 0
    try:
        for row in rows:
            sheet.append([_cell(sheet, column, column.value(row)) for column in columns])
            count += 1
    except Exception:
        sheet.close()  # finish the half-written temporary sheet file, so nothing dangles until garbage collection
        raise
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename_stem: str, columns: Sequence[Column[T]], rows: Iterable[T], *, day: date, sheet_title: str | None = None
) -> Response:
    """The export as a download named ``<filename_stem>-<day>.xlsx``."""
    data = workbook_bytes(sheet_title or filename_stem.title(), columns, rows)
    filename = f"{filename_stem}-{day.isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return Response(content=data, media_type=XLSX_MEDIA_TYPE, headers=headers)


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in sheet names and cuts names at 31 characters.
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip() or "Export"
    return cleaned[:31]


def _header_cell(sheet: Any, header: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=header)
    cell.font = _HEADER_FONT
    return cell


def _cell(sheet: Any, column: Column[T], value: object) -> Cell:
    typed: Any = _typed(column.kind, value)  # Any: the stubs' cell-value union lacks Decimal and date
    cell = WriteOnlyCell(sheet, value=typed)
    if column.kind == "text" and cell.data_type == "f":
        cell.data_type = "s"  # text that looks like a formula stays text
    if column.kind in NUMBER_FORMATS and cell.value is not None:
        cell.number_format = NUMBER_FORMATS[column.kind]
    return cell


def _typed(kind: ColumnKind, value: object) -> object:
    """The cell value for ``kind``: numbers as ``int``/``Decimal``, dates as dates, instants as naive UTC."""
    if value is None or value == "":
        return None
    if kind == "text":
        return str(value)
    if kind == "integer":
        return int(str(value))
    if kind in ("decimal", "amount"):
        if isinstance(value, float):
            raise TypeError("exported amounts are Decimal, never float")
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if kind == "datetime" and isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if kind == "date" and isinstance(value, date):
        return value
    raise TypeError(f"cannot export {value!r} as {kind}")
