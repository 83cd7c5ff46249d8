"""The audit tables refuse UPDATE always, and DELETE outside `vigie audit purge`.

The purge inserts a row in audit_auditpurgepermit inside its own transaction and removes it
before committing; nothing else in Vigie writes that table. Triggers on both PostgreSQL and the
embedded SQLite database.
"""

from django.db import migrations

# Constants: the only identifiers interpolated into the SQL below.
TABLES = ("audit_auditevent", "audit_auditeventsubject")

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION vigie_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_auditpurgepermit) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit trail is append-only (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
""" + "".join(  # nosec B608
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION vigie_audit_append_only();\n"
    for table in TABLES
)

SQLITE_FORWARD = [
    statement
    for table in TABLES
    for statement in (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "  # nosec B608
        "WHEN NOT EXISTS (SELECT 1 FROM audit_auditpurgepermit) "
        "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;",
    )
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS vigie_audit_append_only();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
