"""Reading an uploaded spreadsheet: CSV (UTF-8, with or without a byte order mark, ";" or ","
separated) or XLSX (its first sheet), as a header row and rows of text cells.

Nothing here knows about fields or models. Line numbers are those the spreadsheet shows: the
header is line 1, the first data row line 2 (a quoted CSV cell holding a line break still counts
as one row, as in the spreadsheet). Blank rows are skipped, keeping the numbering.
"""

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.utils.translation import gettext as _

from vigie.network.csv_io import CsvFileError, cell_restore, csv_separator, csv_text_decoded

MAX_BYTES = 64 * 1024 * 1024
MAX_ROWS = 200_000
# An XLSX is a zip: refuse one that would inflate past this (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 512 * 1024 * 1024
SEPARATORS = (";", ",")
XLSX_MAGIC = b"PK\x03\x04"


class FileUnreadable(Exception):
    """The file as a whole cannot be read: no row is looked at."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: list[str]
    # The row has more non-empty cells than the header names (CSV only), or fewer.
    width_mismatch: int = 0


@dataclass
class Table:
    """A readable file: its headers, and its rows read on demand (``rows()`` may be called again,
    each time reading from the start)."""

    format: str  # "csv", "xlsx" or "json"
    headers: list[str]
    _content: bytes

    def rows(self) -> Iterator[RawRow]:
        if self.format == "xlsx":
            return _xlsx_rows(self._content)
        if self.format == "json":
            from .readers_json import json_rows  # it imports this module

            return json_rows(self._content)
        return _csv_rows(self._content)


def _too_large() -> FileUnreadable:
    return FileUnreadable(
        _("The file is too large: %(size)s MB at most.") % {"size": MAX_BYTES // (1024 * 1024)}
    )


def _too_many_rows() -> FileUnreadable:
    return FileUnreadable(
        _("The file has too many rows: %(count)s at most.") % {"count": f"{MAX_ROWS:,}"}
    )


def table_read(*, filename: str, content: bytes) -> Table:
    """The file's table, its header checked; raises FileUnreadable with a message for the person
    who made the file."""
    if not content:
        raise FileUnreadable(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise _too_large()
    lowered = filename.lower()
    if content.startswith(XLSX_MAGIC):
        headers = _xlsx_headers(content)
        table_format = "xlsx"
    elif lowered.endswith((".xls", ".ods", ".numbers")) or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileUnreadable(
            _(
                "This spreadsheet format is not read. Save the file as “CSV UTF-8” or as an "
                "Excel workbook (.xlsx) and import it again."
            )
        )
    elif lowered.endswith(".json") or content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        from .readers_json import json_headers  # it imports this module

        headers = json_headers(content)
        table_format = "json"
    else:
        headers = _csv_headers(content)
        table_format = "csv"
    _headers_check(headers)
    return Table(format=table_format, headers=headers, _content=content)


def _headers_check(headers: list[str]) -> None:
    if not any(headers):
        raise FileUnreadable(_("The file is empty: the first line must name the columns."))
    named = [h for h in headers if h]
    twice = sorted({h for h in named if named.count(h) > 1})
    if twice:
        raise FileUnreadable(
            _("Column given twice in the first line: %(names)s.") % {"names": ", ".join(twice)}
        )


# --- CSV ---------------------------------------------------------------------------------------


def _decoded(content: bytes) -> str:
    try:
        # The size was checked by table_read, with the import's own limit.
        return csv_text_decoded(content, max_bytes=len(content))
    except CsvFileError as problem:
        raise FileUnreadable(problem.message) from problem


def _csv_reader(text: str) -> Any:
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise FileUnreadable(_("The file is empty: the first line must name the columns."))
    return csv.reader(
        io.StringIO(text, newline=""), delimiter=csv_separator(first_line), strict=True
    )


def _cell(value: str) -> str:
    return cell_restore(value.strip()).strip()


def _csv_error(reader: Any) -> FileUnreadable:
    return FileUnreadable(
        _("The file cannot be read as CSV near line %(line)s (check the quotes).")
        % {"line": reader.line_num}
    )


def _csv_headers(content: bytes) -> list[str]:
    reader = _csv_reader(_decoded(content))
    try:
        return [_cell(cell) for cell in next(reader)]
    except csv.Error as problem:
        raise _csv_error(reader) from problem


def _csv_rows(content: bytes) -> Iterator[RawRow]:
    reader = _csv_reader(_decoded(content))
    try:
        width = len(next(reader))
        count = 0
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                raise _too_many_rows()
            mismatch = 0
            if len(cells) > width:
                # Trailing empty cells (a ";" too many at the end of each line) are harmless.
                if any(cell.strip() for cell in cells[width:]):
                    mismatch = len(cells) - width
                cells = cells[:width]
            elif len(cells) < width:
                mismatch = len(cells) - width
                cells = cells + [""] * (width - len(cells))
            yield RawRow(line, [_cell(cell) for cell in cells], mismatch)
    except csv.Error as problem:
        raise _csv_error(reader) from problem


# --- XLSX --------------------------------------------------------------------------------------


def _xlsx_cell(value: Any) -> str:
    """A cell as the text a person would type: dates in ISO, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _cell(str(value))


def _xlsx_values(content: bytes) -> Iterator[Sequence[Any]]:
    """The first sheet's rows from A1 (so that line numbers are the spreadsheet's), read by
    calamine: a Rust reader about fifteen times faster than openpyxl on 100,000 rows, whose XML
    parser expands no entity (no billion-laughs, no external entity)."""
    from python_calamine import CalamineWorkbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as problem:
        raise FileUnreadable(_("The workbook is damaged: it cannot be opened.")) from problem
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _too_large()
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        if not workbook.sheet_names:
            raise FileUnreadable(_("The file is empty."))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except FileUnreadable:
        raise
    except Exception as problem:  # calamine raises several kinds for a file that is no workbook
        raise FileUnreadable(_("The workbook is damaged: it cannot be opened.")) from problem
    yield from rows


def _xlsx_headers(content: bytes) -> list[str]:
    for values in _xlsx_values(content):
        headers = [_xlsx_cell(v) for v in values]
        while headers and not headers[-1]:
            headers.pop()
        return headers
    raise FileUnreadable(_("The file is empty: the first line must name the columns."))


def _xlsx_rows(content: bytes) -> Iterator[RawRow]:
    values_iter = _xlsx_values(content)
    width = 0
    count = 0
    for line, values in enumerate(values_iter, start=1):
        cells = [_xlsx_cell(v) for v in values]
        if line == 1:
            width = len(cells)
            while width and not cells[width - 1]:
                width -= 1
            continue
        if not any(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _too_many_rows()
        mismatch = 0
        if len(cells) > width:
            if any(cells[width:]):
                mismatch = len(cells) - width
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        yield RawRow(line, cells, mismatch)
