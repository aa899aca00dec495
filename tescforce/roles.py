"""The staff roles (Django groups) and the permissions each one holds.

A data migration and a post-migrate hook call `sync_roles`, so that every database, including a
fresh test one, holds exactly these permissions after `migrate`. Change a role here, nowhere else:
permissions edited by hand on these groups are reset at the next migrate.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

COORDINATORS = "Coordinateurs"
HOTLINE = "Hotline"
RECRUITERS = "Recruteurs"
PROSPECTING = "Chargés de prospection"
# Members of partner organisations (France Travail, Missions locales…): the partner space only, never the admin.
# Coordinators invite and disable them from the partner space's admin (partners/), not as staff accounts.
PARTNERS = "Partenaires"
# The roles a coordinator may give and take away; only superusers give COORDINATORS (tescforce/accounts.py).
MANAGEABLE_ROLES = (RECRUITERS, HOTLINE, PROSPECTING)


def group_names(user) -> frozenset[str]:
    """The roles (group names) of the user, read once per request: memoised on the user object, which a
    request loads afresh, because the admin asks for every model on every page."""
    names = getattr(user, "_tf_group_names", None)
    if names is None:
        authenticated = getattr(user, "is_authenticated", False) and user.is_active
        names = frozenset(user.groups.values_list("name", flat=True)) if authenticated else frozenset()
        user._tf_group_names = names
    return names


def has_role(user, *names: str) -> bool:
    """True for an active superuser, or an active member of one of these groups."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return user.is_superuser or not group_names(user).isdisjoint(names)

ALL = ("add", "change", "delete", "view")

ROLE_PERMISSIONS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    COORDINATORS: {
        "candidates": {
            "campaign": ALL, "campaignfunding": ALL, "candidate": ALL, "consent": ("add", "view"),
            "qualification": ALL, "stagechange": ("view",), "orientation": ALL, "jobinterest": ALL,
        },
        "matching": {
            "match": ("view",), "jobdatingagenda": ALL, "interview": ALL, "interviewrelease": ("view",),
            "matchingrun": ("view",), "scorecard": ("view",),
        },
        "hotline": {"hotlinecall": ALL, "callbackrequest": ALL, "relocationrequest": ALL},
        "companies": {
            "skill": ALL, "jobfamily": ("view",), "company": ALL, "companysite": ALL, "recruiter": ALL,
            "partner": ALL, "jobposting": ALL,
        },
        "events": {
            "programme": ALL, "edition": ALL, "session": ALL, "sessioncompany": ALL, "sessionpartner": ALL,
            "registration": ALL, "messagesent": ("view",), "surveyresponse": ("view",),
        },
        "showroom": {"sector": ALL, "technology": ALL, "usecase": ALL, "usecaseimage": ALL,
                     "contactrequest": ALL},
        "prospecting": {
            "prospectingcampaign": ("view",), "prospect": ("view",), "meeting": ("view",),
            "settlement": ("view",), "exportlead": ("view",), "prospectcontact": ("view",),
        },
        "tescforce": {"yeartarget": ALL},
        "partners": {"member": ("add", "change", "delete", "view"), "referral": ("view",), "course": ALL,
                     "apikey": ("add", "change", "view")},
        "django_celery_beat": {"periodictask": ("view",), "crontabschedule": ("view",),
                               "intervalschedule": ("view",)},
        "auth": {"user": ("add", "change", "view"), "group": ("view",)},
    },
    HOTLINE: {
        "candidates": {
            "candidate": ("add", "change", "view"), "consent": ("add", "view"), "stagechange": ("view",),
            "orientation": ("view",), "campaign": ("view",),
        },
        "hotline": {"hotlinecall": ALL, "callbackrequest": ("change", "view"),
                    "relocationrequest": ("add", "change", "view")},
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
                       "orientation": ("change", "view")},
        "matching": {"match": ("view",), "interview": ("view",)},
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
    # No model permission: members work in the partner space, which checks their membership on every request.
    PARTNERS: {},
}


def sync_roles(apps, schema_editor=None) -> None:
    """Create the groups and give each exactly the permissions listed above.

    A permission whose model does not exist yet (an early migration state) is skipped; the
    post-migrate hook runs this again once every migration has been applied.
    """
    for app_config in apps.get_app_configs():
        saved = getattr(app_config, "models_module", None)
        app_config.models_module = saved or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = saved

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    existing = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
    }
    for group_name, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = [
            existing[(app_label, f"{action}_{model}")]
            for app_label, models in by_app.items()
            for model, actions in models.items()
            for action in actions
            if (app_label, f"{action}_{model}") in existing
        ]
        group.permissions.set(wanted)


def sync_roles_after_migrate(**kwargs) -> None:
    sync_roles(global_apps)
