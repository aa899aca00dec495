"""Checks shared by the admin tests: a refused write shows its reason and nothing else."""

from django.contrib import messages
from django.utils.html import escape


def assert_refused(response, message: str) -> None:
    """The change form came back (no redirect) with `message` as an error and no success message."""
    assert response.status_code == 200, response
    form = response.context["adminform"].form
    assert message in " ".join(str(e) for errors in form.errors.values() for e in errors), form.errors
    assert escape(message) in response.content.decode()
    assert not [m for m in response.context["messages"] if m.level == messages.SUCCESS]
