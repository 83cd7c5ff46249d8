"""A published release as files: one CSV of every cell, one JSON of metadata and tables.

What the command line writes to --out and the release page offers for download. Both are built
from the stored release only (never from rows): a cell below the threshold has no number to
write, and is written "< 11".
"""

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from vigie.network.csv_io import csv_write

from .dimensions import build_dimensions
from .models import Release, ReleaseStatus

CSV_HEADER = (
    "table",
    "dimension_1",
    "value_1",
    "label_1",
    "dimension_2",
    "value_2",
    "label_2",
    "count",
    "low_95",
    "high_95",
    "standard_error",
)


class ReleaseNotPublished(Exception):
    """Only a published release has files."""


def _published(release: Release) -> None:
    if release.status != ReleaseStatus.PUBLISHED:
        raise ReleaseNotPublished(f"release {release.uuid} is {release.status}, not published")


def release_slug(release: Release) -> str:
    """A file name from the release's name and date: ASCII letters, digits and dashes."""
    ascii_name = unicodedata.normalize("NFKD", release.name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:60] or "release"
    return f"vigie-{release.reference_date.isoformat()}-{words}"


def table_label(attributes: list[str]) -> str:
    return " x ".join(attributes) if attributes else "total"


def release_csv(release: Release) -> str:
    _published(release)
    dims = build_dimensions(release.reference_date)
    suppressed = f"< {release.threshold}"
    rows = []
    for table in release.tables:
        attributes: list[str] = table["attributes"]
        for cell in table["cells"]:
            described: list[str] = []
            for position in range(2):
                if position < len(attributes):
                    dim = dims[attributes[position]]
                    value = cell["key"][position]
                    described += [dim.code, value, dim.value_label(value)]
                else:
                    described += ["", "", ""]
            count = cell["count"]
            rows.append(
                [
                    table_label(attributes),
                    *described,
                    suppressed if count is None else str(count),
                    "" if count is None else str(cell["low"]),
                    "" if count is None else str(cell["high"]),
                    f"{cell['se']:.2f}",
                ]
            )
    return csv_write(header=CSV_HEADER, rows=rows)


def release_document(release: Release) -> dict[str, Any]:
    _published(release)
    return {
        "uuid": str(release.uuid),
        "metadata": release.metadata,
        "tables": release.tables,
    }


def release_json(release: Release) -> str:
    return json.dumps(release_document(release), ensure_ascii=False, indent=1, sort_keys=True)


def release_files_write(release: Release, out_dir: Path) -> list[Path]:
    """Write ``<slug>.csv`` and ``<slug>.json`` into ``out_dir`` (created if missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    slug = release_slug(release)
    csv_path = out_dir / f"{slug}.csv"
    json_path = out_dir / f"{slug}.json"
    csv_path.write_text("\ufeff" + release_csv(release), encoding="utf-8")
    json_path.write_text(release_json(release) + "\n", encoding="utf-8")
    return [csv_path, json_path]
