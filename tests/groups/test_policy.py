"""Every (role, action) pair, table-driven, no database.  The expected table is written out
here by hand from docs/PRODUCT.md, so a change to policy.py must be a deliberate change here."""

import pytest

from buurtwacht.groups.policy import PERMISSIONS, Action, Role, allowed, can_close, can_read

# Columns: admin member wijkagent pending removed outsider   (Y = allowed)
EXPECTED = """
view_public             Y Y Y Y Y Y
request_join            . . . . . Y
withdraw_request        . . . Y . .
read                    Y Y Y . . .
post_alert              Y Y . . . .
post_chat               Y Y . . . .
acknowledge             Y Y . . . .
close_alert             Y . . . . .
accept_rules            Y Y . . . .
leave                   Y Y Y . . .
vet                     Y . . . . .
add                     Y . . . . .
remove                  Y . . . . .
change_roles            Y . . . . .
moderate                Y . . . . .
report                  Y Y . . . .
forward                 Y . . . . .
receive_forward         Y . . . . .
recruit                 Y . . . . .
edit_group              Y . . . . .
publish_notice          Y . . . . .
request_signs           Y . . . . .
view_audit              Y . . . . .
record_police_report    Y Y . . . .
record_police_feedback  . . Y . . .
"""
ROLES = [Role.ADMIN, Role.MEMBER, Role.WIJKAGENT, Role.PENDING, Role.REMOVED, Role.OUTSIDER]


def expected_pairs():
    for line in EXPECTED.strip().splitlines():
        action, *marks = line.split()
        for role, mark in zip(ROLES, marks, strict=True):
            yield pytest.param(role, Action(action), mark == "Y", id=f"{role}-{action}")


def test_the_table_covers_every_action_and_role():
    listed = {line.split()[0] for line in EXPECTED.strip().splitlines()}
    assert listed == {action.value for action in Action}
    assert set(ROLES) == set(Role) == set(PERMISSIONS)


@pytest.mark.parametrize(("role", "action", "expected"), list(expected_pairs()))
def test_policy(role, action, expected):
    assert allowed(role, action) is expected


def test_r_grp_2_members_cannot_add_members():
    assert not allowed(Role.MEMBER, Action.ADD)
    assert not allowed(Role.MEMBER, Action.VET)
    assert allowed(Role.ADMIN, Action.ADD)


def test_r_grp_3_members_can_leave_by_themselves():
    assert allowed(Role.MEMBER, Action.LEAVE)


def test_r_grp_4_only_admins_remove():
    assert [role for role in Role if allowed(role, Action.REMOVE)] == [Role.ADMIN]


def test_r_pol_1_wijkagent_reads_but_never_posts():
    assert can_read(Role.WIJKAGENT)
    assert not allowed(Role.WIJKAGENT, Action.POST_ALERT)
    assert not allowed(Role.WIJKAGENT, Action.POST_CHAT)
    assert not allowed(Role.WIJKAGENT, Action.ACKNOWLEDGE)


def test_r_rul_3_only_admins_moderate_the_wijkagent_cannot():
    assert [role for role in Role if allowed(role, Action.MODERATE)] == [Role.ADMIN]
    assert not allowed(Role.WIJKAGENT, Action.REPORT)


def test_only_admitted_roles_read_private_content():
    assert {role for role in Role if can_read(role)} == {Role.ADMIN, Role.MEMBER, Role.WIJKAGENT}


def test_r_cre_2_only_admins_recruit():
    assert [role for role in Role if allowed(role, Action.RECRUIT)] == [Role.ADMIN]


def test_r_adj_1_only_admins_forward_and_handle_forwarded_warnings():
    assert [role for role in Role if allowed(role, Action.FORWARD)] == [Role.ADMIN]
    assert [role for role in Role if allowed(role, Action.RECEIVE_FORWARD)] == [Role.ADMIN]


# can_close: who closes an alert, by role and whether the reader wrote it (issue 13).
CLOSE = {  # role: (closes their own alert, closes someone else's)
    Role.ADMIN: (True, True),
    Role.MEMBER: (True, False),
    Role.WIJKAGENT: (False, False),  # R-POL-1: reads along, never posts, so never closes
    Role.PENDING: (False, False),
    Role.REMOVED: (False, False),
    Role.OUTSIDER: (False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_closing_an_alert_is_one_rule_in_policy(role):
    own, others = CLOSE[role]
    assert can_close(role=role, is_author=True) is own
    assert can_close(role=role, is_author=False) is others
