"""The admin on a laptop: as a coordinator, on the demo data, every changelist and form of the admin fits
1280 px without scrolling sideways — neither the page nor a table inside it — and the French pages of our
rooms show none of Django's English words.

The pages are found in the admin's registry (what the coordinator may view or add), so a new admin page is
measured without being listed here.
"""

import re

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from tescforce.site.demo.loader import seed_demo

LAPTOP = 1280
# Libraries whose pages keep a few words of their own that no catalogue translates (plain strings in their
# models): measured for width, not read for English.
LIBRARIES = ("django_celery_beat", "otp_totp", "axes")

MEASURE_JS = """() => {
  const inner = [];
  for (const el of document.querySelectorAll('#content *')) {
    if (el.tagName === 'SELECT') continue;  // a list box scrolls its long options inside itself
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      const name = `${el.tagName.toLowerCase()}#${el.id}.${[...el.classList].join('.')}`;
      inner.push(`${name} ${el.scrollWidth}>${el.clientWidth}`);
    }
  }
  const chrome = '#header, .breadcrumbs, #changelist-filter h2, #changelist-filter h3, #changelist-filter summary, '
    + '.actions, .submit-row, #result_list thead, .object-tools, fieldset h2, .paginator, #toolbar, #content h1';
  const text = [...document.querySelectorAll(chrome)].map(e => e.innerText).join(' | ');
  return {scroll: document.documentElement.scrollWidth, inner: inner.slice(0, 3), text};
}"""
# Django's own admin words, which a French page must show in French.
ENGLISH = re.compile(r"\b(Select|Save|Delete|Filter|Search|Show counts|View site|Log out|History|Today|Choose|"
                     r"Remove|Add|Change|selected|Go|Yes|No|None|Clear|Unknown|Action:)(?=\W|$)")


def _admin_pages(user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    paths = []
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_view_permission(request):
            base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            paths.append(base)
            if model_admin.has_add_permission(request):
                paths.append(base + "add/")
            # One change page per model; the audit trail's rows are read in its list (their change page warns
            # of a Django 6.0 URL scheme change, an error under the tests' warnings filter).
            last = model_admin.get_queryset(request).order_by("-pk").first()
            if last is not None and not model.__name__.startswith("Historical"):
                paths.append(f"{base}{last.pk}/change/")
    return paths


def test_every_admin_page_of_the_coordinator_fits_a_laptop_in_french(journey, settings):
    settings.DEMO_MODE = True
    seed_demo()
    coordinator = get_user_model().objects.get(username="coordinatrice")
    journey.page.set_viewport_size({"width": LAPTOP, "height": 800})
    journey.login(coordinator)
    paths = _admin_pages(coordinator)
    assert {"/admin/candidates/candidate/", "/admin/events/session/add/", "/admin/companies/jobposting/"} <= set(paths)
    too_wide, english = [], []
    for path in paths:
        journey.open(path, screenshot=False)
        found = journey.page.evaluate(MEASURE_JS)
        if found["scroll"] > LAPTOP or found["inner"]:
            too_wide.append(f"{path}: page {found['scroll']} px {found['inner']}")
        words = sorted(set(ENGLISH.findall(found["text"])))
        if words and not any(f"/admin/{label}/" in path for label in LIBRARIES):
            english.append(f"{path}: {words}")
    assert not too_wide, "wider than 1280 px:\n" + "\n".join(too_wide)
    assert not english, "English on French admin pages:\n" + "\n".join(english)
