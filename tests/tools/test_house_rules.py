"""tools/house_rules.py, the "no database write outside actions.py" lint, on small
snippets: every way of writing the reviewer found missed is caught (issue 13), and
the harmless look-alikes in our code are not."""

import textwrap

import pytest

from tools.house_rules import PACKAGE, _allowed_file, relation_names, writes_in

RELATIONS = relation_names()


def writes(source: str) -> list[str]:
    return [name for _line, name in writes_in(textwrap.dedent(source), RELATIONS)]


FLAGGED = {
    "instance_delete": """
        def drop(alert_id):
            alert = Alert.objects.get(pk=alert_id)
            alert.delete()
    """,
    "instance_save": """
        def rename(group):
            group.name = "Nieuw"
            group.save()
    """,
    "model_form_save": """
        def view(request):
            form.save()
    """,
    "queryset_in_a_variable_update": """
        def close_all(group):
            open_alerts = Alert.objects.filter(group=group, closed_at=None)
            open_alerts.update(outcome="resolved")
    """,
    "queryset_in_a_variable_delete_with_arguments": """
        def purge(group):
            rows = Event.objects.filter(group=group)
            rows.delete(keep_parents=False)
    """,
    "queryset_through_names_bound_later_in_the_code": """
        def purge(group):
            for _ in range(2):
                if _:
                    recent.bulk_create([])
                recent = everything.all()
                everything = Alert.objects.exclude(group=group)
    """,
    "queryset_annotated_parameter": """
        def close(alerts: "QuerySet[Alert]") -> None:
            alerts.update(outcome="resolved")
    """,
    "queryset_used_in_a_closure": """
        def outer():
            pending = JoinRequest.objects.filter(status="pending")
            def inner():
                pending.update(status="denied")
    """,
    "related_manager_create": """
        def join(group, user):
            group.memberships.create(user=user)
    """,
    "related_manager_many_to_many_set": """
        def move(group, ids):
            group.streets.set(ids)
    """,
    "related_manager_default_name": """
        def clean(user):
            user.session_set.all().delete()
    """,
    "related_manager_get_or_create": """
        def ack(alert, user):
            alert.acknowledgements.get_or_create(user=user, kind="seen")
    """,
    "raw_sql_update": """
        def fix(cursor):
            cursor.execute("UPDATE alerts_alert SET outcome = 'x'")
    """,
    "raw_sql_f_string_delete": """
        def wipe(table):
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table} WHERE id = %s", [1])
    """,
    "raw_sql_in_a_name_insert": """
        SQL = '''
            insert into groups_group (name) values (%s)
        '''
        def add(cursor):
            cursor.executemany(SQL, [("a",)])
    """,
}

HARMLESS = {
    "qr_code_saved_to_a_buffer": """
        def flyer(buffer):
            qr = segno.make(url)
            qr.save(buffer, kind="png", scale=4)
            image.save(buffer, "JPEG")
    """,
    "form_widget_attrs_update": """
        class Form:
            def __init__(self):
                self.fields["street"].widget.attrs.update({"class": "wide"})
    """,
    "dicts_sets_and_lists": """
        def plain(values):
            context = {}
            context.update(a=1)
            seen = set()
            seen.update(values)
            seen.add(1)
            seen.remove(1)
            seen.clear()
            found = []
            found.remove(2)
            for state in states.values():
                state.update(done=True)
            values.get("x").update(y=1)
    """,
    "a_name_that_is_a_queryset_elsewhere": """
        def one(group):
            rows = Alert.objects.filter(group=group)
            return rows.count()

        def two():
            rows = {}
            rows.update(a=1)
    """,
    "reading": """
        def read(group):
            alerts = Alert.objects.filter(group=group).select_related("street")
            return alerts.count(), list(alerts.values_list("id", flat=True))
    """,
    "raw_sql_that_reads": """
        def head(cursor, table):
            cursor.execute(f"SELECT MAX(id) FROM {table}")
    """,
    "cache_and_storage_with_a_key": """
        def forget(key):
            cache.delete(key)
            storage.delete("photo.jpg")
    """,
    "a_line_that_says_why": """
        def lock(groups: "QuerySet[Group]"):
            return groups.select_for_update()  # house-rule: locked for the calling action
    """,
}


@pytest.mark.parametrize("case", FLAGGED)
def test_house_rules_catches_the_write(case):
    assert writes(FLAGGED[case]), case


@pytest.mark.parametrize("case", HARMLESS)
def test_house_rules_leaves_the_harmless_alone(case):
    assert writes(HARMLESS[case]) == []


def test_house_rules_relation_names_come_from_the_models():
    assert {"memberships", "streets", "acknowledgements", "group"} <= RELATIONS
    assert "+" not in RELATIONS


def test_house_rules_admin_files_are_checked_too():
    assert not _allowed_file(PACKAGE / "groups" / "admin.py")
    assert _allowed_file(PACKAGE / "groups" / "actions.py")
    assert _allowed_file(PACKAGE / "groups" / "migrations" / "0001_initial.py")


def test_house_rules_the_package_is_clean():
    """No false positives on our own code (and no write outside actions.py)."""
    found = {
        str(path.relative_to(PACKAGE)): hits
        for path in PACKAGE.rglob("*.py")
        if not _allowed_file(path) and (hits := writes_in(path.read_text(), RELATIONS))
    }
    assert found == {}
