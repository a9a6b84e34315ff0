"""Integration now lives in the webhooks app (see webhooks.0002, which keeps
the rows and renames the table); only the old model state is removed here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0001_initial"),
        ("webhooks", "0002_integration_moved_from_account"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Integration")],
        ),
    ]
