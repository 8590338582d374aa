"""The audit log speaks Dutch: every action code the actions write has a label, and the
admins' page shows the label, not the code (it showed `admit`, `change_role`)."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from buurtwacht.groups.audit import ACTION_LABELS
from buurtwacht.signage.models import SignStatus
from tests.conftest import visible_text

PACKAGE = Path(__file__).resolve().parents[2] / "buurtwacht"


def written_codes() -> set[str]:
    """The literal `action="..."` codes passed to audit writers anywhere in the package."""
    codes = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and (
                getattr(node.func, "id", "") == "_audit"
                or getattr(node.func, "attr", "") in {"_audit", "create"}
            ):
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                        codes.add(keyword.value.value)
    return codes


def test_every_audit_code_has_a_label():
    codes = written_codes() | {
        f"sign_{status}" for status in SignStatus.values if status != "requested"
    }
    assert {"admit", "change_role", "leave", "forward_sent"} <= codes  # the walk finds them
    assert codes - set(ACTION_LABELS) == set()


@pytest.mark.django_db
def test_the_log_shows_what_happened_in_dutch(client, group, anna_admin, mo_member):
    from buurtwacht.groups import actions

    actions.leave_group(user=mo_member, group_id=group.pk)
    client.force_login(anna_admin)
    text = visible_text(client.get(reverse("group_audit", args=[group.pk])).content.decode())
    assert "Groep aangemaakt" in text and "Heeft de groep verlaten" in text
    assert "create_group" not in text and "leave" not in text
