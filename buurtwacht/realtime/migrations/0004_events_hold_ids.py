"""Events stored before 0004 froze names and labels into their payloads ("by", "street",
"kind_label", ...).  Rewrite them to ids and codes, as events are stored now, so replays
show names the way the group shows them today ("Deleted account" for one that is gone).
Nothing is dropped (that would leave a hole in `seq`): a person who can no longer be traced
becomes user 0, shown as "Deleted account"."""

from django.db import migrations


def to_ids(apps, schema_editor):
    Event = apps.get_model("realtime", "Event")
    Alert = apps.get_model("alerts", "Alert")
    AlertUpdate = apps.get_model("alerts", "AlertUpdate")
    PoliceCall = apps.get_model("alerts", "PoliceCall")
    ChatMessage = apps.get_model("chat", "ChatMessage")
    channels = {"call_112": "112", "call_0900": "0900-8844"}
    for event in Event.objects.order_by("id").iterator():
        payload = event.payload
        if "alert" in payload and "author" not in payload["alert"]:
            old = payload["alert"]
            alert = Alert.objects.filter(pk=old["id"]).first()
            callers = dict(
                PoliceCall.objects.filter(alert_id=old["id"]).values_list("channel", "user_id")
            )
            calls = {
                channel: {"user": callers.get(channel, 0), "at": old[key]["at"]}
                for key, channel in channels.items()
                if old.get(key)
            }
            authors = dict(
                AlertUpdate.objects.filter(alert_id=old["id"]).values_list("id", "author_id")
            )
            payload = {
                "alert": {
                    "id": old["id"],
                    "kind": old["kind"],
                    "what": old["what"],
                    "street": alert.street_id if alert else None,
                    "lon": old["lon"],
                    "lat": old["lat"],
                    "seen_at": old["seen_at"],
                    "direction": old["direction"],
                    "person": old["person"],
                    "vehicle": old["vehicle"],
                    "author": alert.author_id if alert else 0,
                    "created_at": old["created_at"],
                    "calls": calls,
                    "seen": old["seen"],
                    "going": old["going"],
                    "updates": [
                        {
                            "id": u["id"],
                            "author": authors.get(u["id"], 0),
                            "text": u["text"],
                            "at": u["at"],
                        }
                        for u in old["updates"]
                    ],
                    "closed": old["closed"],
                    "outcome": old["outcome"],
                }
            }
        elif "message" in payload and "author" not in payload["message"]:
            old = payload["message"]
            author = ChatMessage.objects.filter(pk=old["id"]).values_list("author_id", flat=True)
            payload = {
                "message": {
                    **{key: old[key] for key in ("id", "text", "at")},
                    "author": author.first() or 0,
                }
            }
        else:
            continue
        Event.objects.filter(pk=event.pk).update(payload=payload)


class Migration(migrations.Migration):
    dependencies = [
        ("realtime", "0003_event_seq_presence_server"),
        ("alerts", "0001_initial"),
        ("chat", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_ids, migrations.RunPython.noop)]
