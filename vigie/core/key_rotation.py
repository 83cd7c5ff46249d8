"""Re-encryption of every encrypted column under the current primary key."""

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model

from vigie.audit.services import AuditAction, audit_record

from .crypto import ENCRYPTED_PREFIX, EncryptedField, reencrypt_bytes, reencrypt_text

# Binary columns holding a Fernet token (crypto.encrypt_bytes), as "app_label.Model.field": a
# BinaryField has no encrypted subclass by which the loop below could find them.
ENCRYPTED_BINARY_FIELDS = ("cases.CaseDocument.content", "imports.ImportJob.content")
# A document's token is up to ~14 MB: a few rows at a time keep the memory bounded.
BINARY_BATCH_SIZE = 8


@transaction.atomic
def encrypted_values_rotate(*, batch_size: int = 2000) -> dict[str, int]:
    """All or nothing: a failure leaves every value as it was (old keys still decrypt).

    Works on the raw column values with SQL: ciphertext in, ciphertext out, no plaintext in memory
    beyond MultiFernet.rotate's own.
    """
    quote = connection.ops.quote_name
    counts: dict[str, int] = {}
    for model in apps.get_models():
        columns = [
            f.column
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedField) and f.column
        ]
        if not columns:
            continue
        table = quote(model._meta.db_table)
        pk_column = quote(model._meta.pk.column or "id")
        select = (
            f"SELECT {pk_column}, {', '.join(quote(c) for c in columns)} FROM {table} "  # noqa: S608  # nosec B608
            f"WHERE {pk_column} > %s ORDER BY {pk_column} LIMIT %s"
        )
        rotated = 0
        last_pk = 0
        with connection.cursor() as cursor:
            while True:
                cursor.execute(select, [last_pk, batch_size])
                rows = cursor.fetchall()
                if not rows:
                    break
                for pk, *values in rows:
                    updates = {
                        column: reencrypt_text(value)
                        for column, value in zip(columns, values, strict=True)
                        if value and value.startswith(ENCRYPTED_PREFIX)
                    }
                    if updates:
                        assignments = ", ".join(f"{quote(c)} = %s" for c in updates)
                        cursor.execute(
                            f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s",  # noqa: S608  # nosec B608
                            [*updates.values(), pk],
                        )
                        rotated += 1
                last_pk = rows[-1][0]
        counts[model._meta.label] = rotated
    for dotted in ENCRYPTED_BINARY_FIELDS:
        label, field_name = dotted.rsplit(".", 1)
        counts[dotted] = _binary_column_rotate(model=apps.get_model(label), field_name=field_name)
    audit_record(actor=None, action=AuditAction.ENCRYPTION_KEYS_ROTATE)
    return counts


def _binary_column_rotate(*, model: type[Model], field_name: str) -> int:
    """Rows of one binary column re-encrypted, token in, token out (keyset over the pk)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_column = quote(model._meta.pk.column or "id")
    field = model._meta.get_field(field_name)
    column = quote(getattr(field, "column", None) or field_name)
    select = (
        f"SELECT {pk_column}, {column} FROM {table} "  # noqa: S608  # nosec B608
        f"WHERE {pk_column} > %s ORDER BY {pk_column} LIMIT %s"
    )
    update = f"UPDATE {table} SET {column} = %s WHERE {pk_column} = %s"  # noqa: S608  # nosec B608
    rotated = 0
    last_pk = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last_pk, BINARY_BATCH_SIZE])
            rows = cursor.fetchall()
            if not rows:
                break
            for pk, token in rows:
                if token:
                    cursor.execute(update, [reencrypt_bytes(token), pk])
                    rotated += 1
            last_pk = rows[-1][0]
    return rotated
