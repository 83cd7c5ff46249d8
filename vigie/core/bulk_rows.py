"""Rows written in bulk, without one model instance per row: the demo generator's million files
and the spreadsheet import's hundred thousand.

The ORM's bulk_create costs more than the rows themselves at that scale (measured by
bench/run.py and bench/import_cases.py). Rows are prepared as plain tuples, out of the writing
transaction (encryption included), then written by COPY (PostgreSQL) or executemany in batches
(SQLite).
"""

import functools
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from .crypto import EncryptedField

# Rows per executemany on SQLite (COPY streams them all in one statement).
WRITE_BATCH = 5000


def column_converter(
    field: models.Field[Any, Any], connection: BaseDatabaseWrapper
) -> Callable[[Any], Any]:
    """How one field's value becomes a database parameter.

    Plain text, number and boolean columns pass through as they are; dates, moments, UUIDs and
    JSON get the same adaptation as Django's, minus the checks a prepared value does not need;
    every other field (the encrypted ones encrypt here) prepares its own value.
    """
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
        # Moments repeat (a batch's creation time, a day at a fixed hour): each adapted once.
        adapt_moment = connection.ops.adapt_datetimefield_value
        return functools.cache(lambda value: None if value is None else adapt_moment(value))
    if isinstance(field, models.JSONField):
        # JSON text: what SQLite stores, and what PostgreSQL's COPY reads into jsonb.
        encoder = field.encoder
        return lambda value: None if value is None else json.dumps(value, cls=encoder)
    last: list[Any] = [object(), None]  # (value, prepared): consecutive rows share their values

    def prepare(value: Any) -> Any:
        if value is None and field.null:
            return None
        if value is not last[0] or isinstance(field, EncryptedField):
            last[0], last[1] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return prepare


class BulkTable:
    """One model's columns, in order, with their converters and defaults; a column a row does
    not give takes the field's own default (so a field added to the model later is never left
    unset)."""

    def __init__(self, model: type[models.Model], connection: BaseDatabaseWrapper) -> None:
        self.model = model
        self.connection = connection
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.names = [f.attname for f in fields]
        self.columns = [f.column or f.attname for f in fields]
        self.converters = [column_converter(f, connection) for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields}

    def write(
        self, rows: Iterable[tuple[Any, ...]], connection: BaseDatabaseWrapper | None = None
    ) -> None:
        """Insert the prepared rows; runs in the caller's transaction (on ``connection``, the
        current thread's, when the table is kept across calls)."""
        connection = connection or self.connection
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY streams the rows in one statement: several times faster than executemany.
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)
                return
            placeholders = ", ".join(["%s"] * len(self.columns))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608
            batch: list[tuple[Any, ...]] = []
            for values in rows:
                batch.append(values)
                if len(batch) >= WRITE_BATCH:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
