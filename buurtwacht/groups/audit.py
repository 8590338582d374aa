"""What the audit log's action codes mean, for the admins reading it (in their language)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "create_group": _("Group created"),
    "admit": _("Admitted as member"),
    "deny": _("Request denied"),
    "propose": _("Resident proposed"),
    "allow_request_again": _("May ask again"),
    "remove": _("Removed from the group"),
    "leave": _("Left the group"),
    "change_role": _("Role changed"),
    "staff_appoint_admin": _("Made admin by platform staff"),
    "attach_wijkagent": _("Community police officer added"),
    "wijkagent_verification_revoked": _("Police verification withdrawn"),
    "change_rules": _("House rules changed"),
    "change_name": _("Name changed"),
    "change_description": _("Description changed"),
    "change_photo": _("Photo changed"),
    "remove_photo": _("Photo removed"),
    "change_streets": _("Streets changed"),
    "moved_away": _("Moved: no longer lives on the group's streets"),
    "off_streets": _("No longer lives on the group's streets (streets changed)"),
    "set_listing": _("Public map choice changed"),
    "set_show_initials": _("Names or initials changed"),
    "change_retention": _("Retention periods changed"),
    "export_members": _("Member register downloaded"),
    "share_link_created": _("Share link made"),
    "share_link_renewed": _("Share link renewed"),
    "share_link_revoked": _("Share link revoked"),
    "forward_sent": _("Warning sent to a neighbouring group"),
    "forward_received": _("Warning received from a neighbouring group"),
    "forward_reposted": _("Neighbouring group's warning posted"),
    "forward_declined": _("Neighbouring group's warning declined"),
    "hide_chat": _("Chat message hidden"),
    "hide_alert": _("Alert hidden"),
    "hide_update": _("Alert update hidden"),
    "move_alert_to_chat": _("Alert moved to the chat"),
    "review_let_stand": _("Reviewed and let stand"),
    "publish_notice": _("Public notice published"),
    "withdraw_notice": _("Public notice withdrawn"),
    "municipality_message": _("Message from the municipality"),
    "sign_request": _("Signs requested"),
    "sign_approved": _("Sign request approved"),
    "sign_declined": _("Sign request declined"),
    "sign_ordered": _("Signs ordered"),
    "sign_delivered": _("Signs delivered"),
    "sign_placed": _("Signs placed"),
}


def action_label(code: str) -> str:
    """The label of an action code; the code itself for one this table does not know."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
