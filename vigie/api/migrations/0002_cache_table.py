"""The shared cache's table: the API's per-token rate limit must count across every server
process, so the default cache is the database (settings CACHES). `migrate` creates it, so that
no deployment forgets a separate `createcachetable` step."""

from django.core.management import call_command
from django.db import migrations


def _create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("api", "0001_api_tokens")]

    operations = [migrations.RunPython(_create_cache_table, migrations.RunPython.noop)]
