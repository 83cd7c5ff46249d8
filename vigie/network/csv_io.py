"""Reading and writing CSV files that people edit in a spreadsheet: a row schema in, typed rows or
per-row, per-column errors out; and the reverse, with spreadsheet formulas neutralised.

Generic on purpose: the directory uses it first, the places and case imports reuse it. Nothing
here knows about models or permissions; a caller declares its columns, each with a parser that
returns a typed value or raises ``ValidationError`` with a message for the person who made the
file, and decides what to do with the rows.

Line numbers are those a spreadsheet shows: the header is line 1, the first data row line 2 (a
quoted cell holding a line break still counts as one row, as in the spreadsheet).
"""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
SEPARATORS = (";", ",")
# OWASP "CSV injection": a cell starting with one of these is run as a formula by spreadsheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"


class CsvFileError(Exception):
    """The file as a whole cannot be read (size, encoding, header): no row is looked at."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(value: str) -> str:
    return value


@dataclass(frozen=True)
class Column:
    """One column of a file: its header name, and how a cell becomes a value.

    ``parse`` gets the cell stripped of surrounding spaces and of the formula guard; it returns
    the typed value or raises ValidationError. An empty cell in a required column is refused
    before ``parse`` is called.
    """

    name: str
    parse: Callable[[str], Any] = _text
    required: bool = False


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # a column's header name; "" for a problem with the row as a whole
    message: str


@dataclass(frozen=True)
class ParsedRow:
    line: int
    values: dict[str, Any]


@dataclass
class CsvReadResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    separator: str = ";"


def cell_neutralise(value: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with a quote (OWASP advice).

    Phone numbers in E.164 ("+33…") are caught too: a false positive the importer undoes with
    ``cell_restore``, so an export imports back unchanged.
    """
    if value.startswith(FORMULA_TRIGGERS):
        return FORMULA_GUARD + value
    return value


def cell_restore(value: str) -> str:
    """Undo ``cell_neutralise``: drop one guard quote, only where it guards a formula trigger
    (a name that truly starts with a quote keeps it)."""
    if value.startswith(FORMULA_GUARD) and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def csv_text_decoded(content: bytes | str, max_bytes: int) -> str:
    """The file's text (UTF-8, with or without Excel's byte order mark), or CsvFileError."""
    size = len(content.encode("utf-8")) if isinstance(content, str) else len(content)
    if size > max_bytes:
        raise CsvFileError(
            _("The file is too large: %(size)s MB at most.")
            % {"size": f"{max_bytes / (1024 * 1024):g}"}
        )
    if isinstance(content, bytes):
        try:
            # "utf-8-sig": Excel's "CSV UTF-8" starts with a byte order mark; other tools do not.
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as problem:
            raise CsvFileError(
                _(
                    "The file is not in UTF-8 (byte %(position)s). In your spreadsheet, save it "
                    "as “CSV UTF-8” and import it again."
                )
                % {"position": problem.start + 1}
            ) from problem
    else:
        text = content.removeprefix("\ufeff")
    if "\x00" in text:
        raise CsvFileError(_("The file is not a text file."))
    return text


def csv_separator(header_line: str) -> str:
    """The separator the header uses: French spreadsheets write ";", others ","."""
    try:
        return csv.Sniffer().sniff(header_line, delimiters="".join(SEPARATORS)).delimiter
    except csv.Error:
        return max(SEPARATORS, key=header_line.count)


def csv_header_check(header: list[str], columns: Sequence[Column]) -> list[str]:
    """The header's column names (lower case), or CsvFileError naming what is missing, unknown
    or given twice."""
    names = [cell.strip().lower() for cell in header]
    expected = [c.name for c in columns]
    unknown = [n for n in names if n not in expected]
    missing = [n for n in expected if n not in names]
    twice = sorted({n for n in names if names.count(n) > 1})
    problems = []
    if missing:
        problems.append(
            ngettext(
                "Column missing from the first line: %(names)s.",
                "Columns missing from the first line: %(names)s.",
                len(missing),
            )
            % {"names": ", ".join(missing)}
        )
    if unknown:
        problems.append(
            ngettext("Unknown column: %(names)s.", "Unknown columns: %(names)s.", len(unknown))
            % {"names": ", ".join(n or "?" for n in unknown)}
        )
    if twice:
        problems.append(_("Column given twice: %(names)s.") % {"names": ", ".join(twice)})
    if problems:
        problems.append(
            _("The first line must name these columns: %(names)s.") % {"names": ", ".join(expected)}
        )
        raise CsvFileError(" ".join(problems))
    return names


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def csv_read(
    *,
    content: bytes | str,
    columns: Sequence[Column],
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> CsvReadResult:
    """Parse every row against the columns. Raises CsvFileError when the file cannot be read at
    all; otherwise every bad cell is reported, with its line and column, and the good rows kept.
    Blank lines are skipped."""
    text = csv_text_decoded(content, max_bytes)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise CsvFileError(_("The file is empty: the first line must name the columns."))
    separator = csv_separator(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    by_name = {c.name: c for c in columns}
    result = CsvReadResult(separator=separator)
    try:
        names = csv_header_check(next(reader), columns)
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if line - 1 > max_rows:
                raise CsvFileError(
                    _("The file has too many rows: %(count)s at most.") % {"count": max_rows}
                )
            if len(cells) != len(names):
                result.errors.append(
                    RowError(
                        line,
                        "",
                        _("This line has %(found)s cells, the first line %(expected)s.")
                        % {"found": len(cells), "expected": len(names)},
                    )
                )
                continue
            values: dict[str, Any] = {}
            row_errors: list[RowError] = []
            for name, raw in zip(names, cells, strict=True):
                column = by_name[name]
                cell = cell_restore(raw.strip()).strip()
                if column.required and not cell:
                    row_errors.append(RowError(line, name, _("This cell is required.")))
                    continue
                try:
                    values[name] = column.parse(cell)
                except ValidationError as error:
                    row_errors.extend(RowError(line, name, m) for m in _messages(error))
            if row_errors:
                result.errors.extend(row_errors)
            else:
                result.rows.append(ParsedRow(line, values))
    except csv.Error as problem:
        raise CsvFileError(
            _("The file cannot be read as CSV near line %(line)s (check the quotes).")
            % {"line": reader.line_num}
        ) from problem
    except StopIteration as problem:  # pragma: no cover - guarded by the empty check above
        raise CsvFileError(_("The file is empty.")) from problem
    return result


def csv_write(*, header: Sequence[str], rows: Iterable[Sequence[str]], separator: str = ";") -> str:
    """The CSV text of the rows, every cell neutralised against formula injection.

    ";" by default: the separator French spreadsheets expect (and the reader accepts both).
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell_neutralise(cell) for cell in row])
    return buffer.getvalue()
