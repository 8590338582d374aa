"""The former checkboxes become recorded verifications (municipality 0002), so an officer
verified before keeps reading along, with a decision that says where it came from."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("accounts", "0002_email_confirmed_at"),
    ("groups", "0002_single_line_names"),
    ("municipality", "0001_initial"),
]
AFTER = [
    ("accounts", "0003_verified_roles_recorded_in_municipality"),
    ("municipality", "0002_migrate_police_verified_flags"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_police_verified_flags_become_recorded_verifications():
    old = migrate(BEFORE)
    try:
        User = old.get_model("accounts", "User")
        officer = User.objects.create(
            email="agent@example.nl", name="Oud Agent", police_verified=True
        )
        clerk = User.objects.create(
            email="gem@example.nl", name="Oud Gemeente", municipality_code="GM0014"
        )
        unticked = User.objects.create(
            email="oud@example.nl", name="Ontvinkt", police_verified=False
        )
        User.objects.create(email="bewoner@example.nl", name="Bewoner")
        Group = old.get_model("groups", "Group")
        Membership = old.get_model("groups", "Membership")
        group = Group.objects.create(name="Oude groep", municipality_code="GM0014")
        for user in (officer, unticked):
            Membership.objects.create(group=group, user=user, role="wijkagent", status="active")
        new = migrate(AFTER)
        Verification = new.get_model("municipality", "Verification")
        Decision = new.get_model("municipality", "Decision")
        held = set(Verification.objects.values_list("user_id", "role", "municipality_code"))
        assert held == {(officer.pk, "police", ""), (clerk.pk, "municipality", "GM0014")}
        assert set(Decision.objects.values_list("subject_id", "kind")) == {
            (officer.pk, "migrated"),
            (clerk.pk, "migrated"),
        }
        # The officer whose checkbox was un-ticked no longer sits in the group.
        Membership = new.get_model("groups", "Membership")
        status = dict(Membership.objects.values_list("user_id", "status"))
        assert status == {officer.pk: "active", unticked.pk: "left"}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
