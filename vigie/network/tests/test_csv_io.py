"""The generic CSV machinery: typed rows or per-line, per-column errors; formulas neutralised."""

import pytest
from django.core.exceptions import ValidationError

from vigie.network.csv_io import (
    Column,
    CsvFileError,
    cell_neutralise,
    cell_restore,
    csv_read,
    csv_write,
)


def _number(cell: str) -> int:
    if not cell.isdigit():
        raise ValidationError("not a number")
    return int(cell)


COLUMNS = [Column("name", required=True), Column("count", _number)]


def test_rows_are_typed_and_numbered_as_in_a_spreadsheet():
    result = csv_read(content=b"name,count\nA,1\n\nB,2\n", columns=COLUMNS)

    assert result.errors == []
    assert [(r.line, r.values) for r in result.rows] == [
        (2, {"name": "A", "count": 1}),
        (4, {"name": "B", "count": 2}),
    ]


def test_every_bad_cell_is_reported_with_its_line_and_column():
    result = csv_read(content="name;count\nA;1\n;x\nC;3;extra\n", columns=COLUMNS)

    assert [(e.line, e.column) for e in result.errors] == [(3, "name"), (3, "count"), (4, "")]
    assert [r.line for r in result.rows] == [2]
    assert result.separator == ";"


def test_header_order_is_free_but_names_are_fixed():
    assert csv_read(content="Count,NAME\n1,A\n", columns=COLUMNS).rows[0].values == {
        "name": "A",
        "count": 1,
    }
    with pytest.raises(CsvFileError, match="count") as raised:
        csv_read(content="name,amount\nA,1\n", columns=COLUMNS)
    assert "amount" in raised.value.message


def test_a_byte_order_mark_is_accepted_and_other_encodings_are_refused():
    assert csv_read(content="\ufeffname,count\nÉlise,1\n".encode(), columns=COLUMNS).rows
    with pytest.raises(CsvFileError, match="UTF-8"):
        csv_read(content="name,count\nÉlise,1\n".encode("latin-1"), columns=COLUMNS)


def test_size_and_row_limits():
    with pytest.raises(CsvFileError):
        csv_read(content=b"name,count\n" + b"A,1\n" * 100, columns=COLUMNS, max_bytes=50)
    with pytest.raises(CsvFileError):
        csv_read(content=b"name,count\n" + b"A,1\n" * 3, columns=COLUMNS, max_rows=2)
    assert len(csv_read(content=b"name,count\n" + b"A,1\n" * 2, columns=COLUMNS, max_rows=2).rows)


def test_an_empty_file_is_refused():
    with pytest.raises(CsvFileError):
        csv_read(content=b"", columns=COLUMNS)


@pytest.mark.parametrize("cell", ["=1+1", "+33199001234", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_triggers_are_neutralised_and_restored(cell):
    assert cell_neutralise(cell) == "'" + cell
    assert cell_restore(cell_neutralise(cell)) == cell


def test_a_quote_that_guards_nothing_is_kept():
    assert cell_neutralise("'t Hooft") == "'t Hooft"
    assert cell_restore("'t Hooft") == "'t Hooft"


def test_written_file_reads_back_the_same():
    text = csv_write(header=["name", "count"], rows=[["=HYPERLINK(x)", "1"], ["a;b", "2"]])

    assert "'=HYPERLINK" in text
    rows = csv_read(content=text, columns=[Column("name"), Column("count")]).rows
    assert [r.values["name"] for r in rows] == ["=HYPERLINK(x)", "a;b"]
