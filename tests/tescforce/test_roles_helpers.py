"""Role checks read the user's groups once per request and agree with the groups."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tescforce import roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_has_role_follows_groups_activity_and_superuser():
    agent = factories.UserFactory(groups=[roles.HOTLINE])
    assert roles.has_role(agent, roles.HOTLINE, roles.COORDINATORS)
    assert not roles.has_role(agent, roles.COORDINATORS)
    assert not roles.has_role(AnonymousUser(), roles.HOTLINE)
    agent.is_active = False
    assert not roles.has_role(agent, roles.HOTLINE)
    boss = factories.UserFactory(is_superuser=True)
    assert roles.has_role(boss, roles.PROSPECTING)


def test_groups_are_read_once_per_user_object():
    user = factories.UserFactory(groups=[roles.COORDINATORS, roles.PROSPECTING])
    fresh = get_user_model().objects.get(pk=user.pk)  # as a request loads it
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(5):
            assert roles.group_names(fresh) == {roles.COORDINATORS, roles.PROSPECTING}
            assert roles.has_role(fresh, roles.PROSPECTING)
    assert len(ctx.captured_queries) == 1
