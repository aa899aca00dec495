from django.db import migrations

COORDINATOR_CODENAMES = [
    f"{action}_{model}" for model in ("jobdatingagenda", "interview") for action in ("add", "change", "delete", "view")
] + ["view_matchingrun"]


def grant(apps, schema_editor):
    # Only this app's new permissions: a full sync here would need every later model of every app.
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("candidates")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Coordinateurs").first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="candidates",
                                                         codename__in=COORDINATOR_CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0007_hotlinecall_caller_key"),
        ("tescforce", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
