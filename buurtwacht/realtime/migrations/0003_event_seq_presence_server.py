from django.db import migrations, models


def number_events(apps, schema_editor):
    """Existing events get their per-group numbers in id order."""
    Event = apps.get_model("realtime", "Event")
    counters: dict[int, int] = {}
    for event in Event.objects.order_by("id").only("id", "group_id").iterator():
        counters[event.group_id] = counters.get(event.group_id, 0) + 1
        Event.objects.filter(pk=event.pk).update(seq=counters[event.group_id])


class Migration(migrations.Migration):
    dependencies = [("realtime", "0002_presence")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="seq",
            field=models.PositiveBigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(number_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.UniqueConstraint(fields=("group", "seq"), name="event_group_seq"),
        ),
        migrations.AddField(
            model_name="presence",
            name="server",
            field=models.CharField(db_index=True, default="", max_length=64),
        ),
    ]
