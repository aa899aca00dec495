from django.db import migrations

from tescforce.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("tescforce", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("candidates", "0002_initial"),
        ("companies", "0001_initial"),
        ("events", "0001_initial"),
        ("showroom", "0001_initial"),
        ("prospecting", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
