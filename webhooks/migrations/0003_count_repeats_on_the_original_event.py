from django.db import migrations, models
from django.db.models import Count, Max


def fold_duplicates(apps, schema_editor):
    """Each stored repeat of a delivery becomes a count on its original; the
    repeat rows (full copies of the payload) are deleted."""
    WebhookEvent = apps.get_model("webhooks", "WebhookEvent")
    originals = (
        WebhookEvent.objects.filter(duplicate_of__isnull=False)
        .values("duplicate_of")
        .annotate(count=Count("pk"), last=Max("received_at"))
    )
    for row in originals.iterator():
        WebhookEvent.objects.filter(pk=row["duplicate_of"]).update(
            duplicate_count=row["count"], last_duplicate_at=row["last"]
        )
    WebhookEvent.objects.filter(duplicate_of__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0002_integration_moved_from_account"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhookevent",
            name="duplicate_count",
            field=models.PositiveIntegerField(
                default=0, help_text="How many times the same delivery came again."
            ),
        ),
        migrations.AddField(
            model_name="webhookevent",
            name="last_duplicate_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="webhookevent",
            name="error_is_transient",
            field=models.BooleanField(
                default=False,
                help_text="The failure came from the server (a database or network error), "
                "not from the payload: a repeat of the delivery processes the event again.",
            ),
        ),
        migrations.RunPython(fold_duplicates, migrations.RunPython.noop, elidable=True),
    ]
