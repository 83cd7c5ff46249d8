"""The HTCDS 2.0 field list (IOM, CC BY 4.0): every field's name, type and picklist.

Read from the packaged copy of the field standard sheet (vigie/monitoring/data, with its
attribution in the README there).
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HTCDS_FIELDS_FILE = Path(__file__).resolve().parent.parent / "data" / "htcds_fields_2.0.tsv"

# HTCDS has no field for a record's identifier (IOM's template numbers its lines in an unnamed
# column): the export names it as the standard number of the Case object in the Salesforce model
# HTCDS is built on, with HTCDS's prefix for that object. The only column outside the list.
RECORD_KEY = "cas_CaseNumber"
MULTIPLE_SEPARATOR = ";"  # Salesforce's separator of a multi-select picklist's values


class HtcdsFieldsError(Exception):
    """The packaged field list is missing or unreadable."""


@dataclass(frozen=True)
class HtcdsField:
    name: str  # with its prefix: "prs_Gender"
    type: str  # "Picklist", "Multiselect Picklist", "Number", "Text"...
    status: str  # "DRAFT" or "DEPRECATED"
    values: tuple[str, ...]  # a picklist's value names; () otherwise
    standard: str  # "ISO 3166", "ISO 639-2": a picklist whose values a standard lists

    @property
    def is_picklist(self) -> bool:
        return self.type in ("Picklist", "Multiselect Picklist")

    @property
    def is_multiple(self) -> bool:
        return self.type == "Multiselect Picklist"


def _standard(text: str) -> str:
    for standard in ("ISO 3166", "ISO 639-2"):
        if standard in text:
            return standard
    return ""


@cache
def htcds_fields_load(path: Path = HTCDS_FIELDS_FILE) -> dict[str, HtcdsField]:
    """Every field of the list by name. Its first line names the sheet, the second the columns;
    section titles are lines with only a first cell."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as problem:
        raise HtcdsFieldsError(f"{path}: cannot read the HTCDS field list: {problem}") from problem
    rows = list(csv.reader(lines[1:], delimiter="\t"))
    if not rows or "Field Name including Prefix" not in rows[0]:
        raise HtcdsFieldsError(f"{path}: no header line with 'Field Name including Prefix'")
    header = rows[0]
    fields: dict[str, HtcdsField] = {}
    for row in rows[1:]:
        cells = dict(zip(header, [*row, *[""] * (len(header) - len(row))], strict=False))
        name = cells["Field Name including Prefix"].strip()
        if not name or name == "N/A":
            continue
        values_text = cells["Value Names (if picklist)"].strip()
        standard = _standard(values_text)
        values = () if standard else tuple(v.strip() for v in values_text.split("|") if v.strip())
        fields[name] = HtcdsField(
            name=name,
            type=cells["Field Type"].strip(),
            status=cells["Status"].strip(),
            values=values,
            standard=standard,
        )
    if not fields:
        raise HtcdsFieldsError(f"{path}: no field")
    return fields
