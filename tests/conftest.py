import contextlib
import itertools
import os

import pytest
from django.conf import settings as django_settings

from tescforce import roles

from . import db_snapshot, factories, fast_flush

db_snapshot.install()
fast_flush.install()

REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
REQUIRE_REDIS = os.environ.get("REQUIRE_REDIS") == "1"
# Set on a test whose transactional database was set up: its teardown flushes, and the rows come back after.
TRANSACTIONAL_DB_USED = pytest.StashKey[bool]()


def pytest_configure(config):
    # pytest-xdist workers start after this and inherit it. Two workers on two cores, each with two
    # OpenBLAS threads that spin while they wait, spent about twice the CPU on the matching tests (134 s
    # against 74 s); a worker's own NumPy loads when Django starts, so this must be set before.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Under pytest-xdist (make test runs `--dist loadgroup`), every test that talks to the real Redis runs
    # on one worker: cache.clear() there empties the whole Redis database, queued tasks included. First, so
    # that pytest-xdist's own hook, which turns the mark into the test's group, sees it.
    for item in items:
        if item.get_closest_marker("celery_worker") or item.get_closest_marker("redis"):
            item.add_marker(pytest.mark.xdist_group("redis"))
        elif _uses_demo(item):
            # The demo data takes seconds to load: every demo test runs on one worker, one after the other,
            # and the data stays loaded between them (see demo_data).
            item.add_marker(pytest.mark.xdist_group("demo"))


def pytest_runtest_setup(item):
    # Tests of PostgreSQL features skip on SQLite, but CI sets REQUIRE_POSTGRES=1 to make that a failure.
    if item.get_closest_marker("postgres") and not django_settings.USING_POSTGRES:
        if REQUIRE_POSTGRES:
            pytest.fail("This test needs PostgreSQL and REQUIRE_POSTGRES=1 is set.")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    # Same for a real Celery worker: it needs Redis, and CI sets REQUIRE_REDIS=1.
    if (item.get_closest_marker("celery_worker") or item.get_closest_marker("redis")) and not django_settings.REDIS_URL:
        if REQUIRE_REDIS:
            pytest.fail("This test needs Redis and REQUIRE_REDIS=1 is set.")
        pytest.skip("needs Redis (set REDIS_URL)")


@pytest.fixture(autouse=True)
def _french_first():
    # A request in English leaves English active in the thread; every test starts in French.
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache(_in_process_services):
    # Cached figures and rate-limit counters must not leak from one test into the next. After the swap to
    # the memory cache: clearing the Redis cache empties the whole Redis database, and under xdist that
    # would pull the queues from under the Redis tests of the other worker.
    from django.core.cache import cache

    from tescforce import page_cache

    cache.clear()
    page_cache.clear_local()
    yield
    cache.clear()
    page_cache.clear_local()


@pytest.fixture(autouse=True)
def _in_process_services(request, settings):
    # The suite runs as the embedded default whatever REDIS_URL says: tasks in-process, cache in memory.
    # CI sets REDIS_URL for the tests marked celery_worker, which talk to a real worker.
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    from tescforce.celery import app

    settings.REDIS_URL = ""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    before = app.conf.task_always_eager  # read first: Celery loads its settings lazily, on this access
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.RATELIMIT_ENABLE = False
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(scope="session")
def _media_folders(tmp_path_factory):
    # A fresh pair of folders per test, named but not made: storage makes them on the first save, and most
    # tests save no file (tmp_path made two directories for every one of them).
    base = tmp_path_factory.mktemp("files")
    return (base / f"{n}" for n in itertools.count())


@pytest.fixture(autouse=True)
def _media(settings, _media_folders):
    folder = next(_media_folders)
    settings.MEDIA_ROOT = folder / "media"
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": folder / "private", "base_url": None}}}


# The demo data set while it is loaded: what holds its transaction open, and seed_demo's output.
_DEMO: dict = {}
# Set before a test's teardown (pytest_runtest_teardown): whether the next test on this worker uses the
# demo data too.
_NEXT_USES_DEMO = [False]


def _uses_demo(item) -> bool:
    return item is not None and "demo_data" in getattr(item, "fixturenames", ())


def _load_demo(django_db_blocker, folder) -> None:
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import translation

    from tescforce.celery import app

    # What the function-scoped autouse fixtures give each test, for the loading that happens before them.
    in_process = override_settings(
        DEMO_MODE=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], REDIS_URL="",
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        CELERY_TASK_ALWAYS_EAGER=True, MEDIA_ROOT=folder / "media",
        STORAGES={**django_settings.STORAGES, "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder / "private", "base_url": None}}})
    # Closed in reverse: the rollback is asked for, then the transaction ends, then the database is blocked again.
    held = contextlib.ExitStack()
    held.enter_context(django_db_blocker.unblock())
    held.enter_context(transaction.atomic())
    held.callback(transaction.set_rollback, True)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    out = io.StringIO()
    try:
        with in_process, translation.override("fr"):
            call_command("seed_demo", stdout=out)
    except BaseException:
        held.close()
        raise
    finally:
        app.conf.task_always_eager = eager
    _DEMO.update(held=held, output=out.getvalue())


def _unload_demo() -> None:
    held = _DEMO.pop("held")
    _DEMO.clear()
    held.close()


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data set (seed_demo), loaded for the tests that ask for it; yields seed_demo's output.

    It lives in a transaction rolled back after the last of those tests, and each test runs in a savepoint
    inside it, so what a test writes is undone after that test. Loading it is the slow part (seconds): the
    demo tests of every module form one xdist group (run one after the other on one worker), and the data
    stays loaded from one module's demo tests to the next module's. Only transaction-free tests may share it
    (a transactional test would flush it).
    """
    if not _DEMO:
        _load_demo(django_db_blocker, tmp_path_factory.mktemp("demo"))
    yield _DEMO["output"]
    if not _NEXT_USES_DEMO[0]:
        _unload_demo()


@pytest.fixture
def coordinator(db):
    return factories.UserFactory(username="coordinatrice", groups=[roles.COORDINATORS])


@pytest.fixture
def hotline_agent(db):
    return factories.UserFactory(username="hotline", groups=[roles.HOTLINE])


@pytest.fixture
def prospecting_officer(db):
    return factories.UserFactory(username="prospection", groups=[roles.PROSPECTING])


@pytest.fixture
def company_a(db):
    return factories.CompanyFactory(name="Alpha Numérique", slug="alpha")


@pytest.fixture
def company_b(db):
    return factories.CompanyFactory(name="Bêta Logiciels", slug="beta")


@pytest.fixture
def recruiter_a(company_a):
    return factories.RecruiterFactory(company=company_a, user__username="recruteur-a").user


@pytest.fixture
def recruiter_b(company_b):
    return factories.RecruiterFactory(company=company_b, user__username="recruteur-b").user


@pytest.fixture
def candidate(db):
    return factories.CandidateFactory(first_name="Hélène", last_name="Dupont", email="helene@example.org")


@pytest.fixture
def client_for(client):
    """Return a function that logs the given user in and returns the test client."""

    def login(user):
        client.force_login(user)
        return client

    return login


# The reference rows the data migrations made, read once per process before the first flush.
_REFERENCE_ROWS: list[tuple[type, list]] = []


def _reference_models():
    from companies.models import JobFamily, Skill
    from showroom.models import Sector, Technology
    from tescforce.models import YearTarget

    return [JobFamily, Skill, Skill.related.through, Sector, Technology, YearTarget]


def _restore_reference_rows() -> None:
    """Write back the saved reference rows in one insert per table (load_reference_data takes a query per row)."""
    from django.core.management.color import no_style
    from django.db import connection

    for model, rows in _REFERENCE_ROWS:
        model.objects.bulk_create(rows)
    # Rows keep their ids: move PostgreSQL's sequences past them, as loaddata does.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model for model, _ in _REFERENCE_ROWS]):
            cursor.execute(sql)


@pytest.fixture(autouse=True)
def _data_migrations_after_flush(request):
    # A transactional test (live server, real concurrency) ends with a flush that empties the rows the
    # data migrations made: roles and reference data. Put them back before it (after it: pytest_runtest_teardown).
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if not (transactional or {"transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("transactional_db")
    request.node.stash[TRANSACTIONAL_DB_USED] = True
    _put_back_data_migrations_rows()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # Once a transactional test's teardown has flushed the database (after every fixture, ours included),
    # put the roles and reference rows back, so that whatever runs next on this worker finds them.
    # First, the demo data's teardown learns whether the next test uses it too.
    _NEXT_USES_DEMO[0] = _uses_demo(nextitem)
    yield
    # Only after a test whose transactional database was set up (a skipped one flushed nothing), and not
    # after the run's last test: its teardown has also destroyed the test database.
    if item.stash.get(TRANSACTIONAL_DB_USED, False) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _put_back_data_migrations_rows()


def _put_back_data_migrations_rows():
    from django.apps import apps
    from django.contrib.auth.models import Group

    from companies.models import JobFamily
    from tescforce.reference_data import load_reference_data

    if JobFamily.objects.exists():
        if not _REFERENCE_ROWS:
            _REFERENCE_ROWS.extend((model, list(model.objects.all())) for model in _reference_models())
        if Group.objects.exists():
            return
    # The post-migrate hook of a flush puts the roles back, but not the reference data.
    if not Group.objects.exists():
        # sync_roles flips models_module to run create_permissions on migration states; restore it here.
        saved = {config.label: config.models_module for config in apps.get_app_configs()}
        try:
            roles.sync_roles(apps)
        finally:
            for config in apps.get_app_configs():
                config.models_module = saved[config.label]
    if not JobFamily.objects.exists():
        if _REFERENCE_ROWS:
            _restore_reference_rows()
        else:
            load_reference_data(apps)
