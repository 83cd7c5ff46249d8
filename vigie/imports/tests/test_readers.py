"""Reading spreadsheets: CSV in UTF-8 with or without a byte order mark, ";" or ",", XLSX's
first sheet; unreadable files refused as a whole with a message saying why."""

import datetime
import io
import zipfile

import pytest
from django.utils import translation

from vigie.imports import readers
from vigie.imports.readers import FileUnreadable, table_read
from vigie.tests_support.factories_imports import xlsx_bytes


def _rows(filename: str, content: bytes) -> tuple[list[str], list[tuple[int, list[str], int]]]:
    table = table_read(filename=filename, content=content)
    return table.headers, [(r.line, r.cells, r.width_mismatch) for r in table.rows()]


def test_csv_with_byte_order_mark_and_semicolons():
    content = "\ufeffPrénom;Nom\r\nAmina;Fictif\r\n".encode()

    assert _rows("a.csv", content) == (["Prénom", "Nom"], [(2, ["Amina", "Fictif"], 0)])


def test_csv_with_commas_quotes_and_line_breaks_in_a_cell():
    content = b'Nom,Notes\nA,"un, deux"\n\nB,"ligne 1\nligne 2"\nC,\n'

    headers, rows = _rows("a.csv", content)

    assert headers == ["Nom", "Notes"]
    # The blank line 3 is skipped but counted, the quoted line break is one row (line 4).
    assert rows == [
        (2, ["A", "un, deux"], 0),
        (4, ["B", "ligne 1\nligne 2"], 0),
        (5, ["C", ""], 0),
    ]


def test_csv_rows_too_short_or_too_long_are_flagged_but_trailing_separators_are_not():
    content = b"a;b;c\n1;2\n1;2;3;4\n1;2;3;;\n"

    _headers, rows = _rows("a.csv", content)

    assert [(line, mismatch) for line, _cells, mismatch in rows] == [(2, -1), (3, 1), (4, 0)]


def test_formula_guards_are_removed_from_cells():
    content = b"Nom;Tel\n'=HYPERLINK(1);'+33199001234\n'Quote;x\n"

    _headers, rows = _rows("a.csv", content)

    assert rows[0][1] == ["=HYPERLINK(1)", "+33199001234"]
    assert rows[1][1] == ["'Quote", "x"]  # a real leading quote stays


def test_xlsx_first_sheet_with_dates_numbers_and_booleans():
    # A spreadsheet's date cell is naive: openpyxl reads it so.
    born = datetime.datetime(2009, 3, 12)  # noqa: DTZ001
    content = xlsx_bytes(
        [["Amina", born, 2009.0, True, None]],
        header=["Prénom", "Naissance", "Année", "MNA", "Vide"],
    )

    headers, rows = _rows("export.xlsx", content)

    assert headers == ["Prénom", "Naissance", "Année", "MNA", "Vide"]
    assert rows == [(2, ["Amina", "2009-03-12", "2009", "oui", ""], 0)]


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        ("a.csv", b"", "empty"),
        ("a.csv", b"\n\nA;B\n", "empty"),
        ("a.csv", "Nom;Prénom\nHélène;A\n".encode("cp1252"), "UTF-8"),
        ("a.csv", b"Nom;Nom\nA;B\n", "twice"),
        ("a.csv", b"Nom\x00;B\n", "not a text file"),
        ("old.xls", b"\xd0\xcf\x11\xe0 old binary workbook", "xlsx"),
        ("a.xlsx", b"PK\x03\x04 damaged", "damaged"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(filename, content, expected):
    with translation.override("en"), pytest.raises(FileUnreadable) as raised:
        table = table_read(filename=filename, content=content)
        list(table.rows())
    assert expected in raised.value.message


def test_limits_on_size_and_rows(monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    with translation.override("en"), pytest.raises(FileUnreadable, match="too large"):
        table_read(filename="a.csv", content=b"Nom\n" + b"A\n" * 100)

    monkeypatch.setattr(readers, "MAX_BYTES", 10_000)
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    table = table_read(filename="a.csv", content=b"Nom\n" + b"A\n" * 4)
    with translation.override("en"), pytest.raises(FileUnreadable, match="too many rows"):
        list(table.rows())
    assert len(list(table_read(filename="a.csv", content=b"Nom\n" + b"A\n" * 3).rows())) == 3


def test_a_large_file_is_read_row_by_row():
    content = b"Nom;Prenom\n" + b"".join(b"N%d;P%d\n" % (n, n) for n in range(50_000))

    rows = table_read(filename="big.csv", content=content).rows()

    assert next(rows).cells == ["N0", "P0"]
    assert sum(1 for _row in rows) == 49_999


def test_a_workbook_declaring_xml_entities_is_refused_not_expanded():
    """A billion-laughs entity and an external entity (a server file) in the sheet's XML: the
    workbook is refused as damaged; nothing is expanded or read from the server."""
    good = xlsx_bytes([["Nom"], ["Awa"]])
    declarations = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    )
    crafted = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(crafted, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                sheet = data.decode().replace("<t>Awa</t>", "<t>&c;&x;</t>", 1)
                data = (declarations + sheet).encode()
            target.writestr(name, data)
    with translation.override("en"), pytest.raises(FileUnreadable) as refused:
        table_read(filename="annuaire.xlsx", content=crafted.getvalue())
    assert "damaged" in refused.value.message
