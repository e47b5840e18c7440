"""The database cache table that counts the brakes (config/brakes.py) when there is no Redis.

createcachetable does nothing for a table that exists, so this is safe to run anywhere; with
Redis configured it makes no table at all.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_consent_awaited")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
