"""The chain head only moves forward, and cannot be deleted outside `vigie audit purge`.

Rewinding the head (to hide the newest events after deleting them) or deleting it (to make an
emptied trail look intact) is refused by the database itself.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION vigie_audit_head_forward_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM audit_auditpurgepermit) THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit chain head cannot be deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.last_sequence < OLD.last_sequence
     OR NEW.purged_through_sequence < OLD.purged_through_sequence
     OR (NEW.last_sequence = OLD.last_sequence AND NEW.last_hash <> OLD.last_hash) THEN
    RAISE EXCEPTION 'the audit chain head only moves forward' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditchainhead_forward_only BEFORE UPDATE OR DELETE ON audit_auditchainhead
  FOR EACH ROW EXECUTE FUNCTION vigie_audit_head_forward_only();
"""

SQLITE_FORWARD = [
    "CREATE TRIGGER audit_auditchainhead_forward_only BEFORE UPDATE ON audit_auditchainhead "
    "WHEN NEW.last_sequence < OLD.last_sequence "
    "OR NEW.purged_through_sequence < OLD.purged_through_sequence "
    "OR (NEW.last_sequence = OLD.last_sequence AND NEW.last_hash <> OLD.last_hash) "
    "BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END;",
    "CREATE TRIGGER audit_auditchainhead_no_delete BEFORE DELETE ON audit_auditchainhead "
    "WHEN NOT EXISTS (SELECT 1 FROM audit_auditpurgepermit) "
    "BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be deleted'); END;",
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
    if vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS audit_auditchainhead_forward_only ON audit_auditchainhead;"
            "DROP FUNCTION IF EXISTS vigie_audit_head_forward_only();",
            params=None,
        )
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditchainhead_forward_only;")
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditchainhead_no_delete;")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(forward, backward)]
