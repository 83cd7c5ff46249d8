"""Spreadsheet files from rows of cells: CSV (UTF-8 with a byte order mark, ";") and XLSX.

Every text cell is neutralised against formula injection (OWASP "CSV injection") the way the
directory's CSV files are (vigie/network/csv_io.py): a value typed into a file, say an alias
"=HYPERLINK(...)", must come out as text, never as a formula a spreadsheet runs. In XLSX the cell
is moreover stored as a string: openpyxl would otherwise store any text starting with "=" as a
formula.
"""

import io
from collections.abc import Iterable, Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.styles import Font

from vigie.network.csv_io import cell_neutralise, csv_write

# A cell is text, a date (a date cell in XLSX, ISO 8601 in both), a whole number, or empty.
Cell = str | date | int | None
Row = Sequence[Cell]

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# French spreadsheets read UTF-8 only with it (accents of names and labels).
BYTE_ORDER_MARK = "\ufeff"


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_bytes(*, header: Sequence[str], rows: Iterable[Row]) -> bytes:
    """The CSV file: ";" as French spreadsheets expect, every cell neutralised (csv_write)."""
    text = csv_write(
        header=[cell_neutralise(name) for name in header],
        rows=([_csv_text(value) for value in row] for row in rows),
    )
    return (BYTE_ORDER_MARK + text).encode("utf-8")


def _xlsx_text(value: str) -> str:
    # Control characters make the file unreadable (openpyxl refuses them): they carry nothing.
    return cell_neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))


def xlsx_bytes(*, header: Sequence[str], rows: Iterable[Row], title: str) -> bytes:
    """The XLSX file, written row by row (openpyxl's write-only mode: memory stays flat).

    Plain values where openpyxl already stores them as they are (it builds a cell for each):
    a neutralised text never starts with "=", so it is stored as a string. A cell is built by
    hand only where openpyxl would read the text as something else (an error code such as
    "#N/A"), and for the header's style: cells cost more than the rest of the export.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)

    def text_cell(value: str) -> XlsxCell:
        cell = WriteOnlyCell(sheet, value=value)
        # Stored as a string whatever it looks like: never as a formula nor an error code.
        cell.data_type = "s"
        return cell

    def text(value: str) -> str | XlsxCell:
        value = _xlsx_text(value)
        if value.startswith("=") or value in ERROR_CODES:
            return text_cell(value)
        return value

    def heading(value: str) -> XlsxCell:
        cell = text_cell(_xlsx_text(value))
        cell.font = bold
        return cell

    sheet.freeze_panes = "A2"
    sheet.append([heading(name) for name in header])
    for row in rows:
        sheet.append([text(value) if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
