"""Upgrading from the previous release: a database made by that release's migrations, with
rows in every table (made through the historical models of that migration state), is
migrated to today's migrations and keeps its data: the same rows per table, and a few
fields read back through today's models.

PREVIOUS_RELEASE is the migration state of the last release (commit bbb1afc).  Bump it at
each release: the leaf migrations of the released commit, printed by

    python -c "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'buurtwacht.settings';
    django.setup(); from django.db.migrations.loader import MigrationLoader;
    print(sorted(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()))"

Newer migrations (of any app, new apps too) are simply applied on top.  A migration that
deliberately drops or empties a table lists it in CHANGED_BY_LATER_MIGRATIONS; a data
migration that reads a field needs a real-looking value for it in REAL (the other fields
get made-up values of their type: "0name", 1, True, ...).

The old state is built in a database of its own (a new SQLite file, or a new PostgreSQL
database) by a child process (`python -m tests.core.test_upgrade OUT`), so the suite's test
database and its migration state stay as they are."""

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

PREVIOUS_RELEASE = [
    ("accounts", "0004_user_language"),
    ("admin", "0003_logentry_add_action_flag_choices"),
    ("alerts", "0004_plate_kind_unknown"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("axes", "0010_accessattemptexpiration"),
    ("bulletin", "0001_initial"),
    ("chat", "0002_chatmessage_hidden"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ("geo", "0001_initial"),
    ("groups", "0006_retention"),
    ("media", "0001_initial"),
    ("moderation", "0002_alter_moderationrecord_place"),
    ("municipality", "0002_migrate_police_verified_flags"),
    ("notify", "0002_delivery_claimed_by"),
    ("police", "0001_initial"),
    ("realtime", "0004_events_hold_ids"),
    ("register", "0001_initial"),
    ("sessions", "0001_initial"),
    ("signage", "0001_initial"),
]
# Tables a later migration drops, renames or empties on purpose: {table: why}.
CHANGED_BY_LATER_MIGRATIONS: dict[str, str] = {}

ROWS = 2  # per table
ROWS_OF = {"groups.adjacency": 1}  # one pair of the two groups: low < high, unique
MOMENT = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)

# Real-looking values where today's code reads them (and later data migrations might):
# (model, field) -> value per row number.
REAL: dict[tuple[str, str], Any] = {
    ("accounts.user", "email"): lambda i: f"bewoner{i}@example.nl",
    ("accounts.user", "name"): lambda i: ["Anna de Vries", "Mo Bakker"][i],
    ("accounts.user", "date_of_birth"): lambda i: dt.date(1980, 5, 17),
    ("accounts.user", "language"): lambda i: "nl",
    ("groups.group", "name"): lambda i: f"Buurtpreventie Grote Beerstraat {i}",
    ("alerts.alert", "what"): lambda i: f"Man probeert deurklinken ({i})",
    ("alerts.alertupdate", "text"): lambda i: f"Richting het park ({i})",
    ("chat.chatmessage", "text"): lambda i: f"Wie heeft de pakketbezorger gezien? ({i})",
    ("realtime.event", "type"): lambda i: "alert.created",
    ("realtime.event", "payload"): lambda i: {"alert": {"id": i + 1, "kind": "break_in"}},
}
# Read back through today's models after the upgrade: (model, field, row) -> expected.
CHECKED = [
    ("accounts.User", "email", 0),
    ("accounts.User", "name", 1),
    ("groups.Group", "name", 0),
    ("alerts.Alert", "what", 1),
    ("alerts.AlertUpdate", "text", 0),
    ("chat.ChatMessage", "text", 1),
    ("realtime.Event", "payload", 0),
]


# --- in the child process --------------------------------------------------------------


USED: set[tuple[str, str]] = set()


def _value(field: Any, i: int, label: str) -> Any:
    if (label, field.name) in REAL:
        USED.add((label, field.name))
        return REAL[label, field.name](i)
    if field.choices:
        values = [value for value, _label in field.flatchoices]
        return values[i % len(values)]
    kind = field.get_internal_type()
    text = f"{i}{field.name}"
    if kind in ("CharField", "SlugField", "TextField"):
        return text[: field.max_length] if field.max_length else f"{text} in {label}"
    if kind == "EmailField":
        return f"{i}{field.name}@example.nl"
    if kind == "URLField":
        return f"https://example.nl/{i}"
    if kind == "GenericIPAddressField":
        return f"192.0.2.{i + 1}"
    if kind == "UUIDField":
        return uuid.uuid4()
    if kind in ("BooleanField", "NullBooleanField"):
        return i % 2 == 0
    if "IntegerField" in kind:
        return i + 1
    if kind == "FloatField":
        return 6.5 + i / 100
    if kind == "DecimalField":
        return Decimal(1) + Decimal(i) / 10
    if kind == "DateTimeField":
        return MOMENT + dt.timedelta(minutes=i)
    if kind == "DateField":
        return dt.date(2026, 11, 2 + i)
    if kind == "TimeField":
        return dt.time(23, i)
    if kind == "DurationField":
        return dt.timedelta(minutes=5 + i)
    if kind == "JSONField":
        return {"n": i}
    if kind == "BinaryField":
        return b"\xff\xd8\xff" + bytes([i])
    if kind in ("FileField", "ImageField", "FilePathField"):
        return f"groups/photo-{i}.jpg"
    raise AssertionError(f"no value for {label}.{field.name} ({kind}): add one to _value")


def _order(models: list[Any]) -> list[Any]:
    """Models after those their foreign keys point to (nullable ones when that can be)."""
    done: list[Any] = []
    pending = list(models)
    while pending:
        for required_only in (False, True):
            ready = [
                m
                for m in pending
                if all(
                    f.related_model in done or f.related_model is m
                    for f in m._meta.concrete_fields
                    if f.is_relation and not (required_only and f.null)
                )
            ]
            if ready:
                break
        assert ready, f"foreign keys in a circle: {[m._meta.label for m in pending]}"
        done.append(ready[0])
        pending.remove(ready[0])
    return done


def fill(old_apps: Any) -> dict[str, list[Any]]:
    """ROWS rows in every table of the migration state `old_apps`; returns the made rows."""
    models = [
        m
        for m in old_apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]
    made: dict[Any, list[Any]] = {}
    for model in _order(models):
        label = model._meta.label_lower
        rows = []
        for i in range(ROWS_OF.get(label, ROWS)):
            values = {}
            for field in model._meta.concrete_fields:
                if field.primary_key and field.get_internal_type().endswith("AutoField"):
                    continue
                if field.is_relation:
                    target = field.related_model
                    if target is model:
                        values[field.name] = rows[0] if rows else None
                    elif label == "groups.adjacency":
                        values[field.name] = made[target][0 if field.name == "low" else 1]
                    else:
                        values[field.name] = made[target][i % len(made[target])]
                else:
                    values[field.name] = _value(field, i, label)
            rows.append(model._default_manager.create(**values))
        made[model] = rows
    return {m._meta.label_lower: rows for m, rows in made.items()}


def main(out: Path) -> None:
    import django

    django.setup()
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from buurtwacht.core.backup import restored_counts

    executor = MigrationExecutor(connection)
    executor.migrate(PREVIOUS_RELEASE)
    old_apps = executor.loader.project_state(PREVIOUS_RELEASE).apps
    made = fill(old_apps)
    assert set(REAL) == USED, f"REAL names no field of the old state: {set(REAL) - USED}"
    tables = sorted(set(connection.introspection.table_names()) - {"django_migrations"})
    before = restored_counts(tables)
    executor = MigrationExecutor(connection)  # reads the graph and the applied state again
    executor.migrate(executor.loader.graph.leaf_nodes())
    after = restored_counts(tables)
    fields = {}
    for name, field, row in CHECKED:
        model = apps.get_model(name)
        old = made[model._meta.label_lower][row]
        fields[f"{name}.{field}[{row}]"] = [
            getattr(old, field),
            getattr(model._default_manager.get(pk=old.pk), field),
        ]
    executor = MigrationExecutor(connection)  # what is applied now
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    out.write_text(
        json.dumps(
            {
                "model_tables": sorted(old_apps.get_model(label)._meta.db_table for label in made),
                "tables": tables,
                "before": before,
                "after": after,
                "fields": fields,
                "pending": [str(m) for m, _backwards in pending],
            },
            default=str,
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))


# --- the test ------------------------------------------------------------------------


def test_upgrade_from_previous_release_keeps_every_row(tmp_path, new_database):
    from django.db import connection

    from tests.core.conftest import database_url

    name = new_database("upgrade") or str(tmp_path / "old.sqlite3")
    out = tmp_path / "result.json"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "buurtwacht.settings",
        "DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": database_url(connection.vendor, name),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.core.test_upgrade", str(out)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(out.read_text())
    # Every table of the old state got rows: a table the filler missed fails here.
    assert result["tables"] and [t for t in result["tables"] if not result["before"][t]] == []
    assert result["model_tables"] == result["tables"]  # one table per model of the state
    expected = {t: n for t, n in result["before"].items() if t not in CHANGED_BY_LATER_MIGRATIONS}
    assert {t: result["after"].get(t) for t in expected} == expected
    for where, (old, new) in result["fields"].items():
        assert new == old, where
    assert result["pending"] == []
