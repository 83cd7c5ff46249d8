"""Rows written in bulk, without one model instance per row.

The ORM's bulk_create costs more than the rows themselves at 100,000 files and their rights
plans (measured: bench/import_cases.py). Rows are prepared as plain tuples when they are checked,
out of the writing transaction (encryption included), then written by one executemany per batch
(SQLite) or COPY (PostgreSQL), the way the demo generator writes a million files
(vigie/demo/services.py ``_Table``, which this follows; the demo's is tuned for forked workers).
"""

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from vigie.core.crypto import EncryptedField

WRITE_BATCH = 5000


def _converter(
    field: models.Field[Any, Any], connection: BaseDatabaseWrapper
) -> Callable[..., Any]:
    passthrough = (models.CharField, models.IntegerField, models.BooleanField, models.ForeignKey)
    if isinstance(field, passthrough) and not isinstance(field, EncryptedField):
        return lambda value: value
    if isinstance(field, models.UUIDField):
        if connection.features.has_native_uuid_field:
            return lambda value: value
        return lambda value: None if value is None else value.hex
    if type(field) is models.DateField:
        adapt_date = connection.ops.adapt_datefield_value
        return lambda value: None if value is None else adapt_date(value)
    if isinstance(field, models.DateTimeField):
        adapt_moment = connection.ops.adapt_datetimefield_value
        return lambda value: None if value is None else adapt_moment(value)
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: None if value is None else json.dumps(value, cls=encoder)

    def prepare(value: Any) -> Any:
        # Encrypted fields encrypt here; any other field prepares its value as Django would.
        if value is None and field.null:
            return None
        return field.get_db_prep_save(value, connection)

    return prepare


class RowWriter:
    """One model's columns in order, each with its converter; a column a row does not give takes
    the field's default (so a field added to the model later is never left unset)."""

    def __init__(self, model: type[models.Model], connection: BaseDatabaseWrapper) -> None:
        self.model = model
        self.connection = connection
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.names = [f.attname for f in fields]
        self.columns = [f.column or f.attname for f in fields]
        self.converters = [_converter(f, connection) for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields}

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

    def write(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Runs in the caller's transaction."""
        quote = self.connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(column) for column in self.columns)
        batch: list[tuple[Any, ...]] = []
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # COPY streams the rows in one statement: several times faster than executemany.
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)
                return
            placeholders = ", ".join(["%s"] * len(self.columns))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608
            for values in rows:
                batch.append(values)
                if len(batch) >= WRITE_BATCH:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


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
