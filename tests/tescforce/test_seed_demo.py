"""seed_demo on a database without the demo data: it refuses outside demo mode, and never touches an
existing account that is not a demo one."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from companies.models import Company

pytestmark = pytest.mark.django_db


class _Sink:
    def write(self, text):
        pass

    def flush(self):
        pass


def test_seed_demo_never_touches_an_existing_account(settings):
    settings.DEMO_MODE = True
    user = get_user_model().objects.create_user("admin", "it@tescforce.example", "a-real-secret-password")
    call_command("seed_demo", stdout=_Sink())
    user.refresh_from_db()
    assert user.check_password("a-real-secret-password")
    assert not user.is_superuser


def test_seed_demo_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=_Sink())
    assert not Company.objects.exists()
