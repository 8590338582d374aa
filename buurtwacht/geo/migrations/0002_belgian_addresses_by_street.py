"""A Belgian postcode covers a town, where several streets have a number 12: a Belgian
address is unique with its street's key (Dutch addresses keep '' there, so they stay unique
by postcode + number + letter + suffix, as before)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('geo', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='address',
            name='address_unique',
        ),
        migrations.AddField(
            model_name='address',
            name='street_key',
            field=models.CharField(blank=True, default='', max_length=200),
        ),
        migrations.AddConstraint(
            model_name='address',
            constraint=models.UniqueConstraint(fields=('postcode', 'number', 'letter', 'suffix', 'street_key'), name='address_unique_by_street'),
        ),
    ]
