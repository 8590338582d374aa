"""A licence plate in no known format was stored as kind "foreign_or_partial"; it is
"unknown" now (shown as "onbekend formaat", issue 13).  Rewrite the stored code wherever it
was written: in alerts, in the summaries sent to neighbouring groups, and in the events a
client replays.  Nothing else changes."""

from django.db import migrations

OLD, NEW = "foreign_or_partial", "unknown"


def rename(apps, schema_editor, old=OLD, new=NEW):
    Alert = apps.get_model("alerts", "Alert")
    Forward = apps.get_model("alerts", "Forward")
    Event = apps.get_model("realtime", "Event")
    for alert in Alert.objects.filter(vehicle__plate_kind=old).iterator():
        alert.vehicle["plate_kind"] = new
        alert.save(update_fields=["vehicle"])
    for forward in Forward.objects.filter(summary__plate_kind=old).iterator():
        forward.summary["plate_kind"] = new
        forward.save(update_fields=["summary"])
    for event in Event.objects.filter(payload__alert__vehicle__plate_kind=old).iterator():
        event.payload["alert"]["vehicle"]["plate_kind"] = new
        event.save(update_fields=["payload"])


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0003_hidden"),
        ("realtime", "0004_events_hold_ids"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
