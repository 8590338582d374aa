"""Group names are one line (a line break in one broke every e-mail about the group)."""

from django.db import migrations


def one_line(apps, schema_editor):
    Group = apps.get_model("groups", "Group")
    for group in Group.objects.filter(name__regex=r"[\r\n]"):
        Group.objects.filter(pk=group.pk).update(name=" ".join(group.name.split()))


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(one_line, migrations.RunPython.noop)]
