from django.db import migrations

from tescforce.reference_data import load_reference_data


class Migration(migrations.Migration):
    dependencies = [
        ("tescforce", "0002_roles"),
        ("companies", "0001_initial"),
        ("showroom", "0001_initial"),
    ]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
