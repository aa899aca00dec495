"""The libraries' admin pages (login attempts, two-factor devices, scheduled tasks) read as French in French.

Each page is rendered in both languages: a label that reads the same in both is English left on the French
page, unless it is a word both languages share.
"""

import re
from html import unescape

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LIBRARY_APPS = ("axes", "otp_totp", "django_celery_beat")
# Words French and English write alike, and time zone names.
SAME_IN_BOTH = {"Contacts", "Images", "Orientations", "Programmes", "Qualifications", "Sessions", "Showroom",
                "Technologies", "Hotline", "Arguments", "Latitude", "Longitude", "Minutes", "Description", "Date",
                "Message", "Type", "Action", "Configuration", "Identification", "Tesc Force", "localtime", "UTC",
                "Europe/Paris"}
# Names carry no digit (values such as dates and codes do), nor the rows' own names.
NOT_A_LABEL = re.compile(r"\d|collegue|quelquun")
LABEL_PATTERNS = (
    r"<th[^>]*scope=\"col\"[^>]*>(.*?)</th>",         # list columns
    r"<summary>(.*?)</summary>",                      # filter titles
    r"<label[^>]*>(.*?)</label>",                     # form fields
    r"<h[12][^>]*>(.*?)</h[12]>",                     # page titles, fieldsets
    r"<div class=\"breadcrumbs\">(.*?)</div>",        # breadcrumbs
    r"<option value=\"[a-z_]+\"[^>]*>(.*?)</option>", # actions
    r"<div class=\"help\"[^>]*>(.*?)</div>",          # help texts
    r"<caption>(.*?)</caption>",                      # navigation sections
    r"<th scope=\"row\"[^>]*>(.*?)</th>",             # navigation models
)


def _labels(body: str) -> list[str]:
    body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    found = []
    for pattern in LABEL_PATTERNS:
        for raw in re.findall(pattern, body, re.S):
            for part in re.split(r"›|\n", unescape(re.sub(r"<[^>]+>", "\n", raw))):
                text = " ".join(part.split()).strip(" :*")
                if text and not NOT_A_LABEL.search(text):
                    found.append(text)
    return found


def _library_pages(request):
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in LIBRARY_APPS:
            continue
        for view in ("changelist", "add") if model_admin.has_add_permission(request) else ("changelist",):
            try:
                yield reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            except NoReverseMatch:
                continue
        row = model._default_manager.first()
        if row is not None:
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])


@pytest.fixture
def library_rows(admin_user):
    """One row of each kind the pages show: a device, a lockout, a login record, scheduled tasks."""
    every = IntervalSchedule.objects.create(every=300, period=IntervalSchedule.SECONDS)
    nightly = CrontabSchedule.objects.create(minute="10", hour="3", timezone="Europe/Paris")
    PeriodicTask.objects.create(name="every-five-minutes", task="tescforce.tasks.heartbeat", interval=every)
    PeriodicTask.objects.create(name="nightly", task="tescforce.tasks.heartbeat", crontab=nightly)
    # Another person's device: the signed-in admin would otherwise be asked for a code.
    colleague = get_user_model().objects.create_user("collegue", "collegue@example.org", is_staff=True)
    TOTPDevice.objects.create(user=colleague, name="Téléphone", confirmed=True)
    AccessAttempt.objects.create(username="quelquun", ip_address="192.0.2.1", user_agent="Firefox",
                                 failures_since_start=2, get_data="", post_data="")
    AccessLog.objects.create(username="quelquun", ip_address="192.0.2.1", user_agent="Firefox")


def _page(client, url, lang):
    client.cookies["django_language"] = lang
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    return response.status_code, response.content.decode()


def test_library_admin_pages_have_no_english_left_in_french(client, admin_user, rf, library_rows):
    client.force_login(admin_user)
    request = rf.get("/")
    request.user = admin_user
    left, checked = {}, 0
    for url in _library_pages(request):
        status_fr, french = _page(client, url, "fr")
        status_en, english = _page(client, url, "en")
        assert status_fr == 200, (url, status_fr)
        assert status_en == 200, url
        english_labels = set(_labels(english))
        same = sorted({t for t in _labels(french) if t in english_labels} - SAME_IN_BOTH)
        if same:
            left[url] = same
        checked += 1
    assert checked >= 18, checked
    assert not left, left


def test_scheduled_tasks_read_in_words_in_each_language(client, admin_user, library_rows):
    client.force_login(admin_user)
    _status, french = _page(client, "/admin/django_celery_beat/periodictask/", "fr")
    _status, english = _page(client, "/admin/django_celery_beat/periodictask/", "en")
    assert "À 03:10 (Europe/Paris)" in french and "Toutes les 5 minutes" in french
    assert "At 03:10 (Europe/Paris)" in english and "Every 5 minutes" in english
    assert "Par tâche" in unescape(french) and "Task Name" not in french and "SCHEDULER" not in french.upper()


def test_two_factor_device_page_never_shows_the_secret(client, admin_user, library_rows):
    client.force_login(admin_user)
    device = TOTPDevice.objects.get()
    _status, body = _page(client, reverse("admin:otp_totp_totpdevice_change", args=[device.pk]), "fr")
    assert "Téléphone" in body
    assert device.key not in body
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
