"""Who may do what in a group: a table of roles x actions, and one pure function.

No database here.  `access.py` finds the caller's role and asks `allowed()`; tests walk
every (role, action) pair (tests/groups/test_policy.py).  Rule ids: docs/PRODUCT.md.
"""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # beheerder
    MEMBER = "member"  # lid
    WIJKAGENT = "wijkagent"  # reads, never posts (R-POL-1)
    PENDING = "pending"  # asked to join, not yet admitted
    REMOVED = "removed"  # removed by an admin (R-GRP-4)
    OUTSIDER = "outsider"  # any other logged-in resident


class Action(StrEnum):
    VIEW_PUBLIC = "view_public"  # name, streets, how to join (R-REG-1)
    REQUEST_JOIN = "request_join"
    WITHDRAW_REQUEST = "withdraw_request"
    READ = "read"  # the group's alerts, chat and member names
    POST_ALERT = "post_alert"
    POST_CHAT = "post_chat"
    ACKNOWLEDGE = "acknowledge"
    CLOSE_ALERT = "close_alert"  # anyone's alert; the author closes their own (can_close)
    ACCEPT_RULES = "accept_rules"
    LEAVE = "leave"  # R-GRP-3
    VET = "vet"  # decide on join requests (R-GRP-5)
    ADD = "add"  # propose/admit someone directly (R-GRP-2: admins only)
    REMOVE = "remove"  # R-GRP-4
    CHANGE_ROLES = "change_roles"
    MODERATE = "moderate"  # hide, move to the chat, the review queue (R-RUL-3, R-GRP-6)
    REPORT = "report"  # ask the admins to look at a message
    FORWARD = "forward"  # warn adjacent groups (R-ADJ-1)
    RECEIVE_FORWARD = "receive_forward"  # see, repost or decline their warnings (R-ADJ-1)
    RECRUIT = "recruit"  # share link and flyer (R-CRE-2)
    EDIT_GROUP = "edit_group"  # name, photo, description, streets, own rules
    PUBLISH_NOTICE = "publish_notice"  # public notices for non-members (R-RUL-7)
    REQUEST_SIGNS = "request_signs"  # R-VIS-1
    VIEW_AUDIT = "view_audit"
    RECORD_POLICE_REPORT = "record_police_report"  # "I reported this to the police" (R-FUP-1)
    RECORD_POLICE_FEEDBACK = "record_police_feedback"


_ADMIN_ONLY = {
    Action.VET,
    Action.ADD,
    Action.REMOVE,
    Action.CHANGE_ROLES,
    Action.MODERATE,
    Action.CLOSE_ALERT,
    Action.FORWARD,
    Action.RECEIVE_FORWARD,
    Action.RECRUIT,
    Action.EDIT_GROUP,
    Action.PUBLISH_NOTICE,
    Action.REQUEST_SIGNS,
    Action.VIEW_AUDIT,
}
_MEMBER = {
    Action.VIEW_PUBLIC,
    Action.READ,
    Action.POST_ALERT,
    Action.POST_CHAT,
    Action.ACKNOWLEDGE,
    Action.ACCEPT_RULES,
    Action.LEAVE,
    Action.REPORT,
    Action.RECORD_POLICE_REPORT,
}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(_MEMBER | _ADMIN_ONLY),
    Role.MEMBER: frozenset(_MEMBER),
    # R-POL-1: the wijkagent reads along and records police feedback; never posts.
    Role.WIJKAGENT: frozenset(
        {Action.VIEW_PUBLIC, Action.READ, Action.LEAVE, Action.RECORD_POLICE_FEEDBACK}
    ),
    Role.PENDING: frozenset({Action.VIEW_PUBLIC, Action.WITHDRAW_REQUEST}),
    # R-GRP-4: a removed person cannot ask again (unless an admin consents, see access.py).
    Role.REMOVED: frozenset({Action.VIEW_PUBLIC}),
    Role.OUTSIDER: frozenset({Action.VIEW_PUBLIC, Action.REQUEST_JOIN}),
}


def allowed(role: Role, action: Action) -> bool:
    return action in PERMISSIONS[role]


def can_read(role: Role) -> bool:
    """Whether the role sees the group's private content.  Others get 404, not 403."""
    return allowed(role, Action.READ)


def can_close(*, role: Role, is_author: bool) -> bool:
    """An alert is closed, with an outcome, by an admin or by its author (who may post:
    not a wijkagent, R-POL-1).  The action, the card and the live page (live.js, told by
    the page) all ask this."""
    return allowed(role, Action.CLOSE_ALERT) or (is_author and allowed(role, Action.POST_ALERT))


# R-RUL-8: members accept the house rules, also after the group changed its own rules;
# until then they read, acknowledge and may leave, but do not post.
NEEDS_ACCEPTED_RULES = frozenset({Action.POST_ALERT, Action.POST_CHAT})


def must_accept_rules(*, role: Role, accepted_version: int, rules_version: int) -> bool:
    return role in (Role.ADMIN, Role.MEMBER) and accepted_version < rules_version
