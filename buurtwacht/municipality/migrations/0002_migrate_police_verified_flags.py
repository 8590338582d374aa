"""The former checkboxes (User.police_verified, User.municipality_code) become recorded
verifications, each with a decision saying where it came from.  A wijkagent membership of
an account whose checkbox was un-ticked (which left the officer in the group) ends now.
Reversing writes the flags back."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Verification = apps.get_model("municipality", "Verification")
    Decision = apps.get_model("municipality", "Decision")
    now = timezone.now()
    for user in User.objects.filter(Q(police_verified=True) | ~Q(municipality_code="")):
        roles = []
        if user.police_verified:
            roles.append(("police", ""))
        if user.municipality_code:
            roles.append(("municipality", user.municipality_code.upper()))
        for role, code in roles:
            Verification.objects.create(
                user=user, role=role, municipality_code=code, granted_at=now
            )
            Decision.objects.create(
                subject=user,
                role=role,
                kind="migrated",
                municipality_codes=[code] if code else [],
                evidence="verified with the former checkbox in the Django admin (no record kept)",
            )


def end_unverified_wijkagents(apps, schema_editor):
    Membership = apps.get_model("groups", "Membership")
    Membership.objects.filter(
        role="wijkagent", status="active", user__police_verified=False
    ).update(status="left", ended_at=timezone.now(), end_reason="not verified as police")


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Verification = apps.get_model("municipality", "Verification")
    for verification in Verification.objects.filter(revoked_at__isnull=True):
        if verification.role == "police":
            User.objects.filter(pk=verification.user_id).update(police_verified=True)
        else:
            User.objects.filter(pk=verification.user_id).update(
                municipality_code=verification.municipality_code
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("groups", "0002_single_line_names"),
        ("municipality", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(end_unverified_wijkagents, migrations.RunPython.noop),
    ]
