"""Rows written in bulk, without one model instance per row.

The ORM's bulk_create costs more than the rows themselves at 100,000 files and their rights
plans (measured: bench/import_cases.py). Rows are prepared as plain tuples when they are checked,
out of the writing transaction (encryption included), then written by one executemany per batch
(SQLite) or COPY (PostgreSQL), the way the demo generator writes a million files
(vigie/core/bulk_rows.py, shared with the demo generator).
"""

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

from vigie.core.bulk_rows import BulkTable


class RowWriter(BulkTable):
    """A table whose rows share most of their values: those are converted once per import."""

    def preparer(
        self, constants: dict[str, Any], variables: Iterable[str]
    ) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
        """How rows sharing ``constants`` (a moment, an author, and every default) are prepared:
        those are converted once, and each row converts only its ``variables``."""
        variable = list(variables)
        unknown = set(variable) - set(self.names)
        if unknown:
            raise ValueError(f"{self.model.__name__} has no field {sorted(unknown)}")
        template: list[Any] = []
        for name, to_db in zip(self.names, self.converters, strict=True):
            if name in variable:
                template.append(None)
            else:
                template.append(
                    to_db(constants[name] if name in constants else self.defaults[name])
                )
        slots = [
            (self.names.index(name), self.converters[self.names.index(name)], name)
            for name in variable
        ]

        def prepare(row: dict[str, Any]) -> tuple[Any, ...]:
            values = template.copy()
            for position, to_db, name in slots:
                values[position] = to_db(row[name])
            return tuple(values)

        return prepare

    def position(self, name: str) -> int:
        return self.names.index(name)


# Pages of SQLite's cache while an import writes (negative: KiB). The default, 2 MB, makes every
# insert into the case file's dozen indexes read its pages back from disk once the file grows.
SQLITE_IMPORT_CACHE_KIB = 128 * 1024


@contextlib.contextmanager
def large_cache(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """A larger page cache for this connection while a bulk write runs (SQLite only)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
