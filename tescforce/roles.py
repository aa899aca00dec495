"""The staff roles (Django groups) and the permissions each one holds.

Data migrations call `sync_roles` so that every database, including a fresh test one, has them.
Change a role here and add a migration that calls `sync_roles` again.
"""

COORDINATORS = "Coordinateurs"
HOTLINE = "Hotline"
RECRUITERS = "Recruteurs"
PROSPECTING = "Chargés de prospection"

ALL = ("add", "change", "delete", "view")

ROLE_PERMISSIONS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    COORDINATORS: {
        "candidates": {
            "campaign": ALL, "campaignfunding": ALL, "candidate": ALL, "consent": ("add", "view"),
            "qualification": ALL, "stagechange": ("view",), "orientation": ALL, "jobinterest": ALL,
            "hotlinecall": ALL, "callbackrequest": ALL, "relocationrequest": ALL, "match": ("view",),
        },
        "companies": {
            "skill": ALL, "jobfamily": ("view",), "company": ALL, "companysite": ALL, "recruiter": ALL,
            "partner": ALL, "jobposting": ALL,
        },
        "events": {
            "programme": ALL, "edition": ALL, "session": ALL, "sessioncompany": ALL, "sessionpartner": ALL,
            "registration": ALL, "remindersent": ("view",), "surveyresponse": ("view",),
        },
        "showroom": {"sector": ALL, "technology": ALL, "usecase": ALL, "usecaseimage": ALL,
                     "contactrequest": ALL},
        "prospecting": {
            "prospectingcampaign": ("view",), "prospect": ("view",), "meeting": ("view",),
            "settlement": ("view",), "exportlead": ("view",), "prospectcontact": ("view",),
        },
        "tescforce": {"yeartarget": ALL},
        "django_celery_beat": {"periodictask": ("view",), "crontabschedule": ("view",),
                               "intervalschedule": ("view",)},
        "auth": {"user": ("add", "change", "view"), "group": ("view",)},
    },
    HOTLINE: {
        "candidates": {
            "candidate": ("add", "change", "view"), "consent": ("add", "view"), "hotlinecall": ALL,
            "callbackrequest": ("change", "view"), "relocationrequest": ("add", "change", "view"),
            "stagechange": ("view",), "orientation": ("view",), "campaign": ("view",),
        },
        "companies": {"company": ("view",), "jobposting": ("view",), "skill": ("view",),
                      "jobfamily": ("view",), "partner": ("view",)},
        "events": {"session": ("view",), "registration": ("add", "change", "view"), "edition": ("view",)},
    },
    RECRUITERS: {
        "companies": {
            "company": ("change", "view"), "companysite": ALL, "jobposting": ALL, "skill": ("view",),
            "jobfamily": ("view",), "recruiter": ("view",),
        },
        "candidates": {"candidate": ("view",), "jobinterest": ("change", "view"),
                       "orientation": ("change", "view"), "match": ("view",)},
        "events": {"session": ("view",), "edition": ("view",), "sessioncompany": ("add", "change", "view")},
    },
    PROSPECTING: {
        "prospecting": {
            "prospectingcampaign": ALL, "prospect": ALL, "prospectcontact": ALL, "meeting": ALL,
            "settlement": ALL, "exportlead": ALL,
        },
        "showroom": {"sector": ("view",), "technology": ("view",), "usecase": ("change", "view"),
                     "usecaseimage": ALL, "contactrequest": ("change", "view")},
        "companies": {"company": ("view",), "partner": ("view",)},
    },
}


def sync_roles(apps, schema_editor=None) -> None:
    """Create the groups and give each exactly the permissions listed above."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = []
        for app_label, models in by_app.items():
            for model, actions in models.items():
                for action in actions:
                    wanted.append(
                        Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
                    )
        group.permissions.set(wanted)
